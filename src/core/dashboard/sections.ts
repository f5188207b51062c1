/** The sections of the dashboard body, each a title and rows; empty sections are left out by the renderer. */
import type { Problem } from "../errors.js";
import { code, esc, link } from "./escape.js";
import type { DashboardInput } from "./input.js";
import { checkbox, formatKey } from "./keys.js";
import { formatAbsolute, formatWhen } from "./time.js";
import { automationViews, policyViews, repositoryViews, type AutomationView } from "./view.js";

export interface Section {
  title: string;
  /** lines shown above the (possibly collapsed) rows */
  intro?: string[];
  /** lines repeated at the top of the rows block, e.g. a table header */
  head?: string[];
  rows: string[];
  /** what a collapsed block says, e.g. "12 image repositories" */
  summary: string;
}

export interface SectionOptions {
  now: Date;
  /** keys of boxes to render ticked */
  ticked: ReadonlySet<string>;
}

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
const nsn = (o: { namespace: string; name: string }): string => `${o.namespace}/${o.name}`;

function problemLine(p: Problem): string {
  const where = p.file ? `${code(p.file)}${p.line ? ` line ${p.line}` : ""}` : "";
  const what = p.object ? code(p.object) : "";
  const subject = [where, what].filter(Boolean).join(", ");
  const sev = p.severity === "warning" ? "warning: " : "";
  return `- ${subject ? `${subject}: ` : ""}${sev}${esc(p.message, 500)}`;
}

export function problemsSection(input: DashboardInput): Section | null {
  if (!input.problems.length) return null;
  const groups = new Map<string, Problem[]>();
  for (const p of input.problems) groups.set(p.code, [...(groups.get(p.code) ?? []), p]);
  const rows: string[] = [];
  for (const c of [...groups.keys()].sort()) {
    const list = groups.get(c)!;
    rows.push(`- ${code(c)} (${list.length}):`);
    for (const p of list) rows.push(`  ${problemLine(p)}`);
  }
  return {
    title: "Problems",
    intro: ["Fix these in the repository; the bot re-reads it on the next push."],
    rows,
    summary: plural(input.problems.length, "problem"),
  };
}

export function pendingSection(input: DashboardInput, autos: AutomationView[]): Section | null {
  const withPending = autos.filter((a) => a.pending.length);
  if (!withPending.length) return null;
  const rows: string[] = [];
  for (const a of withPending) {
    const when = a.suspended ? "suspended" : `runs every ${code(a.interval, 40)}`;
    rows.push(`- ${code(nsn(a))} (${when}):`);
    for (const c of a.pending) rows.push(`  - ${code(c.file)} ${code(c.object)}: ${code(c.oldValue)} → ${code(c.newValue)}`);
  }
  const total = withPending.reduce((n, a) => n + a.pending.length, 0);
  return { title: "Pending updates", intro: ["The next run of each automation will make these changes."], rows, summary: plural(total, "pending change") };
}

export function activitySection(input: DashboardInput, autos: AutomationView[]): Section | null {
  const rows: string[] = [];
  for (const a of autos) {
    const pr = a.pullRequest;
    if (pr) rows.push(`- Pull request ${link(`#${pr.number}`, pr.url)} from ${code(pr.branch)} by ${code(nsn(a))}, updated ${formatAbsolute(pr.at)}`);
  }
  for (const e of input.activity.filter((x) => x.kind === "commit")) {
    const sha = e.sha ? link(code(e.sha.slice(0, 7)), e.url) : "";
    rows.push(`- Commit ${sha} by ${code(e.automation)}: ${esc(e.summary)} (${formatAbsolute(e.at)})`);
  }
  if (!rows.length) return null;
  return { title: "Pull requests and recent commits", rows, summary: plural(rows.length, "entry", "entries") };
}

export function repositoriesSection(input: DashboardInput, opts: SectionOptions): Section | null {
  const views = repositoryViews(input);
  if (!views.length) return null;
  const rows = views.map((r) => {
    const key = formatKey({ kind: "scan-repository", namespace: r.namespace, name: r.name });
    const state = r.suspended ? "suspended" : r.ready ? "Ready" : r.failed ? "failed" : "not ready";
    const tags = r.latestTags.length ? `, latest ${r.latestTags.slice(0, 5).map((t) => code(t, 80)).join(" ")}` : "";
    const count = r.tagCount !== undefined ? `, ${plural(r.tagCount, "tag")}` : "";
    const detail = r.ready ? "" : `: ${esc(r.message)}`;
    return checkbox(key, opts.ticked.has(key), `${code(nsn(r))} ${code(r.image)} every ${code(r.interval, 40)}, last scan ${formatWhen(r.scannedAt, opts.now)}${count}${tags}. **${state}**${detail}`);
  });
  return { title: "Image repositories", intro: ["Tick a box to scan that image repository now."], rows, summary: plural(views.length, "image repository", "image repositories") };
}

export function policiesSection(input: DashboardInput): Section | null {
  const views = policyViews(input);
  if (!views.length) return null;
  const rows = views.map((p) => {
    const refs = p.refsInFiles.slice(0, 5).map((r) => `${code(`${r.file}:${r.line}`)} ${code(r.value)}`);
    if (p.refsInFiles.length > 5) refs.push(`and ${p.refsInFiles.length - 5} more`);
    const state = p.suspended ? "suspended" : p.ready ? "Ready" : `not ready: ${esc(p.message)}`;
    return `| ${code(nsn(p))} | ${p.latest ? code(p.latest) : "none"} | ${refs.join("<br>") || "none"} | ${state} |`;
  });
  return { title: "Image policies", head: ["| Policy | Latest image | In the files | State |", "| --- | --- | --- | --- |"], rows, summary: plural(views.length, "image policy", "image policies") };
}

export function automationsSection(autos: AutomationView[], opts: SectionOptions): Section | null {
  if (!autos.length) return null;
  const rows = autos.map((a) => {
    const key = formatKey({ kind: "reconcile-automation", namespace: a.namespace, name: a.name });
    const out: string[] = [`${code(nsn(a))} every ${code(a.interval, 40)}, last run ${formatWhen(a.lastRunAt, opts.now)}`];
    if (a.lastResult) out.push(`result ${esc(a.lastResult, 40)}`);
    if (a.lastCommit) out.push(`last commit ${link(code(a.lastCommit.sha.slice(0, 7)), a.lastCommit.url)} on ${code(a.lastCommit.branch)}`);
    if (a.pullRequest) out.push(`pull request ${link(`#${a.pullRequest.number}`, a.pullRequest.url)}`);
    const state = a.suspendedBy ? `suspended by ${esc(a.suspendedBy, 60)} (chatops)` : a.suspended ? "suspended" : a.ready ? "Ready" : `not ready: ${esc(a.message)}`;
    return checkbox(key, opts.ticked.has(key), `${out.join(", ")}. **${state}**`);
  });
  return { title: "Update automations", intro: ["Tick a box to run that automation now."], rows, summary: plural(autos.length, "automation") };
}

export function actionsSection(input: DashboardInput): Section | null {
  const list = input.recentActions ?? [];
  if (!list.length) return null;
  const rows = list.map((a) => `- ${formatAbsolute(a.at)}: ${esc(a.what)} (asked by ${esc(a.by, 60)})`);
  return { title: "Recent actions", rows, summary: plural(rows.length, "action") };
}

export function buildSections(input: DashboardInput, opts: SectionOptions): Section[] {
  const autos = automationViews(input);
  const all = [
    problemsSection(input),
    pendingSection(input, autos),
    activitySection(input, autos),
    repositoriesSection(input, opts),
    policiesSection(input),
    automationsSection(autos, opts),
    actionsSection(input),
  ];
  return all.filter((s): s is Section => s !== null);
}
