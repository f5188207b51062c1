/** Title and body of the bot's pull requests. */
import { flatChanges } from "../core/changes.js";
import type { AutomationPlan } from "../core/plan.js";

export { flatChanges };

/** Markdown table cells must not break the table or inject markup. */
export function cell(s: string): string {
  return `\`${s.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ")}\``;
}

export function pullRequestTitle(plan: AutomationPlan): string {
  const first = plan.message.split("\n")[0].trim();
  return (first || "Update images").slice(0, 200);
}

export function pullRequestBody(plan: AutomationPlan): string {
  const a = plan.automation;
  const changes = flatChanges(plan);
  const lines = [
    `This pull request is kept up to date by **flux-image-bot** for the ImageUpdateAutomation \`${a.namespace}/${a.name}\` (\`${a.file}\`).`,
    `It updates \`${plan.checkoutBranch}\` from \`${plan.pushBranch}\` because \`spec.git.push.branch\` differs from the checkout branch.`,
    "",
    "| File | Object | Old | New | Policy |",
    "| --- | --- | --- | --- | --- |",
    ...changes.map((c) => `| ${cell(c.file)} | ${cell(c.object)} | ${cell(c.oldValue)} | ${cell(c.newValue)} | ${cell(c.setter)} |`),
    "",
    "<details><summary>Commit message</summary>",
    "",
    "```",
    plan.message.replace(/```/g, "'''"),
    "```",
    "</details>",
    "",
    "<!-- flux-image-bot:pull-request -->",
  ];
  return lines.join("\n");
}
