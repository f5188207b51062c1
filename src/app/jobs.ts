/**
 * Job names, payloads and the JobQueue port. Payloads hold identifiers
 * only, never tokens or file contents: Redis keeps them, and whoever can read
 * Redis must learn nothing that lets them act as the app.
 */
import type { RepoId } from "./ports.js";

export type JobName = "sync-repo" | "scan-image" | "reconcile" | "sync-dashboard" | "run-command";

export interface RepoJobData extends RepoId {
  /** GitHub account (login) that owns the installation: scopes registry credentials */
  account?: string;
  reason?: string;
}

export interface SyncJobData extends RepoJobData {
  /** scan every ImageRepository now, ignoring cached scans */
  forceScan?: boolean;
}

export interface ObjectJobData extends RepoJobData {
  namespace: string;
  name: string;
  /** the cluster qualifier of the object's key, when the repository holds several clusters */
  scope?: string;
  force?: boolean;
}

export interface CommandJobData extends RepoJobData {
  issueNumber: number;
  commentId: number;
  author: string;
  body: string;
}

export interface JobDataByName {
  "sync-repo": SyncJobData;
  "scan-image": ObjectJobData;
  reconcile: ObjectJobData;
  "sync-dashboard": RepoJobData;
  "run-command": CommandJobData;
}

export interface EnqueueOptions {
  delayMs?: number;
}

export interface JobQueue {
  /** Adds a job; a job with the same business key that is waiting absorbs it (one runs at a time per key). */
  enqueue<N extends JobName>(name: N, data: JobDataByName[N], opts?: EnqueueOptions): Promise<void>;
  /** Creates or updates a repeating job. */
  upsertSchedule<N extends JobName>(name: N, data: JobDataByName[N], everyMs: number): Promise<void>;
  /** Removes repeating jobs of a repository whose keys are not in `keep`. */
  pruneSchedules(repo: RepoId, keep: ReadonlySet<string>): Promise<number>;
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** Business key of a job, e.g. `reconcile-42-octo-app-flux-system-auto`. Never contains ':'. */
export function jobKey<N extends JobName>(name: N, data: JobDataByName[N]): string {
  const base = `${name}-${data.installationId}-${safe(data.owner)}-${safe(data.repo)}`;
  if (name === "scan-image" || name === "reconcile") {
    const d = data as ObjectJobData;
    return `${base}-${d.scope ? `${safe(d.scope)}-` : ""}${safe(d.namespace)}-${safe(d.name)}`;
  }
  if (name === "run-command") return `${base}-${(data as CommandJobData).commentId}`;
  return base;
}

export function repoPrefix(repo: RepoId): string {
  return `-${repo.installationId}-${safe(repo.owner)}-${safe(repo.repo)}`;
}
