/**
 * What users decided about updates, applied to a reconcile: a held policy's
 * update and a version whose pull request was closed without merging stay
 * out of commits and pull requests (a newer version is proposed again), and
 * a rebase box recreates the push branch from the base branch.
 *
 * These rules are the bot's own (Flux has no pull requests); they mirror
 * Renovate's "closed PR = ignore this version" behaviour.
 */
import type { Problem } from "../core/errors.js";
import type { AutomationPlan, PolicyResult } from "../core/plan.js";
import { flatChanges } from "../core/changes.js";
import { policyOfSetter } from "../core/updates.js";
import type { LatestRef } from "../core/types.js";
import type { RepoGateway, RepoId, RepoState, UpdateControls } from "./ports/index.js";

/** How a version is remembered: `tag`, or `tag@digest` when the policy reflects digests. */
export const versionOf = (r: LatestRef): string => `${r.tag}${r.digest ? `@${r.digest}` : ""}`;

const MAX_IGNORED_PER_POLICY = 20;
const MAX_PROPOSED = 50;

/** The policy results a reconcile may apply, and the policies it must leave as they are. */
export function controlledResults(state: Pick<RepoState, "controls">, results: readonly PolicyResult[]): { results: PolicyResult[]; skipped: Set<string> } {
  const c = state.controls ?? {};
  const skipped = new Set<string>();
  const out = results.map((r) => {
    const key = `${r.namespace}/${r.name}`;
    if (!r.latestRef) return r;
    const ignored = (c.ignored?.[key] ?? []).some((i) => i.version === versionOf(r.latestRef!));
    if (!c.held?.[key] && !ignored) return r;
    skipped.add(key);
    return { ...r, latestRef: undefined, error: undefined };
  });
  return { results: out, skipped };
}

/** Drops the "no selected image" problems that a held or ignored policy causes: they are the user's choice, not a fault. */
export function withoutSkippedProblems(problems: readonly Problem[], skipped: ReadonlySet<string>): Problem[] {
  return problems.filter((p) => !(p.code === "marker.no-result" && p.object && skipped.has(p.object.replace(/^ImagePolicy\//, ""))));
}

/** Policy `ns/name` → image name, for titles of markers that write only a tag. */
export function imagesOf(results: readonly PolicyResult[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of results) {
    const image = r.latestRef?.name ?? r.repository?.spec.image;
    if (image) out.set(`${r.namespace}/${r.name}`, image);
  }
  return out;
}

export function rebaseRequested(state: Pick<RepoState, "controls">, automation: string): boolean {
  return !!state.controls?.rebase?.[automation];
}

/**
 * A rebase asked for (a hold does that) that leaves nothing to update: the
 * open pull request would only propose held updates, so it is closed with a
 * note. Releasing an update opens a new one. Returns the number closed.
 */
export async function closeEmptiedPullRequest(
  gateway: RepoGateway,
  repo: RepoId,
  state: Pick<RepoState, "controls">,
  plan: AutomationPlan,
): Promise<number | undefined> {
  if (plan.pushBranch === plan.checkoutBranch || !rebaseRequested(state, `${plan.automation.namespace}/${plan.automation.name}`)) return undefined;
  const pr = await gateway.findOpenPullRequest(repo, plan.pushBranch, plan.checkoutBranch);
  if (!pr) return undefined;
  const note =
    "_Closed by flux-image-bot: nothing is left to update once the held updates are left out. Releasing one on the dashboard opens a new pull request._";
  await gateway.updatePullRequest(repo, pr.number, { body: `${note}\n\n${pr.body}`, state: "closed" });
  return pr.number;
}

/**
 * After a pull request was opened or updated: remember the versions it
 * proposes (closing it ignores them) and clear a rebase request it served.
 */
export function notePullRequest(s: RepoState, automation: string, number: number, plan: AutomationPlan | undefined, results: readonly PolicyResult[]): void {
  s.controls ??= {};
  const c: UpdateControls = s.controls;
  if (c.rebase) delete c.rebase[automation];
  if (!plan) return;
  const versions: Record<string, string> = {};
  for (const change of flatChanges(plan)) {
    const policy = policyOfSetter(change.setter);
    const ref = results.find((r) => `${r.namespace}/${r.name}` === policy)?.latestRef;
    if (ref) versions[policy] = versionOf(ref);
  }
  const entries = Object.entries({ ...c.proposed, [String(number)]: { automation, versions } });
  c.proposed = Object.fromEntries(entries.slice(-MAX_PROPOSED));
}

/** Ignores the versions a closed pull request proposed; returns the policies concerned and the automation that proposed them. */
export function ignoreClosed(s: RepoState, number: number, by: string, at: string): { policies: string[]; automation?: string } {
  s.controls ??= {};
  const c: UpdateControls = s.controls;
  const proposed = c.proposed?.[String(number)];
  if (!proposed) return { policies: [] };
  c.ignored ??= {};
  const ignored = c.ignored;
  for (const [policy, version] of Object.entries(proposed.versions)) {
    const list = (ignored[policy] ?? []).filter((i) => i.version !== version);
    ignored[policy] = [{ version, by, at, pullRequest: number }, ...list].slice(0, MAX_IGNORED_PER_POLICY);
  }
  delete c.proposed![String(number)];
  return { policies: Object.keys(proposed.versions), automation: proposed.automation };
}

export function unignore(s: RepoState, policy: string, version: string): void {
  const ignored = s.controls?.ignored;
  if (!ignored?.[policy]) return;
  ignored[policy] = ignored[policy]!.filter((i) => i.version !== version);
  if (!ignored[policy]!.length) delete ignored[policy];
}

/** Holds a policy's update; open pull requests are made again without it on their next run. */
export function hold(s: RepoState, policy: string, by: string, at: string): void {
  s.controls ??= {};
  s.controls.held ??= {};
  s.controls.held[policy] = { by, at };
  for (const [key, a] of Object.entries(s.automations)) if (a.pullRequest && a.lastResult === "pull-request") requestRebase(s, key, by, at);
}

export function release(s: RepoState, policy: string): void {
  if (s.controls?.held) delete s.controls.held[policy];
}

export function requestRebase(s: RepoState, automation: string, by: string, at: string): void {
  s.controls ??= {};
  s.controls.rebase ??= {};
  s.controls.rebase[automation] = { by, at };
}
