/**
 * The sync-dashboard job: render the dashboard issue from the stored state
 * and write it when it changed. The issue is read fresh before every write,
 * ticked boxes found there are acted on here and only here (the webhook
 * handler queues this job), never silently unticked, and the
 * body is read once more right before the write so a tick made meanwhile
 * starts the loop again rather than being lost.
 */
import { createHash } from "node:crypto";
import { actionExists, describeAction, outcomeLine, withAction } from "../core/dashboard/actions.js";
import type { DashboardInput } from "../core/dashboard/input.js";
import { isDashboardBody, tickedActions } from "../core/dashboard/parse.js";
import { renderDashboard } from "../core/dashboard/render.js";
import { applyBoxAction } from "./box-actions.js";
import { allProblems } from "./state.js";
import { releaseDashboardSection, withReleaseDashboardSection } from "../core/release/dashboard.js";
import {
  type IssueGateway,
  type IssueInfo,
  type DashboardJobData,
  type JobQueue,
  type Clock,
  type Logger,
  type RepoId,
  type RepoState,
  type StateStore,
  repoIdOf,
} from "./ports/index.js";

export interface DashboardDeps {
  issues: IssueGateway;
  state: StateStore;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  title: string;
  enabled: boolean;
  /** the app's bot login, e.g. "flux-image-bot[bot]", used to find our issue and ignore our own comments */
  botLogin: string;
  /** GitHub's web address for links to file lines; default https://github.com */
  webUrl?: string;
  /** labels put on the dashboard issue (PULL_REQUEST_LABELS) */
  labels?: string[];
}

export type SyncDashboardResult = { result: "created" | "updated" | "unchanged" | "reopened" | "disabled" | "skipped"; issueNumber?: number };

/** A chatops reply older than this is not edited any more. */
const REPLY_TTL_MS = 60 * 60 * 1000;
const MAX_ATTEMPTS = 3;

const hash = (s: string): string => createHash("sha256").update(s).digest("hex");

/** Relative times ("5 minutes ago") alone are no reason to write the issue again. */
export function withoutRelativeTimes(body: string): string {
  return body.replace(/\b(just now|in the future|\d+ (minute|hour|day)s? ago)\b/g, "");
}

export function dashboardInput(s: RepoState, webUrl?: string): DashboardInput {
  return {
    repo: { owner: s.repo.owner, repo: s.repo.repo },
    webUrl,
    controls: s.controls,
    defaultBranch: s.defaultBranch,
    lastSync: s.lastSync,
    model: s.model,
    scans: s.scans,
    policies: s.policies,
    automations: s.automations,
    problems: allProblems(s),
    activity: s.activity,
    recentActions: s.dashboard?.recentActions,
  };
}

async function findIssue(deps: DashboardDeps, repo: RepoId, known: number | undefined): Promise<IssueInfo | null> {
  if (known) {
    try {
      const i = await deps.issues.getIssue(repo, known);
      // Our own issue: by login, or by author type when the configured login is off (the number came from our own create).
      if (isDashboardBody(i.body) && (i.author.toLowerCase() === deps.botLogin.toLowerCase() || i.authorType === "Bot")) return i;
    } catch (e) {
      if ((e as { code?: string }).code !== "github.not-found") throw e;
    }
  }
  const ours = (await deps.issues.listIssues(repo, { creator: deps.botLogin, state: "all" })).filter((i) => isDashboardBody(i.body));
  const open = ours.filter((i) => i.state === "open").sort((a, b) => a.number - b.number);
  if (open.length) return open[0]!;
  return ours.sort((a, b) => b.number - a.number)[0] ?? null;
}

/** Edits chatops replies whose job has run since; drops old ones. Never throws. */
async function settleReplies(deps: DashboardDeps, repo: RepoId, state: RepoState): Promise<void> {
  const replies = state.dashboard?.replies ?? [];
  const now = deps.clock.now().getTime();
  const input = dashboardInput(state);
  const done = new Set<number>();
  for (const r of replies) {
    if (!r.waitFor) continue;
    const line = outcomeLine(input, r.waitFor, r.at);
    if (!line) {
      if (now - new Date(r.at).getTime() > REPLY_TTL_MS) done.add(r.commentId);
      continue;
    }
    try {
      await deps.issues.updateComment(repo, r.replyId, `${r.text}\n\n${line}`);
      done.add(r.commentId);
    } catch (e) {
      deps.logger.warn({ repo: `${repo.owner}/${repo.repo}`, comment: r.replyId, error: (e as Error).message }, "could not edit a chatops reply");
    }
  }
  if (!done.size) return;
  await deps.state.update(repo, (s) => {
    if (!s.dashboard?.replies) return;
    s.dashboard.replies = s.dashboard.replies.map((r) => (done.has(r.commentId) ? { ...r, waitFor: undefined } : r));
  });
}

/**
 * Acts on the boxes ticked in `body` (the one place that does: the webhook
 * handler only queues this job, with the login of who edited the issue);
 * returns the new state. The render that follows unticks them.
 */
async function handleTicks(deps: DashboardDeps, data: DashboardJobData, body: string, state: RepoState, done: Set<string>): Promise<RepoState> {
  const input = dashboardInput(state);
  const todo = tickedActions(body).filter((t) => !done.has(t.key) && actionExists(input, t.action));
  if (!todo.length) return state;
  for (const t of todo) done.add(t.key);
  const at = deps.clock.now().toISOString();
  const by = data.by ?? "a dashboard checkbox";
  for (const t of todo) await applyBoxAction(deps, data, t.action, by);
  deps.logger.info({ repo: `${data.owner}/${data.repo}`, boxes: todo.map((t) => t.key), by }, "acted on ticked dashboard boxes");
  return deps.state.update(repoIdOf(data), (s) => {
    let actions = s.dashboard?.recentActions;
    for (const t of todo)
      actions = withAction(actions, {
        at,
        by,
        what: `${/^(hold|release|unignore|resume)/.test(t.action.kind) ? "" : "queued: "}${describeAction(t.action)}`,
        key: t.key,
      });
    s.dashboard = { issueNumber: s.dashboard?.issueNumber ?? 0, ...s.dashboard, recentActions: actions };
  });
}

async function remember(deps: DashboardDeps, repo: RepoId, issueNumber: number, body: string, labelled?: boolean): Promise<void> {
  await deps.state.update(repo, (s) => {
    s.dashboard = { ...s.dashboard, issueNumber, lastBodyHash: hash(body), ...(labelled && deps.labels?.length ? { labelled: true } : {}) };
  });
}

export async function syncDashboard(deps: DashboardDeps, data: DashboardJobData): Promise<SyncDashboardResult> {
  const repo = repoIdOf(data);
  const log = { repo: `${repo.owner}/${repo.repo}` };
  let state = await deps.state.get(repo);
  if (!state?.model) return { result: "skipped" };
  await settleReplies(deps, repo, state);
  if (!deps.enabled) return { result: "disabled" };
  const m = state.model;
  const hasObjects = m.repositories.length + m.policies.length + m.automations.length > 0;
  // flux-image-bot release information: its own section before the footer
  const render = (s: RepoState) =>
    withReleaseDashboardSection(renderDashboard(dashboardInput(s, deps.webUrl), { now: deps.clock.now() }), releaseDashboardSection(s, deps.clock.now()));

  let issue = await findIssue(deps, repo, state.dashboard?.issueNumber || undefined);
  if (!issue) {
    if (!hasObjects && !allProblems(state).length) return { result: "skipped" };
    const body = render(state);
    const created = await deps.issues.createIssue(repo, { title: deps.title, body });
    if (deps.labels?.length) await deps.issues.addLabels(repo, created.number, deps.labels);
    await remember(deps, repo, created.number, body, true);
    deps.logger.info({ ...log, issue: created.number }, "dashboard issue created");
    return { result: "created", issueNumber: created.number };
  }

  // An issue made before the labels were configured gets them once; a label people remove stays removed.
  const missing = (deps.labels ?? []).filter((l) => !issue!.labels.includes(l));
  if (missing.length && !state.dashboard?.labelled) await deps.issues.addLabels(repo, issue.number, missing);
  if (deps.labels?.length && !state.dashboard?.labelled)
    state = await deps.state.update(repo, (s) => {
      s.dashboard = { issueNumber: issue!.number, ...s.dashboard, labelled: true };
    });
  const done = new Set<string>();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    state = await handleTicks(deps, data, issue.body, state, done);
    const body = render(state);
    const reopen = issue.state === "closed" && state.model!.automations.length > 0;
    if (withoutRelativeTimes(body) === withoutRelativeTimes(issue.body) && !reopen) {
      if (state.dashboard?.lastBodyHash !== hash(body) || state.dashboard?.issueNumber !== issue.number) await remember(deps, repo, issue.number, body);
      return { result: "unchanged", issueNumber: issue.number };
    }
    // Read again right before writing: a box ticked while we rendered must not be unticked unseen.
    const check = await deps.issues.getIssue(repo, issue.number);
    if (check.body !== issue.body && attempt < MAX_ATTEMPTS) {
      deps.logger.debug({ ...log, issue: issue.number }, "dashboard edited while rendering; reading it again");
      issue = check;
      continue;
    }
    if (check.body !== issue.body) state = await handleTicks(deps, data, check.body, state, done);
    const finalBody = check.body !== issue.body ? render(state) : body;
    await deps.issues.updateIssue(repo, issue.number, reopen ? { body: finalBody, state: "open" } : { body: finalBody });
    await remember(deps, repo, issue.number, finalBody);
    deps.logger.info({ ...log, issue: issue.number, reopened: reopen }, "dashboard issue written");
    return { result: reopen ? "reopened" : "updated", issueNumber: issue.number };
  }
  return { result: "skipped", issueNumber: issue.number };
}
