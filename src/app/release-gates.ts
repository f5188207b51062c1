/**
 * What a reconcile holds back before committing (flux-image-bot
 * annotations, all off unless set): policy updates awaiting approval, and
 * the automation's schedule and debounce. The commit itself is untouched:
 * same files, same message template.
 */
import { flatChanges } from "../core/changes.js";
import type { AutomationPlan, PolicyResult } from "../core/plan.js";
import { adoptionDecision, approvalsNeeded, changesKey, type Adoption, type ApprovalWait } from "../core/release/adopt.js";
import { automationGates, policyGates } from "../core/release/annotations.js";
import type { ImageUpdateAutomation } from "../core/types.js";
import { scopedName } from "../core/types.js";
import type { JobQueue, RepoJobData, RepoState, StateStore } from "./ports/index.js";

/** Policies of the automation's cluster by marker name `namespace/name`. */
function policyOf(state: RepoState, automation: ImageUpdateAutomation, policy: string) {
  const [namespace, name] = policy.split("/");
  return state.model?.policies.find((p) => p.namespace === namespace && p.name === name && (p.scope ?? "") === (automation.scope ?? ""));
}

/** The results with every policy whose update awaits approval held back, and those approvals. */
export function holdForApproval(
  state: RepoState,
  automation: ImageUpdateAutomation,
  plan: AutomationPlan,
  results: readonly PolicyResult[],
): { results: PolicyResult[]; approvals: ApprovalWait[] } {
  const key = (policy: string) => {
    const [namespace, name] = policy.split("/");
    return scopedName({ namespace: namespace!, name: name!, scope: automation.scope });
  };
  const resultOf = (policy: string) => results.find((r) => `${r.namespace}/${r.name}` === policy && (r.scope ?? "") === (automation.scope ?? ""));
  const approvals = approvalsNeeded(
    flatChanges(plan),
    (policy) => {
      const p = policyOf(state, automation, policy);
      return p ? policyGates(p).gates : undefined;
    },
    (policy) => resultOf(policy)?.latestRef?.tag,
    (policy, tag) => state.policies[key(policy)]?.approved?.tag === tag,
  );
  if (!approvals.length) return { results: [...results], approvals };
  const held = new Set(approvals.map((a) => a.policy));
  const out = results.map((r) =>
    held.has(`${r.namespace}/${r.name}`) && (r.scope ?? "") === (automation.scope ?? "")
      ? { ...r, latestRef: undefined, held: { reason: "approval" as const, text: "awaiting approval on the dashboard" } }
      : r,
  );
  return { results: out, approvals };
}

/** Schedule and debounce: whether the plan's changes may be committed now. */
export function scheduleGate(state: RepoState, automation: ImageUpdateAutomation, key: string, plan: AutomationPlan, now: Date, force: boolean): Adoption {
  const { gates } = automationGates(automation);
  return adoptionDecision(gates, { now, changesKey: changesKey(flatChanges(plan)), previous: state.automations[key]?.release?.wait, force });
}

/**
 * A ticked "approve" box: records the approval of `tag` for the policy
 * (every cluster's policy of that name) and runs the automations of its
 * namespace. Recorded before the run is queued, so the run sees it.
 */
export async function approveUpdate(
  store: StateStore,
  queue: JobQueue,
  data: RepoJobData,
  a: { namespace: string; name: string; tag: string },
  by: string,
  at: string,
  reason: string,
): Promise<void> {
  const repo = { installationId: data.installationId, owner: data.owner, repo: data.repo };
  const s = await store.update(repo, (st) => {
    for (const p of st.model?.policies ?? []) {
      if (p.namespace !== a.namespace || p.name !== a.name) continue;
      const k = scopedName(p);
      st.policies[k] = { ...(st.policies[k] ?? {}), approved: { tag: a.tag, by, at } };
    }
  });
  const scopes = new Set((s.model?.policies ?? []).filter((p) => p.namespace === a.namespace && p.name === a.name).map((p) => p.scope ?? ""));
  for (const auto of s.model?.automations ?? []) {
    if (auto.namespace !== a.namespace || !scopes.has(auto.scope ?? "")) continue;
    await queue.enqueue("reconcile", {
      ...repo,
      account: data.account,
      namespace: auto.namespace,
      name: auto.name,
      ...(auto.scope ? { scope: auto.scope } : {}),
      reason,
    });
  }
}
