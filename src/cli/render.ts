/** Human and JSON renderings of a repository plan. */
import type { RepoPlan } from "../app/plan-repository.js";
import { formatProblem } from "../core/errors.js";
import { flatChanges } from "../core/changes.js";

export function refString(r: { name: string; tag: string; digest?: string }): string {
  return `${r.name}:${r.tag}${r.digest ? `@${r.digest}` : ""}`;
}

export function planToJson(plan: RepoPlan, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...extra,
    repositories: plan.model.repositories.map((r) => {
      const s = plan.scans.get(`${r.namespace}/${r.name}`);
      return { namespace: r.namespace, name: r.name, image: r.spec.image, file: r.file, namespaceSource: r.namespaceSource, tagCount: s?.ok ? s.tags.length : undefined, error: s && !s.ok ? s.error : undefined };
    }),
    policies: plan.policies.map((p) => ({ namespace: p.namespace, name: p.name, file: p.policy?.file, latestRef: p.latestRef ?? null, latest: p.latestRef ? refString(p.latestRef) : null, tagCount: p.tagCount, error: p.error?.message, source: p.source })),
    automations: plan.automations.map((a) => ({
      namespace: a.automation.namespace,
      name: a.automation.name,
      file: a.automation.file,
      checkoutBranch: a.checkoutBranch,
      pushBranch: a.pushBranch,
      pullRequest: a.pushBranch !== a.checkoutBranch,
      suspended: a.suspended,
      author: a.author,
      message: a.message,
      messageError: a.messageError?.message,
      files: a.changed.map((f) => f.path),
      changes: flatChanges(a),
      result: a.result,
    })),
    problems: plan.problems,
  };
}

export function planToText(plan: RepoPlan, verb: "would update" | "updated"): string {
  const lines: string[] = [];
  if (plan.model.automations.length === 0) lines.push("No ImageUpdateAutomation found.");
  for (const p of plan.policies) {
    const label = `ImagePolicy ${p.namespace}/${p.name}`;
    lines.push(p.latestRef ? `${label}: ${refString(p.latestRef)}${p.source === "override" ? " (--set)" : p.tagCount !== undefined ? ` (from ${p.tagCount} tags)` : ""}` : `${label}: no result (${p.error?.message ?? "unknown"})`);
  }
  for (const a of plan.automations) {
    lines.push("");
    const target = a.pushBranch === a.checkoutBranch ? `branch ${a.checkoutBranch}` : `branch ${a.pushBranch}, pull request into ${a.checkoutBranch}`;
    lines.push(`ImageUpdateAutomation ${a.automation.namespace}/${a.automation.name} (${target})${a.suspended ? " [suspended]" : ""}`);
    const changes = flatChanges(a);
    if (changes.length === 0) {
      lines.push("  up to date: nothing to change");
      continue;
    }
    lines.push(`  ${verb} ${a.changed.length} file(s):`);
    for (const c of changes) lines.push(`    ${c.file} (${c.object}): ${c.oldValue} -> ${c.newValue}  [${c.setter}]`);
    lines.push(`  author: ${a.author.name} <${a.author.email}>`);
    if (a.messageError) lines.push(`  commit message: NOT RENDERED (${a.messageError.message})`);
    else {
      lines.push("  commit message:");
      for (const l of a.message.split("\n")) lines.push(`    | ${l}`);
    }
  }
  if (plan.problems.length > 0) {
    lines.push("", `Problems (${plan.problems.length}):`);
    for (const p of plan.problems) lines.push(`  ${formatProblem(p)}`);
  }
  return lines.join("\n");
}
