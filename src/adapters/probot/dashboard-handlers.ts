/**
 * Webhook handlers of the dashboard and chatops: `issues.edited` (a box
 * ticked on the dashboard issue), `issue_comment.created` (a `/flux …`
 * command) and the bot's pull requests (pull-request-handlers.ts). Thin:
 * they filter, enqueue and say why when they skip.
 */
import type { Probot } from "probot";
import { newlyTicked } from "../../core/dashboard/keys.js";
import { isDashboardBody } from "../../core/dashboard/parse.js";
import { accountRef, deliveryChecks, isBot, repoOf, type AnyContext, type DashboardHandlerDeps } from "./payload.js";
import { registerPullRequestHandlers } from "./pull-request-handlers.js";

export type { DashboardHandlerDeps };

const sameLogin = (a: unknown, b: string | undefined): boolean => typeof a === "string" && !!b && a.toLowerCase() === b.toLowerCase();

export function registerDashboardHandlers(app: Probot, deps: DashboardHandlerDeps): void {
  const { skip, duplicate } = deliveryChecks(deps);

  app.on("issues.edited", async (context) => {
    const ctx = context as AnyContext;
    const event = "issues.edited";
    const p = ctx.payload;
    if (!p.installation?.id) return skip(ctx, event, "no installation in the payload");
    if (isBot(p.sender)) return skip(ctx, event, "edited by a bot");
    if (!isDashboardBody(p.issue?.body)) return skip(ctx, event, "not the dashboard issue");
    if (!isBot(p.issue?.user)) return skip(ctx, event, "the issue was not opened by the bot");
    const from = p.changes?.body?.from;
    if (typeof from !== "string") return skip(ctx, event, "the body did not change");
    const ticked = newlyTicked(from, p.issue.body as string);
    if (!ticked.length) return skip(ctx, event, "no box was ticked");
    if (await duplicate(ctx, event)) return;
    const repo = repoOf(p);
    // Any bot (or app) can open an issue with the dashboard marker: only this bot's dashboard counts
    // (its login, or the issue number the bot recorded, for a BOT_LOGIN that is off).
    if (!sameLogin(p.issue.user?.login, deps.botLogin)) {
      const known = (await deps.state?.get(repo))?.dashboard?.issueNumber;
      if (!known || known !== p.issue.number) return skip(ctx, event, "the dashboard issue was opened by another bot");
    }
    // Only queue: the sync-dashboard job reads the issue again and acts on its ticked boxes, crediting the sender.
    const by = (p.sender?.login as string | undefined) ?? "someone";
    await deps.queue.enqueue("sync-dashboard", { ...repo, account: accountRef(p), by, reason: `dashboard boxes ticked by ${by}` });
    ctx.log.info({ event, repo: `${repo.owner}/${repo.repo}`, boxes: ticked }, "dashboard boxes queued");
    deps.onDelivery?.(event, "enqueued");
  });

  registerPullRequestHandlers(app, deps);

  app.on("issue_comment.created", async (context) => {
    const ctx = context as AnyContext;
    const event = "issue_comment.created";
    const p = ctx.payload;
    const prefix = deps.prefix || "/flux";
    if (!p.installation?.id) return skip(ctx, event, "no installation in the payload");
    if (isBot(p.comment?.user) || isBot(p.sender)) return skip(ctx, event, "comment by a bot");
    const body = typeof p.comment?.body === "string" ? (p.comment.body as string) : "";
    const first = body.trimStart();
    if (!first.startsWith(prefix) || (first.length > prefix.length && !/\s/.test(first[prefix.length]!))) return skip(ctx, event, "not a command");
    if (await duplicate(ctx, event)) return;
    const repo = repoOf(p);
    let rateLimited = false;
    if (deps.commandLimit) {
      const { throttle, max, windowMs } = deps.commandLimit;
      const who = p.comment.user?.id ?? String(p.comment.user?.login ?? "").toLowerCase();
      const n = await throttle.hit(`chatops-user:${repo.installationId}:${who}`, windowMs);
      if (n > max + 1) return skip(ctx, event, `the author sent more than ${max} commands in ${windowMs / 1000} s`);
      rateLimited = n === max + 1;
    }
    await deps.queue.enqueue("run-command", {
      ...repo,
      account: accountRef(p),
      issueNumber: p.issue.number as number,
      commentId: p.comment.id as number,
      author: p.comment.user.login as string,
      body,
      reason: "chatops",
      ...(rateLimited ? { rateLimited } : {}),
    });
    ctx.log.info({ event, repo: `${repo.owner}/${repo.repo}`, comment: p.comment.id }, "command queued");
    deps.onDelivery?.(event, "enqueued");
  });
}
