/** Replies to `/flux get images …`: the columns of `flux get images repository|policy|update`, as markdown tables. */
import { code, esc } from "../dashboard/escape.js";
import type { DashboardInput } from "../dashboard/input.js";
import { formatWhen } from "../dashboard/time.js";
import { automationViews, policyViews, repositoryViews } from "../dashboard/view.js";
import type { GetWhat } from "./parse.js";

const MAX_ROWS = 200;
const yesNo = (b: boolean): string => (b ? "True" : "False");

function table(head: string[], rows: string[][]): string {
  const shown = rows.slice(0, MAX_ROWS).map((r) => `| ${r.join(" | ")} |`);
  const lines = [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...shown];
  if (rows.length > MAX_ROWS) lines.push("", `_… and ${rows.length - MAX_ROWS} more._`);
  return lines.join("\n");
}

export function repositoriesTable(input: DashboardInput, now: Date): string {
  const v = repositoryViews(input);
  if (!v.length) return "No ImageRepository in the repository.";
  return table(
    ["Name", "Image", "Last scan", "Tags", "Suspended", "Ready", "Message"],
    v.map((r) => [code(`${r.namespace}/${r.name}`), code(r.image), formatWhen(r.scannedAt, now), String(r.tagCount ?? ""), yesNo(r.suspended), yesNo(r.ready), esc(r.message)]),
  );
}

export function policiesTable(input: DashboardInput): string {
  const v = policyViews(input);
  if (!v.length) return "No ImagePolicy in the repository.";
  return table(
    ["Name", "Latest image", "Ready", "Message"],
    v.map((p) => [code(`${p.namespace}/${p.name}`), p.latest ? code(p.latest) : "", yesNo(p.ready), esc(p.message)]),
  );
}

export function automationsTable(input: DashboardInput, now: Date): string {
  const v = automationViews(input);
  if (!v.length) return "No ImageUpdateAutomation in the repository.";
  return table(
    ["Name", "Last run", "Last commit or pull request", "Suspended", "Ready", "Message"],
    v.map((a) => [
      code(`${a.namespace}/${a.name}`),
      formatWhen(a.lastRunAt, now),
      a.pullRequest ? `#${a.pullRequest.number}` : a.lastCommit ? code(a.lastCommit.sha.slice(0, 7)) : "",
      yesNo(a.suspended),
      yesNo(a.ready),
      esc(a.message),
    ]),
  );
}

/** The reply to `get images <what>`. */
export function getReply(input: DashboardInput, what: GetWhat, now: Date): string {
  const parts: string[] = [];
  if (what === "all" || what === "repository") parts.push("**Image repositories**", "", repositoriesTable(input, now));
  if (what === "all" || what === "policy") parts.push(...(parts.length ? [""] : []), "**Image policies**", "", policiesTable(input));
  if (what === "all" || what === "update") parts.push(...(parts.length ? [""] : []), "**Image update automations**", "", automationsTable(input, now));
  return parts.join("\n");
}
