/**
 * Webhook handlers of the dashboard and chatops: `issues.edited` (a box
 * ticked on the dashboard issue), `issue_comment.created` (a `/flux …`
 * command) and the bot's pull requests (pull-request-handlers.ts). Thin:
 * they filter, enqueue and say why when they skip.
 */
import type { Probot } from "probot";
import { newlyTicked } from "../../core/dashboard/keys.js";
import { isDashboardBody } from "../../core/dashboard/parse.js";
import { deliveryChecks, isBot, repoOf, type AnyContext, type DashboardHandlerDeps } from "./payload.js";
import { registerPullRequestHandlers } from "./pull-request-handlers.js";

export type { DashboardHandlerDeps };

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
    // Only queue: the sync-dashboard job reads the issue again and acts on its ticked boxes, crediting the sender.
    const repo = repoOf(p);
    const by = (p.sender?.login as string | undefined) ?? "someone";
    const account = p.installation.account?.login ?? p.repository.owner.login;
    await deps.queue.enqueue("sync-dashboard", { ...repo, account, by, reason: `dashboard boxes ticked by ${by}` });
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
    await deps.queue.enqueue("run-command", {
      ...repo,
      account: p.installation.account?.login ?? p.repository.owner.login,
      issueNumber: p.issue.number as number,
      commentId: p.comment.id as number,
      author: p.comment.user.login as string,
      body,
      reason: "chatops",
    });
    ctx.log.info({ event, repo: `${repo.owner}/${repo.repo}`, comment: p.comment.id }, "command queued");
    deps.onDelivery?.(event, "enqueued");
  });
}
