/**
 * The pull-request-event job: a user closed a bot pull request without
 * merging it (its versions are ignored from now on) or ticked its rebase box
 * (the next run recreates the branch). One use case for both, fed by the
 * webhook handler, which only enqueues.
 */
import { withAction } from "../core/dashboard/actions.js";
import { ignoreClosed, requestRebase } from "./update-controls.js";
import type { JobQueue, PullRequestEventData, Clock, Logger, StateStore } from "./ports/index.js";

export interface PullRequestEventDeps {
  queue: JobQueue;
  state: StateStore;
  clock: Clock;
  logger: Logger;
}

export async function handlePullRequestEvent(
  deps: PullRequestEventDeps,
  data: PullRequestEventData,
): Promise<{ result: "ignored" | "rebase-queued" | "unknown" }> {
  const repo = { installationId: data.installationId, owner: data.owner, repo: data.repo };
  const base = { ...repo, account: data.account };
  const at = deps.clock.now().toISOString();
  let policies: string[] = [];
  let automation: string | undefined;
  const after = await deps.state.update(repo, (s) => {
    if (data.action === "closed") {
      ({ policies, automation } = ignoreClosed(s, data.number, data.by, at));
      if (!policies.length) return;
      const what = `ignored the versions of closed pull request #${data.number} (${policies.join(", ")})`;
      s.dashboard = {
        issueNumber: s.dashboard?.issueNumber ?? 0,
        ...s.dashboard,
        recentActions: withAction(s.dashboard?.recentActions, { at, by: data.by, what }),
      };
      return;
    }
    automation = Object.entries(s.automations).find(([, a]) => a.pullRequest?.number === data.number)?.[0];
    if (automation) requestRebase(s, automation, data.by, at);
  });
  const log = { repo: `${repo.owner}/${repo.repo}`, pullRequest: data.number, action: data.action };
  const target = automation ? after.model?.automations.find((a) => `${a.namespace}/${a.name}` === automation) : undefined;
  if (data.action === "closed") {
    if (!policies.length) return { result: "unknown" };
    deps.logger.info({ ...log, policies }, "closed pull request: its versions are ignored");
    // The run records that nothing is pending any more (and refreshes the dashboard).
    if (target)
      await deps.queue.enqueue("reconcile", { ...base, namespace: target.namespace, name: target.name, reason: `pull request #${data.number} closed` });
    await deps.queue.enqueue("sync-dashboard", { ...base, reason: `pull request #${data.number} closed` });
    return { result: "ignored" };
  }
  if (!target) return { result: "unknown" };
  await deps.queue.enqueue("reconcile", { ...base, namespace: target.namespace, name: target.name, reason: `rebase of #${data.number} asked by ${data.by}` });
  deps.logger.info(log, "rebase queued");
  return { result: "rebase-queued" };
}
