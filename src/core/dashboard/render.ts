/**
 * The dashboard issue body: state in, markdown out. Pure: the clock value
 * comes in as an argument. It opens with one summary line, then what needs
 * action; when the whole body would pass GitHub's limit on issue bodies,
 * healthy rows and activity are trimmed first, with a note saying how many
 * entries are not shown; failing rows and boxes that act are kept.
 */
import { code } from "./escape.js";
import type { DashboardInput } from "./input.js";
import { checkbox, DASHBOARD_MARKER, formatKey } from "./keys.js";
import { buildSections, summaryLine, type Section } from "./sections.js";
import { formatAbsolute } from "./time.js";

/** GitHub refuses issue bodies over 65,536 characters. */
export const GITHUB_BODY_LIMIT = 65_536;
/** What we aim for, leaving room for GitHub counting characters differently from UTF-16 code units. */
export const DEFAULT_MAX_LENGTH = 60_000;

export interface RenderOptions {
  now: Date;
  /** keys of boxes to render ticked (a tick not handled yet) */
  ticked?: ReadonlySet<string>;
  maxLength?: number;
  /** chatops prefix named in the footer; default "/flux" */
  prefix?: string;
}

function renderSection(s: Section, keep: number): string {
  const rows = s.rows.slice(0, keep);
  const hidden = s.rows.length - rows.length;
  const block = [...(rows.length ? (s.head ?? []) : []), ...rows];
  if (hidden > 0) block.push("", `_… and ${hidden} more not shown: the issue body would pass GitHub's limit of ${GITHUB_BODY_LIMIT} characters._`);
  const out = s.title ? [`${"#".repeat(s.level ?? 2)} ${s.title}`, ""] : [];
  if (s.intro?.length) out.push(...s.intro, "");
  if (s.collapse === "always" && block.length) out.push("<details>", `<summary>${s.summary ?? ""}</summary>`, "", ...block, "", "</details>");
  else out.push(...block);
  return out.join("\n").trimEnd();
}

function header(input: DashboardInput, summary: string): string[] {
  const lines = [DASHBOARD_MARKER, "", summary];
  const repo = code(`${input.repo.owner}/${input.repo.repo}`);
  const s = input.lastSync;
  if (s) lines.push("", `<sub>Flux image automation for ${repo}, last read ${code(s.branch)} at ${code(s.sha.slice(0, 7))} on ${formatAbsolute(s.at)}.</sub>`);
  else lines.push("", "The repository has not been read yet.");
  if (input.model && !input.model.repositories.length && !input.model.automations.length) {
    lines.push("", "No ImageRepository, ImagePolicy or ImageUpdateAutomation was found in the repository.");
  }
  return lines;
}

function footer(ticked: ReadonlySet<string>, prefix: string): string[] {
  const key = formatKey({ kind: "sync-repository" });
  return [
    "---",
    "",
    checkbox(key, ticked.has(key), "Tick to read the repository again and scan every image now."),
    "",
    `<sub>Written by flux-image-bot: edit only the checkboxes. Comment ${code(`${prefix} help`, 60)} for the commands.</sub>`,
  ];
}

function assemble(head: string, sections: Section[], keep: number[], ticked: ReadonlySet<string>, prefix: string): string {
  const parts = [head, ...sections.map((s, i) => renderSection(s, keep[i]!)).filter(Boolean), footer(ticked, prefix).join("\n")];
  return `${parts.join("\n\n")}\n`;
}

export function renderDashboard(input: DashboardInput, opts: RenderOptions): string {
  const ticked = opts.ticked ?? new Set<string>();
  const prefix = opts.prefix ?? "/flux";
  const max = Math.min(opts.maxLength ?? DEFAULT_MAX_LENGTH, GITHUB_BODY_LIMIT);
  const sections = buildSections(input, { now: opts.now, ticked });
  const keep = sections.map((s) => s.rows.length);
  const head = header(input, summaryLine(input)).join("\n");
  let body = assemble(head, sections, keep, ticked, prefix);
  // Trim the blocks with the highest trim priority first (healthy rows, then activity), by up to half at a time.
  while (body.length > max) {
    const open = sections.map((sec, i) => ({ sec, i })).filter(({ sec, i }) => sec.trim > 0 && keep[i]! > (sec.minKeep ?? 0));
    if (!open.length) break;
    const top = Math.max(...open.map((o) => o.sec.trim));
    const { sec, i } = open.filter((o) => o.sec.trim === top).sort((a, b) => keep[b.i]! - keep[a.i]!)[0]!;
    let excess = body.length - max;
    let k = keep[i]!;
    const floor = Math.max(sec.minKeep ?? 0, Math.floor(k / 2));
    while (k > floor && excess > 0) excess -= sec.rows[--k]!.length + 1;
    keep[i] = k;
    body = assemble(head, sections, keep, ticked, prefix);
  }
  if (body.length > max) {
    const tail = `\n\n_The rest is not shown: the issue body would pass GitHub's limit of ${GITHUB_BODY_LIMIT} characters._\n\n${footer(ticked, prefix).join("\n")}\n`;
    let cut = body.slice(0, max - tail.length - 40);
    cut = cut.slice(0, Math.max(cut.lastIndexOf("\n"), 0));
    // Close a <details> block the cut left open.
    const open = cut.split("<details>").length - cut.split("</details>").length;
    body = cut + "\n\n</details>".repeat(Math.max(0, open)) + tail;
  }
  return body;
}
