/**
 * Webhook handlers of the dashboard and chatops: `issues.edited` (a box
 * ticked on the dashboard issue) and `issue_comment.created` (a `/flux …`
 * command). Thin: they filter, enqueue and say why when they skip.
 */
import type { Context, Probot } from "probot";
import { actionExists, describeAction, withAction } from "../../core/dashboard/actions.js";
import { newlyTicked, parseKey, type BoxAction } from "../../core/dashboard/keys.js";
import { isDashboardBody } from "../../core/dashboard/parse.js";
import type { JobQueue } from "../../app/jobs.js";
import type { RepoId } from "../../app/ports.js";
import type { StateStore } from "../../app/state.js";
import { enqueueBoxAction } from "../../app/sync-dashboard.js";

export interface DashboardHandlerDeps {
  queue: JobQueue;
  state: StateStore;
  prefix: string;
  seenDelivery?: (id: string) => Promise<boolean>;
  onDelivery?: (event: string, outcome: "enqueued" | "skipped" | "duplicate") => void;
}

type AnyContext = Context & { payload: Record<string, any> };

const isBot = (u: { login?: string; type?: string } | null | undefined): boolean => !!u && (u.type === "Bot" || (u.login ?? "").endsWith("[bot]"));

function repoOf(p: Record<string, any>): RepoId {
  return { installationId: p.installation.id as number, owner: p.repository.owner.login as string, repo: p.repository.name as string };
}

export function registerDashboardHandlers(app: Probot, deps: DashboardHandlerDeps): void {
  const skip = (ctx: AnyContext, event: string, why: string): void => {
    ctx.log.debug({ event, repo: ctx.payload.repository?.full_name, delivery: ctx.id }, `${event} skipped: ${why}`);
    deps.onDelivery?.(event, "skipped");
  };
  const duplicate = async (ctx: AnyContext, event: string): Promise<boolean> => {
    if (!deps.seenDelivery || !(await deps.seenDelivery(ctx.id))) return false;
    ctx.log.info({ event, delivery: ctx.id }, "skipping a delivery already handled");
    deps.onDelivery?.(event, "duplicate");
    return true;
  };

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
    const state = await deps.state.get(repo);
    const editedAt = Date.parse(p.issue.updated_at ?? "") || 0;
    // A box the dashboard job already acted on (it saw the tick before this delivery) is not queued twice.
    const handled = (key: string) => (state?.dashboard?.recentActions ?? []).some((a) => a.key === key && Date.parse(a.at) >= editedAt && editedAt > 0);
    const todo: Array<{ key: string; action: BoxAction }> = [];
    for (const key of ticked) {
      const action = parseKey(key);
      if (action && !handled(key) && (!state || actionExists(state, action))) todo.push({ key, action });
    }
    if (!todo.length) return skip(ctx, event, "the ticked boxes name nothing to do or were handled already");
    const by = (p.sender?.login as string | undefined) ?? "someone";
    const account = p.installation.account?.login ?? p.repository.owner.login;
    const at = new Date().toISOString();
    for (const t of todo) await enqueueBoxAction(deps.queue, { ...repo, account }, t.action, `dashboard checkbox ticked by ${by}`, { state: deps.state, by, at });
    await deps.state.update(repo, (s) => {
      let actions = s.dashboard?.recentActions;
      for (const t of todo) actions = withAction(actions, { at, by, what: `queued: ${describeAction(t.action)}`, key: t.key });
      const pendingTicks = [...(s.dashboard?.pendingTicks ?? []), ...todo.map((t) => ({ key: t.key, at, by }))].slice(-50);
      s.dashboard = { ...s.dashboard, issueNumber: s.dashboard?.issueNumber || (p.issue.number as number), recentActions: actions, pendingTicks };
    });
    await deps.queue.enqueue("sync-dashboard", { ...repo, account, reason: "dashboard checkbox" });
    ctx.log.info({ event, repo: `${repo.owner}/${repo.repo}`, boxes: todo.map((t) => t.key) }, "dashboard boxes queued");
    deps.onDelivery?.(event, "enqueued");
  });

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
