/**
 * The dashboard's "Release information" section: what waits (approval,
 * schedule, debounce, minimum release age) with the boxes that act on it,
 * and the age, source and update type of what is selected and pending.
 * Its own section, inserted before the footer; bounded in size.
 */
import { code, esc, link } from "../dashboard/escape.js";
import { checkbox, formatKey } from "../dashboard/keys.js";
import type { RepoModel } from "../manifests/parse.js";
import { scopedName } from "../types.js";
import type { ApprovalWait, WaitState } from "./adopt.js";
import { ageText } from "./age.js";
import type { ImageInfo } from "./info.js";
import { sourceUrl, updateType } from "./text.js";

export interface ReleaseDashboardInput {
  model?: RepoModel;
  scans: Record<string, { images?: Record<string, ImageInfo | null> }>;
  policies: Record<
    string,
    { latestRef?: { name: string; tag: string }; waiting?: { tag: string; until?: string; reason: string }; approved?: { tag: string; by: string; at: string } }
  >;
  automations: Record<
    string,
    {
      pending?: Array<{ file: string; object: string; oldValue: string; newValue: string }>;
      release?: { wait?: WaitState & { reason: string; text: string; until?: string }; approvals?: ApprovalWait[] };
    }
  >;
}

export const RELEASE_DASHBOARD_MAX_CHARS = 5_000;

const nsn = (key: string): string => key;

function waits(input: ReleaseDashboardInput, ticked: ReadonlySet<string>): string[] {
  const rows: string[] = [];
  for (const [key, a] of Object.entries(input.automations)) {
    const [namespace, name] = key.replace(/^[^:]*:/, "").split("/");
    for (const w of a.release?.approvals ?? []) {
      const [pns, pname] = w.policy.split("/");
      const pkey = scopedName({ namespace: pns!, name: pname!, scope: key.includes(":") ? key.split(":")[0] : undefined });
      const approved = input.policies[pkey]?.approved;
      const what = `Awaiting approval: ${code(w.policy)} ${code(w.oldValue, 120)} → ${code(w.newValue, 120)} (**${w.type}**) for ${code(nsn(key))}`;
      if (approved?.tag === w.tag) rows.push(`- ${what}: approved by ${esc(approved.by, 60)}, applied on the next run`);
      else {
        const box = formatKey({ kind: "approve-update", namespace: pns!, name: pname!, tag: w.tag });
        rows.push(checkbox(box, ticked.has(box), `${what}. Tick to approve ${code(w.tag, 120)}.`));
      }
    }
    const wait = a.release?.wait;
    if (wait && namespace && name) {
      const box = formatKey({ kind: "run-now", namespace, name });
      const label = wait.reason === "schedule" ? "Awaiting schedule" : "Awaiting more tags";
      rows.push(checkbox(box, ticked.has(box), `${label}: ${code(nsn(key))} ${esc(wait.text, 200)}. Tick to run it now.`));
    }
  }
  for (const [key, p] of Object.entries(input.policies)) {
    if (p.waiting) rows.push(`- ${code(key)}: ${code(p.waiting.tag, 120)} waits until ${esc(p.waiting.until ?? "unknown", 40)} (minimum release age)`);
  }
  return rows;
}

function selected(input: ReleaseDashboardInput, now: Date): string[] {
  const rows: string[] = [];
  const repos = new Map((input.model?.repositories ?? []).map((r) => [r.spec.image, scopedName(r)]));
  for (const [key, p] of Object.entries(input.policies)) {
    if (!p.latestRef) continue;
    const scan = input.scans[repos.get(p.latestRef.name) ?? ""];
    const info = scan?.images?.[p.latestRef.tag];
    if (info === undefined) continue;
    const src = sourceUrl(info?.source ?? undefined);
    rows.push(`- ${code(key)} ${code(p.latestRef.tag, 120)}: ${ageText(info?.created ?? undefined, now)}${src ? `, ${link("source", src)}` : ""}`);
  }
  for (const [key, a] of Object.entries(input.automations)) {
    for (const c of a.pending ?? [])
      rows.push(`- ${code(nsn(key))} ${code(c.file)}: ${code(c.oldValue, 120)} → ${code(c.newValue, 120)} (**${updateType(c.oldValue, c.newValue)}**)`);
  }
  return rows;
}

/** The section's markdown, or "" when there is nothing to show. */
export function releaseDashboardSection(input: ReleaseDashboardInput, now: Date, ticked: ReadonlySet<string> = new Set()): string {
  const w = waits(input, ticked);
  const s = selected(input, now);
  if (!w.length && !s.length) return "";
  const out = ["## Release information", ""];
  if (w.length) out.push(...w, "");
  if (s.length) out.push("<details>", "<summary>Age, source and update type</summary>", "", ...s, "", "</details>");
  let text = out.join("\n").trimEnd();
  if (text.length > RELEASE_DASHBOARD_MAX_CHARS) {
    const cut = text.slice(0, RELEASE_DASHBOARD_MAX_CHARS);
    text = `${cut.slice(0, cut.lastIndexOf("\n"))}\n\n_… cut to ${RELEASE_DASHBOARD_MAX_CHARS} characters._${cut.includes("<details>") ? "\n\n</details>" : ""}`;
  }
  return text;
}

/** The body with the section inserted before the footer (the last `---` line). */
export function withReleaseDashboardSection(body: string, section: string): string {
  if (!section) return body;
  const at = body.lastIndexOf("\n---\n");
  return at < 0 ? `${body.trimEnd()}\n\n${section}\n` : `${body.slice(0, at)}\n${section}\n\n${body.slice(at + 1)}`;
}
