/**
 * What the bot remembers per repository (shown on the dashboard), and the
 * StateStore port that keeps it. Plain JSON data only: it goes through Redis.
 */
import type { Problem } from "../../core/errors.js";
import type { RepoModel } from "../../core/manifests/parse.js";
import type { LatestRef } from "../../core/types.js";
import type { DashboardActivity, DashboardAutomation } from "../../core/dashboard/input.js";
import type { ImageInfo } from "../../core/release/info.js";
import type { ApprovalWait, WaitState } from "../../core/release/adopt.js";
import type { RepoId } from "./repo.js";

export interface ScanState {
  image: string;
  canonical?: string;
  /** ISO time of the scan the result comes from */
  scannedAt?: string;
  tagCount?: number;
  /** first 10 tags in Flux's order (descending bytes), as `flux get images repository` shows */
  latestTags?: string[];
  /** checksum of the tag list; a change triggers reconciles */
  revision?: string;
  error?: { code: string; message: string };
  /** ISO time of the last attempt */
  attemptedAt?: string;
  /** what the candidates' images say about themselves (flux-image-bot release information), by tag */
  images?: Record<string, ImageInfo | null>;
}

export interface PolicyState {
  latestRef?: LatestRef;
  /** Flux's status.observedPreviousRef */
  observedPreviousRef?: LatestRef;
  error?: { code: string; message: string };
  /** refs currently written in the files for this policy: "file:line value" */
  refsInFiles?: Array<{ file: string; line: number; value: string; setter: string }>;
  evaluatedAt?: string;
  /** flux-image-bot/minimum-release-age: the candidate that waits and until when */
  waiting?: { tag: string; until?: string; reason: string };
  /** flux-image-bot/approve: the tag approved on the dashboard */
  approved?: { tag: string; by: string; at: string };
}

/** What the bot remembers of an automation; the dashboard's view of it plus the typed outcome. */
export interface AutomationState extends Omit<DashboardAutomation, "lastResult"> {
  lastResult?: "up-to-date" | "committed" | "pull-request" | "failed" | "suspended" | "skipped" | "waiting";
  /** flux-image-bot: why the pending changes are not committed yet (schedule, debounce, approval) */
  release?: AutomationRelease;
}

/** What holds an automation's changes back (flux-image-bot annotations). */
export interface AutomationRelease {
  /** schedule or debounce: the wait and since when the pending changes are as they are */
  wait?: WaitState & { reason: "schedule" | "debounce"; text: string; until?: string };
  /** policy updates awaiting approval on the dashboard */
  approvals?: ApprovalWait[];
}

/** A commit or pull request made by the bot, as the dashboard lists it. */
export type ActivityEntry = DashboardActivity;

export interface RepoState {
  repo: RepoId;
  account?: string;
  defaultBranch?: string;
  lastSync?: { at: string; branch: string; sha: string };
  model?: RepoModel;
  /** keyed by ImageRepository `namespace/name` */
  scans: Record<string, ScanState>;
  /** keyed by ImagePolicy `namespace/name` */
  policies: Record<string, PolicyState>;
  /** keyed by ImageUpdateAutomation `namespace/name` */
  automations: Record<string, AutomationState>;
  /** problems of the last sync and reconciles, replaced per source */
  problems: Record<string, Problem[]>;
  /** recent commits and pull requests by the bot, newest first (bounded) */
  activity: ActivityEntry[];
  /** updates held or versions ignored by users, keyed by ImagePolicy `namespace/name` (see update-controls.ts) */
  controls?: UpdateControls;
  dashboard?: {
    /** number of the dashboard issue; 0 while not known yet */
    issueNumber: number;
    lastBodyHash?: string;
    /** the bot's labels were put on the issue once (PULL_REQUEST_LABELS) */
    labelled?: boolean;
    /** what the bot did on request (checkbox or chatops), newest first (bounded) */
    recentActions?: Array<{ at: string; by: string; what: string; key?: string }>;
    /** chatops replies to edit once the job they wait for has run (bounded) */
    replies?: Array<{
      commentId: number;
      replyId: number;
      issueNumber: number;
      at: string;
      text: string;
      waitFor?: { kind: "scan" | "reconcile" | "sync"; key?: string };
    }>;
  };
}

export interface UpdateControls {
  /** policies whose update stays out of commits and pull requests until released */
  held?: Record<string, { by: string; at: string }>;
  /** versions (`tag` or `tag@digest`) not to update to, because their pull request was closed without merging */
  ignored?: Record<string, Array<{ version: string; by: string; at: string; pullRequest?: number }>>;
  /** per automation `ns/name`: a rebase of its pull request was asked for */
  rebase?: Record<string, { by: string; at: string }>;
  /** per pull-request number: the versions it proposes, per policy (to ignore them when it is closed) */
  proposed?: Record<string, { automation: string; versions: Record<string, string> }>;
}

export interface StateStore {
  get(repo: RepoId): Promise<RepoState | null>;
  /** Read-modify-write, atomic per repository. */
  update(repo: RepoId, fn: (s: RepoState) => RepoState | undefined): Promise<RepoState>;
  delete(repo: RepoId): Promise<void>;
  /** repositories with state for an installation */
  list(installationId: number): Promise<RepoId[]>;
}
