/**
 * The blocks of the dashboard body, in order: what needs action (errors,
 * never collapsed), one table of images (failing and pending first, up to
 * date folded) with the boxes that act on them, ignored versions, warnings,
 * the scan and run boxes, and recent activity. Blocks the renderer may trim
 * when the body is too long carry a trim priority; a failing row or a box
 * that acts never does.
 */
import { code, esc, link } from "./escape.js";
import { imageRows, type ImageRow, type Where } from "./images.js";
import type { DashboardInput } from "./input.js";
import { checkbox, formatKey, type BoxAction } from "./keys.js";
import { rootCauseLines, rootCauses, warningLines } from "./problems.js";
import { formatAbsolute, formatAgo } from "./time.js";
import { automationViews, repositoryViews } from "./view.js";

export interface Section {
  /** `## title` (or `### title` with level 3); none for a block that continues the one before */
  title?: string;
  level?: 2 | 3;
  /** lines shown above the rows */
  intro?: string[];
  /** lines repeated at the top of the rows block, e.g. a table header */
  head?: string[];
  rows: string[];
  /** "always" folds the rows in `<details>` with `summary`; "never" leaves them open */
  collapse: "always" | "never";
  summary?: string;
  /** 0: never trimmed; the highest number is trimmed first */
  trim: number;
  /** rows never trimmed (failing rows sort first) */
  minKeep?: number;
}

export interface SectionOptions {
  now: Date;
  /** keys of boxes to render ticked */
  ticked: ReadonlySet<string>;
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
const nsn = (o: { namespace: string; name: string }): string => `${o.namespace}/${o.name}`;
const box = (opts: SectionOptions, a: BoxAction, label: string): string => {
  const key = formatKey(a);
  return checkbox(key, opts.ticked.has(key), label);
};

const TABLE_HEAD = ["| Image | In the files | Allowed | State | Where it stands |", "| --- | --- | --- | --- | --- |"];

function whereText(w: Where): string {
  switch (w.kind) {
    case "failing":
      return `${w.what === "scan" ? "scan failed" : "policy error"}, see [Needs action](#needs-action)`;
    case "pull-request":
      return `in pull request ${link(`#${w.number}`, w.url)}`;
    case "blocked":
      return `blocked: ${code(w.code, 60)} on ${code(w.automation, 120)}, see [Needs action](#needs-action)`;
    case "suspended":
      return w.by ? `suspended by ${esc(w.by, 40)}, tick to resume below` : `suspended by ${code("spec.suspend")} of ${code(w.automation, 120)}`;
    case "next-run":
      return w.automation ? `next run of ${code(w.automation, 120)} (every ${code(w.interval ?? "", 20)})` : "next run";
    case "held":
      return `held by ${esc(w.by, 40)}, tick to release below`;
    case "ignored":
      return `${code(w.version, 80)} ignored${w.pullRequest ? ` (#${w.pullRequest} closed)` : ""}, tick to un-ignore below`;
    default:
      return esc(w.text);
  }
}

function row(r: ImageRow): string {
  const current = r.current.length
    ? r.current
        .slice(0, 3)
        .map((t) => code(t, 60))
        .join(" ") + (r.current.length > 3 ? " …" : "")
    : "none";
  const state = r.state === "failing" ? "**failing**" : r.state;
  return `| ${code(r.image, 120)}<br><sub>${esc(nsn(r), 120)}</sub> | ${current} | ${r.allowed ? code(r.allowed, 80) : "none"} | ${state} | ${whereText(r.where)} |`;
}

function controlLines(rows: ImageRow[], input: DashboardInput, opts: SectionOptions): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const target = { namespace: r.namespace, name: r.name };
    const what = `${code(nsn(r), 120)} → ${code(r.allowed ?? "", 80)}`;
    if (r.state === "pending") out.push(box(opts, { kind: "hold-update", ...target }, `Hold ${what}`));
    if (r.state === "held") out.push(box(opts, { kind: "release-update", ...target }, `Release ${what}`));
  }
  for (const a of automationViews(input).filter((x) => x.suspendedBy)) {
    out.push(
      box(opts, { kind: "resume-automation", namespace: a.namespace, name: a.name }, `Resume ${code(nsn(a), 120)} (suspended by ${esc(a.suspendedBy!, 40)})`),
    );
  }
  return out;
}

/** The image table(s): one per cluster when the repository holds several. */
function imageSections(input: DashboardInput, opts: SectionOptions): Section[] {
  const rows = imageRows(input);
  if (!rows.length) return [];
  const clusters = [...new Set(rows.map((r) => r.cluster ?? ""))].sort();
  const out: Section[] = [{ title: "Images", rows: [], collapse: "never", trim: 0 }];
  for (const cluster of clusters) {
    const mine = rows.filter((r) => (r.cluster ?? "") === cluster);
    const attention = mine.filter((r) => r.state !== "up to date");
    const ok = mine.filter((r) => r.state === "up to date");
    const title = clusters.length > 1 ? `Cluster ${code(cluster || "(none)", 80)}` : undefined;
    const failing = attention.filter((r) => r.state === "failing").length;
    out.push({ title, level: 3, head: TABLE_HEAD, rows: attention.map(row), collapse: "never", trim: 1, minKeep: failing });
    if (ok.length) out.push({ head: TABLE_HEAD, rows: ok.map(row), collapse: "always", summary: `${plural(ok.length, "image")} up to date`, trim: 3 });
  }
  const controls = controlLines(rows, input, opts);
  if (controls.length)
    out.push({ intro: ["A held update stays out of commits and pull requests until released."], rows: controls, collapse: "never", trim: 0 });
  return out;
}

function ignoredSection(input: DashboardInput, opts: SectionOptions): Section | null {
  const rows: string[] = [];
  const policies = new Set((input.model?.policies ?? []).map((p) => `${p.namespace}/${p.name}`));
  for (const [policy, list] of Object.entries(input.controls?.ignored ?? {})) {
    if (!policies.has(policy)) continue; // the policy is gone from the repository
    const [namespace = "", name = ""] = policy.split("/");
    for (const i of list) {
      const why = i.pullRequest ? `pull request #${i.pullRequest} closed by ${esc(i.by, 40)}` : `by ${esc(i.by, 40)}`;
      rows.push(
        box(
          opts,
          { kind: "unignore-version", namespace, name, version: i.version },
          `${code(policy, 120)} ${code(i.version, 100)} (${why}): tick to un-ignore`,
        ),
      );
    }
  }
  return rows.length ? { title: "Ignored versions", rows, collapse: "never", trim: 0 } : null;
}

function warningsSection(input: DashboardInput): Section | null {
  const rows = warningLines(input);
  return rows.length ? { rows, collapse: "always", summary: plural(rows.length, "warning"), trim: 2 } : null;
}

function boxesSection(input: DashboardInput, opts: SectionOptions): Section | null {
  const ago = (t: string | undefined) => formatAgo(t, opts.now) || "never";
  const repos = repositoryViews(input).map((r) =>
    box(opts, { kind: "scan-repository", namespace: r.namespace, name: r.name }, `Scan ${code(nsn(r), 120)}, last ${ago(r.scannedAt)}`),
  );
  const autos = automationViews(input).map((a) => {
    const result = a.lastResult ? `: ${esc(a.lastResult, 40)}` : "";
    return box(opts, { kind: "reconcile-automation", namespace: a.namespace, name: a.name }, `Run ${code(nsn(a), 120)}, last ${ago(a.lastRunAt)}${result}`);
  });
  if (!repos.length && !autos.length) return null;
  const summary = `${plural(repos.length, "image repository", "image repositories")}, ${plural(autos.length, "automation")}`;
  return { title: "Scan or run now", rows: [...repos, ...autos], collapse: "always", summary, trim: 0 };
}

function activitySection(input: DashboardInput): Section | null {
  const entries = input.activity.map((e) => {
    const what =
      e.kind === "commit" ? `Commit ${e.sha ? link(code(e.sha.slice(0, 7)), e.url) : ""}` : `Pull request ${e.number ? link(`#${e.number}`, e.url) : ""}`;
    return { at: e.at, line: `- ${formatAbsolute(e.at)}: ${what} by ${code(e.automation, 120)}: ${esc(e.summary)}` };
  });
  for (const a of input.recentActions ?? []) entries.push({ at: a.at, line: `- ${formatAbsolute(a.at)}: ${esc(a.what)} (asked by ${esc(a.by, 60)})` });
  // newest first (ISO times sort as text)
  const rows = entries.sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0)).map((e) => e.line);
  return rows.length ? { title: "Recent activity", rows, collapse: "always", summary: plural(rows.length, "entry", "entries"), trim: 1 } : null;
}

/** The summary line: counts of what needs action, is pending, and is up to date. */
export function summaryLine(input: DashboardInput): string {
  const rows = imageRows(input);
  const causes = rootCauses(input).length;
  const count = (s: ImageRow["state"]) => rows.filter((r) => r.state === s).length;
  const parts = [causes ? `**${causes} need${causes === 1 ? "s" : ""} action**` : "**Nothing needs action**", `${count("pending")} pending`];
  if (count("held")) parts.push(`${count("held")} held`);
  if (count("ignored")) parts.push(`${count("ignored")} ignored`);
  parts.push(`${plural(count("up to date"), "image")} up to date`);
  return parts.join(" · ");
}

export function buildSections(input: DashboardInput, opts: SectionOptions): Section[] {
  const causes = rootCauses(input);
  const intro = ["Fix these in the repository (or its registry credentials); the bot reads it again on the next push."];
  const needs: Section | null = causes.length ? { title: "Needs action", intro, rows: rootCauseLines(input, causes), collapse: "never", trim: 0 } : null;
  const all = [needs, ...imageSections(input, opts), ignoredSection(input, opts), warningsSection(input), boxesSection(input, opts), activitySection(input)];
  return all.filter((s): s is Section => s !== null);
}
