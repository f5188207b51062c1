/** Human and JSON renderings of a repository plan. */
import type { RepoPlan } from "../app/plan-repository.js";
import { formatProblem } from "../core/errors.js";
import { flatChanges } from "../core/changes.js";
import type { AutomationPlan } from "../core/plan.js";
import type { ObjectMeta } from "../core/types.js";
import { approvalsNeeded, policyGates, releaseView, updateType, waitingText, type ApprovalWait } from "../core/release/index.js";
import { infoKey } from "../app/release-info.js";

export function refString(r: { name: string; tag: string; digest?: string }): string {
  return `${r.name}:${r.tag}${r.digest ? `@${r.digest}` : ""}`;
}

/** Where an object lives and what decided its identity, for every kind in `--json`. */
function identityOf(o: ObjectMeta | undefined): Record<string, unknown> {
  if (!o) return {};
  return {
    cluster: o.cluster ?? "",
    identity: { kind: o.kind, namespace: o.namespace, name: o.name, labels: o.labels },
    identitySource: o.identitySource ?? [],
    namespaceSource: o.namespaceSource,
    appliedBy: o.appliedBy,
  };
}

/** What happened to an automation, in words a user cannot misread. */
export function automationStatus(
  a: AutomationPlan,
  verb: "would update" | "updated",
): { state: "suspended" | "failed" | "up-to-date" | "changes"; text: string } {
  if (a.suspended) return { state: "suspended", text: "suspended (spec.suspend: true): nothing is written" };
  const error = a.problems.find((p) => p.severity !== "warning" && p.code.startsWith("automation."));
  if (error) return { state: "failed", text: `failed, nothing is written: ${error.message}` };
  if (a.messageError) return { state: "failed", text: `failed, nothing is written: the commit message template failed: ${a.messageError.message}` };
  if (a.changed.length === 0) return { state: "up-to-date", text: "up to date: nothing to change" };
  return { state: "changes", text: `${verb} ${a.changed.length} file${a.changed.length === 1 ? "" : "s"}:` };
}

export function planToJson(plan: RepoPlan, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const verb = extra.mode === "apply" ? "updated" : "would update";
  const now = new Date();
  return {
    ...extra,
    clusters: (plan.model.clusters ?? []).map((c) => ({ name: c.name, fallback: c.fallback, root: c.root ?? null, ...(c.note ? { note: c.note } : {}) })),
    repositories: plan.model.repositories.map((r) => {
      const s = plan.scans.get(`${r.scope ? `${r.scope}:` : ""}${r.namespace}/${r.name}`);
      return {
        namespace: r.namespace,
        name: r.name,
        image: r.spec.image,
        file: r.file,
        line: r.line,
        ...identityOf(r),
        tagCount: s?.ok ? s.tags.length : undefined,
        error: s && !s.ok ? s.error : undefined,
      };
    }),
    policies: plan.policies.map((p) => ({
      namespace: p.namespace,
      name: p.name,
      file: p.policy?.file,
      line: p.policy?.line,
      ...identityOf(p.policy),
      latestRef: p.latestRef ?? null,
      latest: p.latestRef ? refString(p.latestRef) : null,
      tagCount: p.tagCount,
      error: p.error?.message,
      source: p.source,
      // flux-image-bot: what the selected image says about itself, and a candidate that waits
      ...(plan.infos ? { release: releaseView(p, (image, tag) => plan.infos?.get(infoKey(image, tag)), now) ?? null } : {}),
    })),
    automations: plan.automations.map((a) => {
      const status = automationStatus(a, verb);
      return {
        namespace: a.automation.namespace,
        name: a.automation.name,
        file: a.automation.file,
        line: a.automation.line,
        ...identityOf(a.automation),
        state: status.state,
        checkoutBranch: a.checkoutBranch,
        pushBranch: a.pushBranch,
        pullRequest: a.pushBranch !== a.checkoutBranch,
        suspended: a.suspended,
        author: a.author,
        message: a.messageError ? null : a.message,
        messageError: a.messageError?.message,
        files: a.changed.map((f) => f.path),
        changes: flatChanges(a).map((c) => ({ ...c, type: updateType(c.oldValue, c.newValue) })),
        // flux-image-bot/approve: the bot would hold these updates until approved on the dashboard
        ...(plan.infos ? { awaitingApproval: awaitingApproval(plan, a) } : {}),
        result: a.result,
      };
    }),
    problems: plan.problems,
  };
}

function awaitingApproval(plan: RepoPlan, a: AutomationPlan): ApprovalWait[] {
  const policy = (key: string) => plan.policies.find((p) => `${p.namespace}/${p.name}` === key && (p.scope ?? "") === (a.automation.scope ?? ""));
  return approvalsNeeded(
    flatChanges(a),
    (k) => {
      const p = policy(k)?.policy;
      return p ? policyGates(p).gates : undefined;
    },
    (k) => policy(k)?.latestRef?.tag,
    () => false,
  );
}

function clusterTitle(name: string, fallback: boolean): string {
  return fallback
    ? "No Flux cluster found (no Flux Kustomization applies this repository and branch): every kustomization and file is taken as applied to one cluster"
    : `Cluster ${name}`;
}

export function planToText(plan: RepoPlan, verb: "would update" | "updated"): string {
  const lines: string[] = [];
  const clusters = plan.model.clusters ?? [{ name: "", fallback: true }];
  const invalidAutomations = new Set(
    plan.problems.filter((p) => p.severity !== "warning" && p.object?.includes("ImageUpdateAutomation/")).map((p) => p.object),
  );
  for (const c of clusters) {
    lines.push(clusterTitle(c.name, c.fallback), "");
    const inCluster = <T extends { cluster?: string }>(o: T | undefined): boolean => (o?.cluster ?? "") === c.name;
    for (const p of plan.policies.filter((x) => !x.policy || inCluster(x.policy))) {
      const label = `ImagePolicy ${p.namespace}/${p.name}`;
      const from = p.source === "override" ? " (--set)" : p.tagCount !== undefined ? ` (from ${p.tagCount} tag${p.tagCount === 1 ? "" : "s"})` : "";
      lines.push(p.latestRef ? `${label}: ${refString(p.latestRef)}${from}` : `${label}: no result (${p.error?.message ?? p.held?.text ?? "unknown"})`);
      const waits = waitingText(p.age);
      if (waits) lines.push(`  ${waits}`);
    }
    const automations = plan.automations.filter((a) => inCluster(a.automation));
    if (automations.length === 0)
      lines.push(
        invalidAutomations.size > 0 ? `No valid ImageUpdateAutomation: ${invalidAutomations.size} invalid (see Problems).` : "No ImageUpdateAutomation found.",
      );
    for (const a of automations) renderAutomation(a, verb, lines);
    lines.push("");
  }
  if (plan.problems.length > 0) {
    lines.push(`Problems (${plan.problems.length}):`);
    for (const p of plan.problems) lines.push(`  ${formatProblem(p)}`);
  }
  return lines.join("\n").replace(/\n+$/, "");
}

function renderAutomation(a: AutomationPlan, verb: "would update" | "updated", lines: string[]): void {
  lines.push("");
  const target = a.pushBranch === a.checkoutBranch ? `branch ${a.checkoutBranch}` : `branch ${a.pushBranch}, pull request into ${a.checkoutBranch}`;
  lines.push(`ImageUpdateAutomation ${a.automation.namespace}/${a.automation.name} (${target})${a.suspended ? " [suspended]" : ""}`);
  const status = automationStatus(a, verb);
  const changes = flatChanges(a);
  if (status.state !== "changes") {
    lines.push(`  ${status.text}`);
    if (status.state === "failed" && changes.length > 0)
      for (const c of changes) lines.push(`    not written: ${c.file} (${c.object}): ${c.oldValue} -> ${c.newValue}`);
    return;
  }
  lines.push(`  ${status.text}`);
  for (const c of changes) lines.push(`    ${c.file} (${c.object}): ${c.oldValue} -> ${c.newValue}  [${c.setter}]`);
  lines.push(`  author: ${a.author.name} <${a.author.email}>`);
  lines.push("  commit message:");
  for (const l of a.message.split("\n")) lines.push(`    | ${l}`);
}
