/**
 * Replies to `/flux get images …`: `flux get images repository|policy|update
 * -A` as the flux CLI prints them (flux2 `cmd/flux/get_image_*.go` headers,
 * `pkg/printers` table: upper-case headers, cells padded to the column's
 * width and separated by a tab, no borders), inside a fenced code block so
 * nothing in a cell is read as markdown and long cells never wrap a column.
 */
import { fenced } from "../dashboard/escape.js";
import type { DashboardInput } from "../dashboard/input.js";
import { automationViews, policyViews, repositoryViews } from "../dashboard/view.js";
import type { GetWhat } from "./parse.js";

const MAX_ROWS = 200;
const MAX_CELL = 200;
const yesNo = (b: boolean): string => (b ? "True" : "False");
/** RFC 3339 to the second, as flux prints `metav1.Time`. */
const rfc3339 = (iso: string | undefined): string => (iso && !Number.isNaN(Date.parse(iso)) ? `${new Date(iso).toISOString().slice(0, 19)}Z` : "");
const clean = (s: string): string => {
  const one = s.replace(/[\u0000-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, " ");
  return one.length > MAX_CELL ? `${one.slice(0, MAX_CELL - 1)}…` : one;
};

/** The flux CLI's table: every cell but the last padded to its column's width, columns separated by a tab. */
export function fluxTable(head: string[], rows: string[][]): string {
  const all = [head.map((h) => h.toUpperCase()), ...rows.slice(0, MAX_ROWS).map((r) => r.map(clean))];
  const widths = head.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? "")].length)));
  const lines = all.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell + " ".repeat(widths[c]! - [...cell].length)))
      .join("\t")
      .trimEnd(),
  );
  const more = rows.length > MAX_ROWS ? `\n\n_… and ${rows.length - MAX_ROWS} more._` : "";
  return fenced(lines.join("\n")) + more;
}

export function repositoriesTable(input: DashboardInput): string {
  const v = repositoryViews(input);
  if (!v.length) return "No ImageRepository in the repository.";
  return fluxTable(
    ["Namespace", "Name", "Last scan", "Suspended", "Ready", "Message"],
    v.map((r) => [r.namespace, r.name, rfc3339(r.scannedAt), yesNo(r.suspended), yesNo(r.ready), r.message]),
  );
}

export function policiesTable(input: DashboardInput): string {
  const v = policyViews(input);
  if (!v.length) return "No ImagePolicy in the repository.";
  return fluxTable(
    ["Namespace", "Name", "Latest image", "Ready", "Message"],
    v.map((p) => [p.namespace, p.name, p.latest ?? "", yesNo(p.ready), p.message]),
  );
}

export function automationsTable(input: DashboardInput): string {
  const v = automationViews(input);
  if (!v.length) return "No ImageUpdateAutomation in the repository.";
  return fluxTable(
    ["Namespace", "Name", "Last run", "Suspended", "Ready", "Message"],
    v.map((a) => [a.namespace, a.name, rfc3339(a.lastRunAt), yesNo(a.suspended), yesNo(a.ready), a.message]),
  );
}

/** The reply to `get images <what>`. */
export function getReply(input: DashboardInput, what: GetWhat, _now?: Date): string {
  const parts: string[] = [];
  if (what === "all" || what === "repository") parts.push("**Image repositories**", "", repositoriesTable(input));
  if (what === "all" || what === "policy") parts.push(...(parts.length ? [""] : []), "**Image policies**", "", policiesTable(input));
  if (what === "all" || what === "update") parts.push(...(parts.length ? [""] : []), "**Image update automations**", "", automationsTable(input));
  return parts.join("\n");
}
