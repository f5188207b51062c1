/**
 * Webhook handlers of the bot's own pull requests: closed without merging
 * (ignore its versions) and edited with the rebase box newly ticked. They
 * filter and enqueue a pull-request-event job; the job acts.
 */
import type { Probot } from "probot";
import { newlyTicked } from "../../core/dashboard/keys.js";
import { PULL_REQUEST_MARKER, REBASE_KEY } from "../../app/pull-request-text.js";
import { accountRef, deliveryChecks, isBot, repoOf, type AnyContext, type DashboardHandlerDeps, type WebhookPayload } from "./payload.js";

const ours = (pr: WebhookPayload | undefined): boolean => typeof pr?.body === "string" && pr.body.includes(PULL_REQUEST_MARKER) && isBot(pr.user);

export function registerPullRequestHandlers(app: Probot, deps: DashboardHandlerDeps): void {
  const { skip, duplicate } = deliveryChecks(deps);
  const enqueue = async (ctx: AnyContext, event: string, action: "closed" | "rebase"): Promise<void> => {
    if (await duplicate(ctx, event)) return;
    const p = ctx.payload;
    const repo = repoOf(p);
    const by = (p.sender?.login as string | undefined) ?? "someone";
    const account = accountRef(p);
    await deps.queue.enqueue("pull-request-event", {
      ...repo,
      account,
      number: p.pull_request.number as number,
      action,
      by,
      reason: `pull request ${action} by ${by}`,
    });
    ctx.log.info({ event, repo: `${repo.owner}/${repo.repo}`, pullRequest: p.pull_request.number, action }, "pull-request event queued");
    deps.onDelivery?.(event, "enqueued");
  };

  app.on("pull_request.closed", async (context) => {
    const ctx = context as AnyContext;
    const event = "pull_request.closed";
    const p = ctx.payload;
    if (!p.installation?.id) return skip(ctx, event, "no installation in the payload");
    if (!ours(p.pull_request)) return skip(ctx, event, "not a pull request of the bot");
    if (p.pull_request.merged) return skip(ctx, event, "merged");
    if (isBot(p.sender)) return skip(ctx, event, "closed by a bot");
    await enqueue(ctx, event, "closed");
  });

  app.on("pull_request.edited", async (context) => {
    const ctx = context as AnyContext;
    const event = "pull_request.edited";
    const p = ctx.payload;
    if (!p.installation?.id) return skip(ctx, event, "no installation in the payload");
    if (!ours(p.pull_request)) return skip(ctx, event, "not a pull request of the bot");
    if (isBot(p.sender)) return skip(ctx, event, "edited by a bot");
    if (p.pull_request.state !== "open") return skip(ctx, event, "not open");
    const from = p.changes?.body?.from;
    if (typeof from !== "string" || !newlyTicked(from, p.pull_request.body as string).includes(REBASE_KEY))
      return skip(ctx, event, "the rebase box was not ticked");
    await enqueue(ctx, event, "rebase");
  });
}
