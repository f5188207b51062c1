/**
 * Job names, payloads and the JobQueue port. Payloads hold identifiers
 * only, never tokens or file contents: Redis keeps them, and whoever can read
 * Redis must learn nothing that lets them act as the app.
 */
import type { RepoId } from "./repo.js";

/**
 * Job names are persisted (BullMQ keys and repeatable schedules in Redis), so they never change with the code's names:
 * `scan-image` runs `scanImage`, `sync-repo` runs `syncRepository`.
 */
export type JobName = "sync-repo" | "scan-image" | "reconcile" | "sync-dashboard" | "run-command" | "pull-request-event";

export interface RepoJobData extends RepoId {
  /** GitHub account that owns the installation, by id (a decimal string; jobs of older versions hold its login): scopes registry credentials */
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
  /** the author is over CHATOPS_RATE_LIMIT: the job only tells them so (once per window) */
  rateLimited?: boolean;
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
