/**
 * Per-object rows of the dashboard and of `/flux get images …` replies: the
 * model's objects joined with what the bot remembers about them, as Flux's
 * `flux get images repository|policy|update` columns show them.
 */
import { scopedName } from "../types.js";
import type { DashboardInput } from "./input.js";

export interface RepositoryView {
  namespace: string;
  name: string;
  /** key of its state: `namespace/name`, qualified by the cluster when the repository holds several */
  key: string;
  image: string;
  interval: string;
  file?: string;
  scannedAt?: string;
  tagCount?: number;
  latestTags: string[];
  suspended: boolean;
  ready: boolean;
  /** the last attempt failed */
  failed: boolean;
  /** Flux-like status message */
  message: string;
}

export interface PolicyView {
  namespace: string;
  name: string;
  /** key of its state: `namespace/name`, qualified by the cluster when the repository holds several */
  key: string;
  repository: string;
  latest?: string;
  refsInFiles: Array<{ file: string; line: number; value: string }>;
  suspended: boolean;
  ready: boolean;
  message: string;
  /** the cluster the policy belongs to, when the model says */
  cluster?: string;
}

export interface AutomationView {
  namespace: string;
  name: string;
  /** key of its state: `namespace/name`, qualified by the cluster when the repository holds several */
  key: string;
  cluster?: string;
  interval: string;
  lastRunAt?: string;
  lastResult?: string;
  lastCommit?: { sha: string; branch: string; at: string; url?: string };
  pullRequest?: { number: number; url: string; branch: string; at: string };
  suspended: boolean;
  suspendedBy?: string;
  ready: boolean;
  message: string;
  /** code of the last error, when the last run failed */
  errorCode?: string;
  pending: Array<{ file: string; object: string; oldValue: string; newValue: string; setter: string }>;
}

const byKey = <T extends { namespace: string; name: string }>(a: T, b: T): number => {
  const x = `${a.namespace}/${a.name}`;
  const y = `${b.namespace}/${b.name}`;
  return x < y ? -1 : x > y ? 1 : 0;
};

export function repositoryViews(input: DashboardInput): RepositoryView[] {
  return (input.model?.repositories ?? [])
    .map((r) => {
      const s = input.scans[scopedName(r)];
      const suspended = r.spec.suspend === true;
      const ready = !!s?.scannedAt && !s.error;
      const message = s?.error
        ? s.error.message
        : s?.scannedAt
          ? `successful scan: found ${s.tagCount ?? 0} tags`
          : suspended
            ? "suspended"
            : "not scanned yet";
      return {
        namespace: r.namespace,
        name: r.name,
        key: scopedName(r),
        image: r.spec.image,
        interval: r.spec.interval,
        file: r.file,
        scannedAt: s?.scannedAt,
        tagCount: s?.tagCount,
        latestTags: s?.latestTags ?? [],
        suspended,
        ready,
        failed: !!s?.error,
        message,
      };
    })
    .sort(byKey);
}

export function policyViews(input: DashboardInput): PolicyView[] {
  return (input.model?.policies ?? [])
    .map((p) => {
      const s = input.policies[scopedName(p)];
      const latest = s?.latestRef ? `${s.latestRef.name}:${s.latestRef.tag}${s.latestRef.digest ? `@${s.latestRef.digest}` : ""}` : undefined;
      const ready = !!latest && !s?.error;
      const message = s?.error
        ? s.error.message
        : latest
          ? `Latest image tag for ${s!.latestRef!.name} resolved to ${s!.latestRef!.tag}`
          : "waiting for a scan";
      return {
        namespace: p.namespace,
        name: p.name,
        key: scopedName(p),
        repository: scopedName({ namespace: p.spec.imageRepositoryRef.namespace ?? p.namespace, name: p.spec.imageRepositoryRef.name, scope: p.scope }),
        latest,
        refsInFiles: (s?.refsInFiles ?? []).map(({ file, line, value }) => ({ file, line, value })),
        suspended: p.spec.suspend === true,
        ready,
        message,
        cluster: (p as { cluster?: string }).cluster,
      };
    })
    .sort(byKey);
}

export function automationViews(input: DashboardInput): AutomationView[] {
  return (input.model?.automations ?? [])
    .map((a) => {
      const s = input.automations[scopedName(a)] ?? {};
      const suspendedBy = s.suspendedByChatops?.by;
      const suspended = a.spec.suspend === true || !!suspendedBy;
      const ready = !s.error && !!s.lastRunAt && s.lastResult !== "failed";
      const pending = s.pending ?? [];
      const openPr = s.pullRequest && s.lastResult === "pull-request" ? ` in pull request #${s.pullRequest.number}` : "";
      const message = s.error
        ? s.error.message
        : !s.lastRunAt
          ? "not run yet"
          : pending.length
            ? `${pending.length} change${pending.length === 1 ? "" : "s"} pending${openPr}`
            : "repository up-to-date";
      return {
        namespace: a.namespace,
        name: a.name,
        key: scopedName(a),
        cluster: a.cluster,
        interval: a.spec.interval,
        lastRunAt: s.lastRunAt,
        lastResult: s.lastResult,
        lastCommit: s.lastCommit,
        pullRequest: s.pullRequest,
        suspended,
        suspendedBy,
        ready,
        message,
        errorCode: s.error?.code,
        pending: pending.map(({ file, object, oldValue, newValue, setter }) => ({ file, object, oldValue, newValue, setter })),
      };
    })
    .sort(byKey);
}
