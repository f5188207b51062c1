/**
 * Problems as the dashboard shows them: errors grouped by root cause (code
 * and message) with every place they affect, linked to the file line; and
 * warnings aggregated to one line per code and file.
 */
import { scopedName } from "../types.js";
import type { Problem } from "../errors.js";
import { code, esc, link } from "./escape.js";
import type { DashboardInput } from "./input.js";

export interface RootCause {
  code: string;
  message: string;
  places: Array<{ file?: string; line?: number; object?: string }>;
}

/**
 * Every error once per root cause: stored problems, failed scans and failed
 * runs. A marker left alone because its policy has no result is a
 * consequence: it is listed as a place of the scan or policy error behind it.
 */
export function rootCauses(input: DashboardInput): RootCause[] {
  const byCause = new Map<string, RootCause>();
  /** `ImagePolicy/ns/name` → key of the cause that leaves it without a result */
  const blocked = new Map<string, string>();
  const add = (p: Problem, key = `${p.code}\n${p.message}`): string => {
    const cause = byCause.get(key) ?? { code: p.code, message: p.message, places: [] };
    byCause.set(key, cause);
    if (!cause.places.some((x) => x.file === p.file && x.line === p.line && x.object === p.object))
      cause.places.push({ file: p.file, line: p.line, object: p.object });
    return key;
  };
  const isConsequence = (p: Problem) => p.code === "marker.no-result" && !!p.object;
  const errors = input.problems.filter((p) => p.severity !== "warning");
  for (const r of input.model?.repositories ?? []) {
    const s = input.scans[scopedName(r)];
    if (!s?.error) continue;
    const key = add({ code: s.error.code, message: s.error.message, file: r.file, line: r.line, object: `ImageRepository/${r.namespace}/${r.name}` });
    for (const p of input.model?.policies ?? []) {
      const ref = p.spec.imageRepositoryRef;
      if ((ref.namespace ?? p.namespace) === r.namespace && ref.name === r.name) blocked.set(`ImagePolicy/${p.namespace}/${p.name}`, key);
    }
  }
  for (const p of errors.filter((x) => !isConsequence(x))) {
    const key = add(p);
    if (p.object?.startsWith("ImagePolicy/") && !blocked.has(p.object)) blocked.set(p.object, key);
  }
  for (const a of input.model?.automations ?? []) {
    const e = input.automations[scopedName(a)]?.error;
    if (e) add({ code: e.code, message: e.message, file: a.file, line: a.line, object: `ImageUpdateAutomation/${a.namespace}/${a.name}` });
  }
  for (const p of errors.filter(isConsequence)) {
    const key = blocked.get(p.object!);
    if (key) add({ ...p, object: undefined }, key);
    else add(p);
  }
  return [...byCause.values()];
}

/** `<webUrl>/<owner>/<repo>/blob/<sha>/<path>#L<n>`, or undefined when the commit is not known. */
export function lineUrl(input: DashboardInput, file: string, line?: number): string | undefined {
  if (!input.lastSync?.sha) return undefined;
  const web = (input.webUrl ?? "https://github.com").replace(/\/+$/, "");
  const path = file.split("/").map(encodeURIComponent).join("/");
  return `${web}/${encodeURIComponent(input.repo.owner)}/${encodeURIComponent(input.repo.repo)}/blob/${input.lastSync.sha}/${path}${line ? `#L${line}` : ""}`;
}

const MAX_PLACES = 20;

function place(input: DashboardInput, p: RootCause["places"][number]): string {
  const where = p.file ? link(code(`${p.file}${p.line ? `:${p.line}` : ""}`), lineUrl(input, p.file, p.line)) : "";
  return [p.object ? code(p.object) : "", where].filter(Boolean).join(" in ");
}

/** One list entry per root cause: message first, then where. */
export function rootCauseLines(input: DashboardInput, causes: RootCause[]): string[] {
  const out: string[] = [];
  for (const c of causes) {
    out.push(`- **${esc(c.message, 500)}** (${code(c.code, 80)})`);
    const shown = c.places
      .slice(0, MAX_PLACES)
      .map((p) => place(input, p))
      .filter(Boolean);
    const more = c.places.length > MAX_PLACES ? ` and ${c.places.length - MAX_PLACES} more` : "";
    if (shown.length) out.push(`  - ${c.places.length === 1 ? "Affects" : `Affects ${c.places.length}:`} ${shown.join(", ")}${more}`);
  }
  return out;
}

/** Warnings, one line per code and file. */
export function warningLines(input: DashboardInput): string[] {
  const groups = new Map<string, Problem[]>();
  for (const p of input.problems.filter((x) => x.severity === "warning")) {
    const key = `${p.code}\n${p.file ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((list) => {
    const p = list[0]!;
    const lines = [...new Set(list.map((x) => x.line).filter((l): l is number => !!l))].sort((a, b) => a - b);
    const shown = lines.length ? ` (line${lines.length === 1 ? "" : "s"} ${lines.slice(0, 10).join(", ")}${lines.length > 10 ? ", …" : ""})` : "";
    const where = p.file ? ` in ${link(code(p.file), lineUrl(input, p.file, lines[0]))}${shown}` : "";
    return `- ${code(p.code, 80)}${where}${list.length > 1 ? ` ×${list.length}` : ""}: ${esc(p.message, 300)}`;
  });
}
