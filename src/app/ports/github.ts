/**
 * Extra GitHub ports for the dashboard issue and chatops.
 * Kept apart from repo.ts so RepoGateway stays usable for local checkouts.
 */
import type { RepoId } from "./repo.js";

export interface IssueInfo {
  number: number;
  url: string;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  /** Login of the author, e.g. `my-app[bot]`. */
  author: string;
  authorType: "User" | "Bot" | "Organization" | string;
}

export interface CommentInfo {
  id: number;
  url: string;
  body: string;
  author: string;
}

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** GitHub's repository permission levels, as the collaborator permission endpoint reports them. */
export type RepoPermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface InstallationRepo {
  owner: string;
  repo: string;
  defaultBranch: string;
  private: boolean;
}

/** Issues, comments and permissions: what the dashboard and chatops need from GitHub. */
export interface IssueGateway {
  /** One issue; throws a `github.not-found` AppError when it does not exist. */
  getIssue(repo: RepoId, number: number): Promise<IssueInfo>;
  /** Issues opened by `creator` (the app's bot login), pull requests excluded. */
  listIssues(repo: RepoId, query: { creator: string; state?: "open" | "closed" | "all"; labels?: string[] }): Promise<IssueInfo[]>;
  createIssue(repo: RepoId, issue: { title: string; body: string; labels?: string[] }): Promise<IssueInfo>;
  updateIssue(repo: RepoId, number: number, patch: { title?: string; body?: string; state?: "open" | "closed"; labels?: string[] }): Promise<IssueInfo>;
  createComment(repo: RepoId, issueNumber: number, body: string): Promise<CommentInfo>;
  updateComment(repo: RepoId, commentId: number, body: string): Promise<CommentInfo>;
  /** Reacts to an issue (`target.issueNumber`) or to a comment (`target.commentId`). */
  addReaction(repo: RepoId, target: { issueNumber: number } | { commentId: number }, content: ReactionContent): Promise<void>;
  /** A user's permission on the repository; "none" when not a collaborator. */
  getCollaboratorPermission(repo: RepoId, username: string): Promise<RepoPermission>;
  /** Adds labels to an issue or pull request (never removes any), making them in the repository when missing. */
  addLabels(repo: RepoId, issueNumber: number, labels: readonly string[]): Promise<void>;
  /** Every repository the installation can access. */
  listInstallationRepos(installationId: number): Promise<InstallationRepo[]>;
}
