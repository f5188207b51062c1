/**
 * Job names, payloads and the JobQueue port. Payloads hold identifiers
 * only, never tokens or file contents (architecture §2).
 */
import type { RepoId } from "./ports.js";

export type JobName = "sync-repo" | "scan-image" | "reconcile" | "sync-dashboard" | "run-command" | "pull-request-event";

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
  force?: boolean;
}

export interface CommandJobData extends RepoJobData {
  issueNumber: number;
  commentId: number;
  author: string;
  body: string;
}

export interface DashboardJobData extends RepoJobData {
  /** login of the user whose edit of the dashboard issue queued this job (boxes they ticked are credited to them) */
  by?: string;
}

/** A user closed a bot pull request without merging it, or ticked its rebase box. */
export interface PullRequestEventData extends RepoJobData {
  number: number;
  action: "closed" | "rebase";
  by: string;
}

export interface JobDataByName {
  "sync-repo": SyncJobData;
  "scan-image": ObjectJobData;
  reconcile: ObjectJobData;
  "sync-dashboard": DashboardJobData;
  "run-command": CommandJobData;
  "pull-request-event": PullRequestEventData;
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
    return `${base}-${safe(d.namespace)}-${safe(d.name)}`;
  }
  if (name === "run-command") return `${base}-${(data as CommandJobData).commentId}`;
  if (name === "pull-request-event") return `${base}-${(data as PullRequestEventData).number}-${(data as PullRequestEventData).action}`;
  return base;
}

export function repoPrefix(repo: RepoId): string {
  return `-${repo.installationId}-${safe(repo.owner)}-${safe(repo.repo)}`;
}
