/**
 * Pure helpers shared by the dashboard job, the chatops job and the webhook
 * handler: what a box does in words, the bounded list of recent actions, and
 * the text that finishes a chatops reply once the job it waits for has run.
 */
import { code, esc } from "./escape.js";
import type { DashboardInput } from "./input.js";
import type { BoxAction } from "./keys.js";

export const MAX_RECENT_ACTIONS = 10;

export interface RecentAction {
  at: string;
  by: string;
  what: string;
  key?: string;
}

/** Plain text (not markdown): the renderer escapes it. */
export function describeAction(a: BoxAction): string {
  if (a.kind === "sync-repository") return "read the repository again and scan every image";
  const key = `${a.namespace}/${a.name}`;
  if (a.kind === "scan-repository") return `scan ImageRepository ${key}`;
  if (a.kind === "hold-update") return `hold the update of ImagePolicy ${key}`;
  if (a.kind === "release-update") return `release the update of ImagePolicy ${key}`;
  if (a.kind === "unignore-version") return `stop ignoring ${a.version} of ImagePolicy ${key}`;
  if (a.kind === "resume-automation") return `resume ImageUpdateAutomation ${key}`;
  if (a.kind === "approve-update") return `approve ImagePolicy ${key} updating to ${a.tag}`;
  if (a.kind === "run-now") return `run ImageUpdateAutomation ${key} now, outside its schedule`;
  return `run ImageUpdateAutomation ${key}`;
}

/** Newest first, at most MAX_RECENT_ACTIONS. */
export function withAction(list: readonly RecentAction[] | undefined, entry: RecentAction): RecentAction[] {
  return [entry, ...(list ?? [])].slice(0, MAX_RECENT_ACTIONS);
}

/** Whether a box action names an object the repository has (sync-repository always does). */
export function actionExists(input: Pick<DashboardInput, "model">, a: BoxAction): boolean {
  if (a.kind === "sync-repository") return true;
  if (!input.model) return true; // not read yet: let the job decide
  const list =
    a.kind === "scan-repository"
      ? input.model.repositories
      : a.kind === "reconcile-automation" || a.kind === "resume-automation" || a.kind === "run-now"
        ? input.model.automations
        : input.model.policies;
  return list.some((o) => o.namespace === a.namespace && o.name === a.name);
}

export interface WaitFor {
  kind: "scan" | "reconcile" | "sync";
  key?: string;
}

const after = (t: string | undefined, since: string): boolean => !!t && new Date(t).getTime() >= new Date(since).getTime();

/**
 * The markdown line that says how a queued job ended, or null while it has
 * not run since `since`.
 */
export function outcomeLine(input: DashboardInput, wait: WaitFor, since: string): string | null {
  if (wait.kind === "sync") {
    const s = input.lastSync;
    return s && after(s.at, since) ? `Done: read ${code(s.branch)} at ${code(s.sha.slice(0, 7))}.` : null;
  }
  if (wait.kind === "scan") {
    const s = input.scans[wait.key ?? ""];
    if (!s || !after(s.attemptedAt ?? s.scannedAt, since)) return null;
    if (s.error) return `Scan failed: ${esc(s.error.message)}`;
    const latest = (s.latestTags ?? [])
      .slice(0, 5)
      .map((t) => code(t, 80))
      .join(" ");
    return `Done: found ${s.tagCount ?? 0} tags${latest ? `, latest ${latest}` : ""}.`;
  }
  const a = input.automations[wait.key ?? ""];
  if (!a || !after(a.lastRunAt, since)) return null;
  if (a.error || a.lastResult === "failed") return `The run failed: ${esc(a.error?.message ?? "see the dashboard")}`;
  if (a.lastResult === "pull-request" && a.pullRequest) return `Done: pull request #${a.pullRequest.number} is up to date.`;
  if (a.lastResult === "committed" && a.lastCommit) return `Done: committed ${code(a.lastCommit.sha.slice(0, 7))} to ${code(a.lastCommit.branch)}.`;
  if (a.lastResult === "suspended") return "Not run: the automation is suspended.";
  if (a.lastResult === "waiting") return "Not committed yet: the changes wait (schedule or debounce); see Release information on the dashboard.";
  return "Done: the files are up to date.";
}
