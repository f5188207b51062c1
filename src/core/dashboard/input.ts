/**
 * What the dashboard is rendered from. Structurally a subset of the app's
 * RepoState, declared here so the core does not depend on the app layer.
 */
import type { Problem } from "../errors.js";
import type { RepoModel } from "../manifests/parse.js";
import type { LatestRef } from "../types.js";

export interface DashboardScan {
  image: string;
  scannedAt?: string;
  tagCount?: number;
  latestTags?: string[];
  error?: { code: string; message: string };
  attemptedAt?: string;
}

export interface DashboardPolicy {
  latestRef?: LatestRef;
  error?: { code: string; message: string };
  refsInFiles?: Array<{ file: string; line: number; value: string; setter: string }>;
}

export interface DashboardAutomation {
  lastRunAt?: string;
  lastResult?: string;
  lastCommit?: { sha: string; branch: string; at: string; url?: string };
  pullRequest?: { number: number; url: string; branch: string; at: string };
  pending?: Array<{ file: string; object: string; oldValue: string; newValue: string; setter: string }>;
  error?: { code: string; message: string };
  suspendedByChatops?: { by: string; at: string };
}

export interface DashboardActivity {
  at: string;
  kind: "commit" | "pull-request";
  automation: string;
  sha?: string;
  url?: string;
  number?: number;
  summary: string;
}

export interface DashboardAction {
  at: string;
  by: string;
  what: string;
}

/** What users decided about updates (see app/update-controls.ts), keyed by ImagePolicy `namespace/name`. */
export interface DashboardControls {
  held?: Record<string, { by: string; at: string }>;
  ignored?: Record<string, Array<{ version: string; by: string; at: string; pullRequest?: number }>>;
}

export interface DashboardInput {
  repo: { owner: string; repo: string };
  /** web address of GitHub, e.g. `https://github.com` or `http://ghe.example.com`, for links to file lines */
  webUrl?: string;
  controls?: DashboardControls;
  defaultBranch?: string;
  lastSync?: { at: string; branch: string; sha: string };
  model?: RepoModel;
  scans: Record<string, DashboardScan>;
  policies: Record<string, DashboardPolicy>;
  automations: Record<string, DashboardAutomation>;
  problems: Problem[];
  activity: DashboardActivity[];
  /** newest first */
  recentActions?: DashboardAction[];
}
