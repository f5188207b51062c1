/**
 * One row per image policy for the dashboard: the image, the tags the files
 * hold, the tag the policy allows, its state and where it stands ("in PR
 * #12", "blocked …", "held …"). Failing and pending rows sort first.
 */
import { policyOfSetter, splitRef } from "../updates.js";
import type { DashboardInput } from "./input.js";
import { automationViews, policyViews, repositoryViews, type AutomationView } from "./view.js";

export type ImageState = "failing" | "pending" | "held" | "ignored" | "waiting" | "unused" | "up to date";

export interface ImageRow {
  namespace: string;
  name: string;
  /** cluster of the policy object, when the repository holds several */
  cluster?: string;
  image: string;
  /** distinct tags written in the files for this policy */
  current: string[];
  /** the tag (with digest) the policy allows */
  allowed?: string;
  state: ImageState;
  /** plain facts for "where it stands"; the renderer turns them into markdown */
  where: Where;
}

export type Where =
  | { kind: "failing"; what: "scan" | "policy" }
  | { kind: "pull-request"; number: number; url: string }
  | { kind: "blocked"; automation: string; code: string }
  | { kind: "suspended"; automation: string; by?: string }
  | { kind: "next-run"; automation?: string; interval?: string }
  | { kind: "held"; by: string }
  | { kind: "ignored"; version: string; pullRequest?: number }
  | { kind: "none"; text: string };

const RANK: Record<ImageState, number> = { failing: 0, pending: 1, held: 2, ignored: 3, waiting: 4, unused: 5, "up to date": 6 };

/** The tag part of a value a marker wrote: a whole reference, or a bare tag for `:tag` markers. */
function tagOf(value: string, setter: string): string | undefined {
  const field = setter.split(":")[2];
  if (field === "tag") return value;
  if (field === "name" || field === "digest") return undefined;
  return splitRef(value).tag;
}

function whereOfPending(autos: AutomationView[]): Where {
  const a =
    autos.find((x) => x.suspended) ??
    autos.find((x) => !x.ready && x.lastResult === "failed") ??
    autos.find((x) => x.pullRequest && x.lastResult === "pull-request") ??
    autos[0];
  if (!a) return { kind: "next-run" };
  const key = `${a.namespace}/${a.name}`;
  if (a.suspended) return { kind: "suspended", automation: key, by: a.suspendedBy };
  if (a.lastResult === "failed") return { kind: "blocked", automation: key, code: a.errorCode ?? "failed" };
  if (a.pullRequest && a.lastResult === "pull-request") return { kind: "pull-request", number: a.pullRequest.number, url: a.pullRequest.url };
  return { kind: "next-run", automation: key, interval: a.interval };
}

export function imageRows(input: DashboardInput): ImageRow[] {
  const repos = new Map(repositoryViews(input).map((r) => [r.key, r]));
  const autos = automationViews(input);
  const controls = input.controls ?? {};
  const rows = policyViews(input).map((p): ImageRow => {
    // `key` as markers and controls name the policy; its state is under its cluster-qualified key
    const key = `${p.namespace}/${p.name}`;
    const repo = repos.get(p.repository);
    const stored = input.policies[p.key];
    const refs = stored?.refsInFiles ?? [];
    const current = [...new Set(refs.map((r) => tagOf(r.value, r.setter)).filter((t): t is string => !!t))];
    const ref = stored?.latestRef;
    const allowed = ref ? `${ref.tag}${ref.digest ? `@${ref.digest.slice(0, 19)}` : ""}` : undefined;
    const version = ref ? `${ref.tag}${ref.digest ? `@${ref.digest}` : ""}` : undefined;
    const base = { namespace: p.namespace, name: p.name, cluster: p.cluster, image: repo?.image ?? ref?.name ?? p.repository, current, allowed };
    if (repo?.failed) return { ...base, state: "failing", where: { kind: "failing", what: "scan" } };
    if (stored?.error) return { ...base, state: "failing", where: { kind: "failing", what: "policy" } };
    if (!ref) return { ...base, state: "waiting", where: { kind: "none", text: "waiting for a scan" } };
    if (!refs.length) return { ...base, state: "unused", where: { kind: "none", text: "no marker in the files" } };
    const differs = current.some((t) => t !== ref.tag);
    const sameCluster = (a: { cluster?: string }): boolean => (a.cluster ?? "") === (p.cluster ?? "");
    const pendingBy = autos.filter((a) => sameCluster(a) && a.pending.some((c) => policyOfSetter(c.setter) === key));
    if (!differs && !pendingBy.length) return { ...base, state: "up to date", where: { kind: "none", text: "up to date" } };
    const held = controls.held?.[key];
    if (held) return { ...base, state: "held", where: { kind: "held", by: held.by } };
    const ignored = (controls.ignored?.[key] ?? []).find((i) => i.version === version);
    if (ignored && !pendingBy.length)
      return { ...base, state: "ignored", where: { kind: "ignored", version: ignored.version, pullRequest: ignored.pullRequest } };
    return {
      ...base,
      state: "pending",
      where: whereOfPending(pendingBy.length ? pendingBy : autos.filter((a) => sameCluster(a) && a.namespace === p.namespace)),
    };
  });
  return rows.sort((a, b) => RANK[a.state] - RANK[b.state] || (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
}
