/**
 * Carries out what a dashboard box (or the matching chatops command) asks
 * for: a scan, a run or a re-read is queued; holding, releasing, un-ignoring
 * and resuming change the stored controls and queue the runs they affect.
 */
import type { BoxAction } from "../core/dashboard/keys.js";
import type { JobQueue, RepoJobData } from "./jobs.js";
import type { Clock } from "./ports.js";
import type { StateStore } from "./state.js";
import { hold, release, unignore } from "./update-controls.js";

const repoOf = (d: RepoJobData) => ({ installationId: d.installationId, owner: d.owner, repo: d.repo });

/** Enqueues the job a box asks for; control boxes queue a run of every automation (a policy may serve several). */
export async function enqueueBoxAction(queue: JobQueue, data: RepoJobData, a: BoxAction, reason: string, automations: ReadonlyArray<{ namespace: string; name: string }> = []): Promise<void> {
  const base = { ...repoOf(data), account: data.account, reason };
  if (a.kind === "sync-repository") await queue.enqueue("sync-repo", { ...base, forceScan: true });
  else if (a.kind === "scan-repository") await queue.enqueue("scan-image", { ...base, namespace: a.namespace, name: a.name, force: true });
  else if (a.kind === "reconcile-automation" || a.kind === "resume-automation") await queue.enqueue("reconcile", { ...base, namespace: a.namespace, name: a.name });
  else for (const au of automations) await queue.enqueue("reconcile", { ...base, namespace: au.namespace, name: au.name });
}

export interface BoxDeps {
  queue: JobQueue;
  state: StateStore;
  clock: Clock;
}

/** Applies a box: the state change of a control box, then the jobs. */
export async function applyBoxAction(deps: BoxDeps, data: RepoJobData, a: BoxAction, by: string): Promise<void> {
  if (a.kind === "sync-repository" || a.kind === "scan-repository" || a.kind === "reconcile-automation") {
    return enqueueBoxAction(deps.queue, data, a, `dashboard box ticked by ${by}`);
  }
  const at = deps.clock.now().toISOString();
  const key = `${a.namespace}/${a.name}`;
  const after = await deps.state.update(repoOf(data), (s) => {
    if (a.kind === "hold-update") hold(s, key, by, at);
    else if (a.kind === "release-update") release(s, key);
    else if (a.kind === "unignore-version") unignore(s, key, a.version);
    else if (s.automations[key]) delete s.automations[key]!.suspendedByChatops;
  });
  await enqueueBoxAction(deps.queue, data, a, `dashboard box ticked by ${by}`, after.model?.automations ?? []);
}
