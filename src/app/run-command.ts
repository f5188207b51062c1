/**
 * The run-command job: carry out one chatops comment. It first checks the
 * author's permission (commands that change something need write access;
 * `get` and `help` need read): a user without it gets one polite refusal per
 * issue per CHATOPS_REFUSAL_INTERVAL_SECONDS and nothing else (no reaction),
 * so comments cannot make the bot spend the installation's one write per
 * second. Then it reacts with 👀, acts, and answers in a single reply comment
 * that a later dashboard sync edits with the outcome. A command over the
 * author's CHATOPS_RATE_LIMIT (flagged by the webhook handler) gets a note
 * instead of an action.
 */
import { isActing, parseCommand, type Command } from "../core/commands/parse.js";
import { getReply } from "../core/commands/tables.js";
import { commandUsage } from "../core/commands/usage.js";
import { withAction, type WaitFor } from "../core/dashboard/actions.js";
import { code, esc } from "../core/dashboard/escape.js";
import type { BoxAction } from "../core/dashboard/keys.js";
import { emptyState } from "./state.js";
import { MemoryThrottle } from "./throttle.js";
import { enqueueBoxAction, matchingKeys } from "./box-actions.js";
import { dashboardInput, type DashboardDeps } from "./sync-dashboard.js";
import { type RepoPermission, type CommandJobData, repoIdOf, type RepoState, type Throttle } from "./ports/index.js";

export interface CommandDeps extends DashboardDeps {
  prefix: string /* default "/flux" */;
  /** counts refusals; default: one in-process counter */
  throttle?: Throttle;
  /** one refusal per user and issue in this time (default 1 hour) */
  refusalIntervalMs?: number;
  /** CHATOPS_RATE_LIMIT and its window, for the note to a user over it */
  rateLimit?: { max: number; windowMs: number };
}

const fallbackThrottle = new MemoryThrottle();
export const DEFAULT_REFUSAL_INTERVAL_MS = 3600_000;

interface Outcome {
  result: string;
  text: string;
  waitFor?: WaitFor;
}

const WRITE: ReadonlySet<RepoPermission> = new Set(["admin", "maintain", "write"]);
const MAX_REPLIES = 20;
/** Jobs the reply waits for do not all resync the dashboard; this follow-up does, after they have likely run. */
const FOLLOW_UP_MS = 30_000;
const DEFAULT_NAMESPACE = "flux-system";

type ObjectKind = "ImageRepository" | "ImageUpdateAutomation";

/** The object a command names: `-n` when given, else the only namespace that has that name, else flux-system. */
function resolve(state: RepoState, kind: ObjectKind, name: string, namespace?: string): { namespace: string; name: string } | string {
  const list = kind === "ImageRepository" ? state.model!.repositories : state.model!.automations;
  const same = list.filter((o) => o.name === name);
  const ns = namespace ?? (new Set(same.map((o) => o.namespace)).size === 1 ? same[0]!.namespace : DEFAULT_NAMESPACE);
  if (same.some((o) => o.namespace === ns)) return { namespace: ns, name };
  const known = list.map((o) => code(`${o.namespace}/${o.name}`, 120)).sort();
  const shown = known.slice(0, 50).join(", ") + (known.length > 50 ? ` and ${known.length - 50} more` : "");
  return `There is no ${kind} ${code(`${ns}/${name}`, 120)} in this repository. ${known.length ? `Known: ${shown}.` : `It has no ${kind}.`}`;
}

async function act(deps: CommandDeps, data: CommandJobData, state: RepoState, cmd: Command): Promise<Outcome> {
  const now = deps.clock.now().toISOString();
  const record = (what: string) =>
    deps.state.update(repoIdOf(data), (s) => {
      s.dashboard = {
        issueNumber: s.dashboard?.issueNumber ?? 0,
        ...s.dashboard,
        recentActions: withAction(s.dashboard?.recentActions, { at: now, by: data.author, what }),
      };
    });
  const box = async (a: BoxAction, what: string) => {
    await enqueueBoxAction(deps.queue, data, a, `chatops by ${data.author}`, state.model);
    await record(`queued: ${what} (chatops)`);
  };
  if (cmd.kind === "reconcile-source") {
    await box({ kind: "sync-repository" }, "read the repository again");
    return { result: "sync-queued", text: "Reading the repository again: queued.", waitFor: { kind: "sync" } };
  }
  if (cmd.kind !== "reconcile-repository" && cmd.kind !== "reconcile-update" && cmd.kind !== "suspend" && cmd.kind !== "resume") {
    return { result: "ignored", text: "" };
  }
  const kind: ObjectKind = cmd.kind === "reconcile-repository" ? "ImageRepository" : "ImageUpdateAutomation";
  const target = resolve(state, kind, cmd.name, cmd.namespace);
  if (typeof target === "string") return { result: "unknown-object", text: target };
  const key = `${target.namespace}/${target.name}`;
  if (cmd.kind === "reconcile-repository") {
    await box({ kind: "scan-repository", ...target }, `scan ImageRepository ${key}`);
    await deps.queue.enqueue("sync-dashboard", { ...repoIdOf(data), account: data.account, reason: "chatops" }, { delayMs: FOLLOW_UP_MS });
    return { result: "scan-queued", text: `Scan of ${code(key)} queued.`, waitFor: { kind: "scan", key } };
  }
  const spec = state.model!.automations.find((a) => `${a.namespace}/${a.name}` === key)!;
  // one state entry per cluster holding this automation
  const keys = matchingKeys(state.model?.automations, target.namespace, target.name);
  if (cmd.kind === "reconcile-update") {
    await box({ kind: "reconcile-automation", ...target }, `run ImageUpdateAutomation ${key}`);
    await deps.queue.enqueue("sync-dashboard", { ...repoIdOf(data), account: data.account, reason: "chatops" }, { delayMs: FOLLOW_UP_MS });
    const note =
      spec.spec.suspend || keys.some((k) => state.automations[k]?.suspendedByChatops) ? " It is suspended, so it will not change anything until resumed." : "";
    return { result: "reconcile-queued", text: `Run of ${code(key)} queued.${note}`, waitFor: { kind: "reconcile", key } };
  }
  if (cmd.kind === "suspend") {
    await deps.state.update(repoIdOf(data), (s) => {
      for (const k of keys) s.automations[k] = { ...s.automations[k], suspendedByChatops: { by: data.author, at: now } };
    });
    await record(`suspended ImageUpdateAutomation ${key}`);
    await deps.queue.enqueue("sync-dashboard", { ...repoIdOf(data), account: data.account, reason: "chatops" });
    return {
      result: "suspended",
      text: `Suspended ${code(key)}: it will not change files until ${code(`${deps.prefix} resume image update ${target.name} -n ${target.namespace}`)}.`,
    };
  }
  await deps.state.update(repoIdOf(data), (s) => {
    for (const k of keys) if (s.automations[k]) delete s.automations[k]!.suspendedByChatops;
  });
  await record(`resumed ImageUpdateAutomation ${key}`);
  const still = spec.spec.suspend ? ` It stays suspended by ${code("spec.suspend")} in ${code(spec.file)}.` : "";
  if (!spec.spec.suspend) await enqueueBoxAction(deps.queue, data, { kind: "reconcile-automation", ...target }, `resumed by ${data.author}`, state.model);
  await deps.queue.enqueue("sync-dashboard", { ...repoIdOf(data), account: data.account, reason: "chatops" });
  return { result: "resumed", text: `Resumed ${code(key)}.${still}`, waitFor: spec.spec.suspend ? undefined : { kind: "reconcile", key } };
}

function permitted(cmd: Command, perm: RepoPermission): boolean {
  return isActing(cmd) ? WRITE.has(perm) : perm !== "none";
}

function refusal(data: CommandJobData, cmd: Command): Outcome {
  const need = isActing(cmd) ? "write access" : "read access";
  return { result: "refused", text: `Sorry, this command needs ${need} to the repository, and ${esc(data.author, 60)} does not have it.` };
}

function rateLimited(deps: CommandDeps): Outcome {
  const r = deps.rateLimit;
  const what = r ? `more than ${r.max} commands in ${Math.max(1, Math.round(r.windowMs / 60_000))} minutes` : "too many commands";
  return { result: "rate-limited", text: `You have sent ${what}; this one and the next ones are ignored until the limit resets.` };
}

async function execute(deps: CommandDeps, data: CommandJobData, cmd: Command): Promise<Outcome> {
  if (cmd.kind === "help") return { result: "help", text: commandUsage(deps.prefix) };
  if (cmd.kind === "invalid") return { result: "invalid", text: `I could not understand that command: ${esc(cmd.message)}.\n\n${commandUsage(deps.prefix)}` };
  const state = await deps.state.get(repoIdOf(data));
  if (!state?.model) {
    if (cmd.kind === "reconcile-source") return act(deps, data, state ?? emptyState(repoIdOf(data)), cmd);
    return { result: "not-synced", text: `The repository has not been read yet. Try ${code(`${deps.prefix} reconcile source git`)}.` };
  }
  if (cmd.kind === "get") return { result: "get", text: getReply(dashboardInput(state), cmd.what, deps.clock.now()) };
  return act(deps, data, state, cmd);
}

/** One reply per command: a retried job edits the reply it already made. */
async function reply(deps: CommandDeps, data: CommandJobData, text: string, waitFor?: WaitFor): Promise<void> {
  const repo = repoIdOf(data);
  const firstLine = data.body.trim().split(/\r?\n/, 1)[0] ?? "";
  const full = `> ${code(firstLine, 200)}\n\n${text}`;
  const state = await deps.state.get(repo);
  const prior = state?.dashboard?.replies?.find((r) => r.commentId === data.commentId);
  const replyId = prior ? (await deps.issues.updateComment(repo, prior.replyId, full)).id : (await deps.issues.createComment(repo, data.issueNumber, full)).id;
  const at = deps.clock.now().toISOString();
  await deps.state.update(repo, (s) => {
    const others = (s.dashboard?.replies ?? []).filter((r) => r.commentId !== data.commentId);
    const entry = { commentId: data.commentId, replyId, issueNumber: data.issueNumber, at, text: full, ...(waitFor ? { waitFor } : {}) };
    s.dashboard = { issueNumber: s.dashboard?.issueNumber ?? 0, ...s.dashboard, replies: [entry, ...others].slice(0, MAX_REPLIES) };
  });
}

export async function runCommand(deps: CommandDeps, data: CommandJobData): Promise<{ result: string }> {
  const cmd = parseCommand(data.body, deps.prefix || "/flux");
  if (!cmd) return { result: "not-a-command" };
  if (data.author.toLowerCase() === deps.botLogin.toLowerCase()) return { result: "own-comment" };
  const repo = repoIdOf(data);
  const log = { repo: `${repo.owner}/${repo.repo}`, comment: data.commentId, command: cmd.kind };
  // the permission first: a user without it must not make the bot write (react, reply) every time
  const perm = await deps.issues.getCollaboratorPermission(repo, data.author);
  if (!permitted(cmd, perm)) {
    const prior = (await deps.state.get(repo))?.dashboard?.replies?.some((r) => r.commentId === data.commentId);
    const key = `chatops-refusal:${repo.installationId}:${repo.owner}/${repo.repo}#${data.issueNumber}:${data.author.toLowerCase()}`;
    // a retried job edits its own refusal; otherwise one refusal per user and issue per interval
    if (!prior && !(await (deps.throttle ?? fallbackThrottle).once(key, deps.refusalIntervalMs ?? DEFAULT_REFUSAL_INTERVAL_MS))) {
      deps.logger.info({ ...log, result: "refused-quietly" }, "chatops command refused without a reply (already answered on this issue)");
      return { result: "refused-quietly" };
    }
    await reply(deps, data, refusal(data, cmd).text);
    deps.logger.info({ ...log, result: "refused" }, "chatops command handled");
    return { result: "refused" };
  }
  if (data.rateLimited) {
    await reply(deps, data, rateLimited(deps).text);
    deps.logger.info({ ...log, result: "rate-limited" }, "chatops command handled");
    return { result: "rate-limited" };
  }
  try {
    await deps.issues.addReaction(repo, { commentId: data.commentId }, "eyes");
  } catch (e) {
    deps.logger.warn({ ...log, error: (e as Error).message }, "could not react to a command");
  }
  const out = await execute(deps, data, cmd);
  await reply(deps, data, out.text, out.waitFor);
  deps.logger.info({ ...log, result: out.result }, "chatops command handled");
  return { result: out.result };
}
