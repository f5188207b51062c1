/**
 * The dashboard issue body: state in, markdown out. Pure: the clock value
 * comes in as an argument. Long sections are collapsed in `<details>` and,
 * when the whole body would pass GitHub's limit on issue bodies, trimmed
 * with a note saying how many entries are not shown.
 */
import { code } from "./escape.js";
import type { DashboardInput } from "./input.js";
import { checkbox, DASHBOARD_MARKER, formatKey } from "./keys.js";
import { buildSections, type Section } from "./sections.js";
import { formatAbsolute } from "./time.js";

/** GitHub refuses issue bodies over 65,536 characters. */
export const GITHUB_BODY_LIMIT = 65_536;
/** What we aim for, leaving room for GitHub counting characters differently from UTF-16 code units. */
export const DEFAULT_MAX_LENGTH = 60_000;
/** Sections with more rows (or characters) than this are collapsed. */
const COLLAPSE_ROWS = 10;
const COLLAPSE_CHARS = 4_000;

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
  const block = [...(s.head ?? []), ...rows];
  if (hidden > 0) block.push("", `_… and ${hidden} more not shown: the issue body would pass GitHub's limit of ${GITHUB_BODY_LIMIT} characters._`);
  const chars = s.rows.reduce((n, r) => n + r.length + 1, 0);
  const collapse = s.rows.length > COLLAPSE_ROWS || chars > COLLAPSE_CHARS;
  const out = [`## ${s.title}`, ""];
  if (s.intro?.length) out.push(...s.intro, "");
  if (collapse) out.push("<details>", `<summary>${s.summary}</summary>`, "", ...block, "", "</details>");
  else out.push(...block);
  return out.join("\n");
}

function header(input: DashboardInput): string[] {
  const repo = code(`${input.repo.owner}/${input.repo.repo}`);
  const lines = [DASHBOARD_MARKER, "", `This issue shows Flux image automation for ${repo}: what the bot found, what it will change, and what went wrong.`];
  if (input.lastSync) lines.push("", `Last read ${code(input.lastSync.branch)} at ${code(input.lastSync.sha.slice(0, 7))} on ${formatAbsolute(input.lastSync.at)}.`);
  else lines.push("", "The repository has not been read yet.");
  if (input.model && !input.model.repositories.length && !input.model.automations.length) {
    lines.push("", "No ImageRepository, ImagePolicy or ImageUpdateAutomation was found in the repository.");
  }
  return lines;
}

function footer(ticked: ReadonlySet<string>, prefix: string): string[] {
  const key = formatKey({ kind: "sync-repository" });
  return ["---", "", checkbox(key, ticked.has(key), "Tick to read the repository again and scan every image now."), "", `<sub>Written by flux-image-bot: edit only the checkboxes. Comment ${code(`${prefix} help`, 60)} for the commands.</sub>`];
}

function assemble(input: DashboardInput, sections: Section[], keep: number[], ticked: ReadonlySet<string>, prefix: string): string {
  const parts = [header(input).join("\n"), ...sections.map((s, i) => renderSection(s, keep[i]!)), footer(ticked, prefix).join("\n")];
  return `${parts.join("\n\n")}\n`;
}

export function renderDashboard(input: DashboardInput, opts: RenderOptions): string {
  const ticked = opts.ticked ?? new Set<string>();
  const prefix = opts.prefix ?? "/flux";
  const max = Math.min(opts.maxLength ?? DEFAULT_MAX_LENGTH, GITHUB_BODY_LIMIT);
  const sections = buildSections(input, { now: opts.now, ticked });
  const keep = sections.map((s) => s.rows.length);
  let body = assemble(input, sections, keep, ticked, prefix);
  // Trim the largest section by up to half of its shown rows at a time, until the body fits.
  while (body.length > max) {
    let best = -1;
    let bestChars = 0;
    sections.forEach((s, i) => {
      const chars = s.rows.slice(0, keep[i]).reduce((n, r) => n + r.length + 1, 0);
      if (keep[i]! > 1 && chars > bestChars) [best, bestChars] = [i, chars];
    });
    if (best < 0) break;
    const s = sections[best]!;
    let excess = body.length - max;
    let k = keep[best]!;
    const floor = Math.max(1, Math.floor(k / 2));
    while (k > floor && excess > 0) excess -= s.rows[--k]!.length + 1;
    keep[best] = k;
    body = assemble(input, sections, keep, ticked, prefix);
  }
  if (body.length > max) {
    const tail = `\n\n_The rest is not shown: the issue body would pass GitHub's limit of ${GITHUB_BODY_LIMIT} characters._\n\n${footer(ticked, prefix).join("\n")}\n`;
    const cut = body.slice(0, max - tail.length);
    body = cut.slice(0, Math.max(cut.lastIndexOf("\n"), 0)) + tail;
  }
  return body;
}
