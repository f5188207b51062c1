/**
 * Carries out what a dashboard box (or the matching chatops command) asks
 * for: a scan, a run or a re-read is queued; holding, releasing, un-ignoring
 * and resuming change the stored controls and queue the runs they affect.
 */
import type { BoxAction } from "../core/dashboard/keys.js";
import type { RepoModel } from "../core/manifests/parse.js";
import { scopedName } from "../core/types.js";
import { approveUpdate } from "./release-gates.js";
import { hold, release, unignore } from "./update-controls.js";
import { type JobQueue, type RepoJobData, type Clock, type StateStore, repoIdOf } from "./ports/index.js";

/**
 * The objects a box or command names by `namespace/name`: one per cluster
 * that holds it (the same name may live in several clusters of a repository).
 */
export function matching(
  list: ReadonlyArray<{ namespace: string; name: string; scope?: string }> | undefined,
  namespace: string,
  name: string,
): Array<{ namespace: string; name: string; scope?: string }> {
  const found = (list ?? [])
    .filter((o) => o.namespace === namespace && o.name === name)
    .map((o) => ({ namespace, name, ...(o.scope ? { scope: o.scope } : {}) }));
  return found.length > 0 ? found : [{ namespace, name }];
}

/** The state keys of what a box or command names (see `matching`). */
export const matchingKeys = (list: Parameters<typeof matching>[0], namespace: string, name: string): string[] =>
  matching(list, namespace, name).map(scopedName);

/**
 * Enqueues the job a box asks for, once per cluster holding the object it
 * names; control boxes queue a run of every automation (a policy may serve several).
 */
export async function enqueueBoxAction(
  queue: JobQueue,
  data: RepoJobData,
  a: BoxAction,
  reason: string,
  model?: Pick<RepoModel, "repositories" | "automations">,
): Promise<void> {
  const base = { ...repoIdOf(data), account: data.account, reason };
  if (a.kind === "sync-repository") await queue.enqueue("sync-repo", { ...base, forceScan: true });
  else if (a.kind === "scan-repository")
    for (const o of matching(model?.repositories, a.namespace, a.name)) await queue.enqueue("scan-image", { ...base, ...o, force: true });
  else if (a.kind === "reconcile-automation" || a.kind === "resume-automation")
    for (const o of matching(model?.automations, a.namespace, a.name)) await queue.enqueue("reconcile", { ...base, ...o });
  // flux-image-bot/schedule and debounce: run now, outside the window
  else if (a.kind === "run-now")
    for (const o of matching(model?.automations, a.namespace, a.name)) await queue.enqueue("reconcile", { ...base, ...o, force: true });
  else if (a.kind === "approve-update") return;
  else
    for (const au of model?.automations ?? [])
      await queue.enqueue("reconcile", { ...base, namespace: au.namespace, name: au.name, ...(au.scope ? { scope: au.scope } : {}) });
}

export interface BoxDeps {
  queue: JobQueue;
  state: StateStore;
  clock: Clock;
}

/** Applies a box: the state change of a control box, then the jobs. */
export async function applyBoxAction(deps: BoxDeps, data: RepoJobData, a: BoxAction, by: string): Promise<void> {
  if (a.kind === "sync-repository" || a.kind === "scan-repository" || a.kind === "reconcile-automation" || a.kind === "run-now") {
    return enqueueBoxAction(deps.queue, data, a, `dashboard box ticked by ${by}`, (await deps.state.get(repoIdOf(data)))?.model);
  }
  const at = deps.clock.now().toISOString();
  // flux-image-bot/approve: the approval is recorded, then the automations of that policy run
  if (a.kind === "approve-update") return approveUpdate(deps.state, deps.queue, data, a, by, at, `update approved by ${by}`);
  const key = `${a.namespace}/${a.name}`;
  const after = await deps.state.update(repoIdOf(data), (s) => {
    if (a.kind === "hold-update") hold(s, key, by, at);
    else if (a.kind === "release-update") release(s, key);
    else if (a.kind === "unignore-version") unignore(s, key, a.version);
    else for (const k of matchingKeys(s.model?.automations, a.namespace, a.name)) if (s.automations[k]) delete s.automations[k]!.suspendedByChatops;
  });
  await enqueueBoxAction(deps.queue, data, a, `dashboard box ticked by ${by}`, after.model);
}
