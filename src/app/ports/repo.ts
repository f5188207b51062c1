/**
 * Ports: the interfaces the use cases need from the outside world.
 * Adapters implement them; the core and app layers only see these types.
 */
import type { RepoFile } from "../../core/types.js";

export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface Clock {
  now(): Date;
}

export interface RepoId {
  installationId: number;
  owner: string;
  repo: string;
}

/** Just the RepoId of a job payload or state record that carries more. */
export function repoIdOf(d: RepoId): RepoId {
  return { installationId: d.installationId, owner: d.owner, repo: d.repo };
}

export interface TreeEntry {
  path: string;
  /** git blob sha */
  sha: string;
  size?: number;
}

export interface CommitAuthor {
  name: string;
  email: string;
}

/** A commit to make on top of `baseSha`. Files hold full new contents. */
export interface CommitRequest {
  branch: string;
  baseSha: string;
  files: RepoFile[];
  message: string;
  author: CommitAuthor;
}

export type CommitOutcome =
  | { kind: "committed"; sha: string }
  /** The branch no longer points at baseSha: re-read and re-apply. */
  | { kind: "conflict"; currentSha?: string }
  /** The branch refused the update (protected branch, missing permission). */
  | { kind: "refused"; message: string };

export interface PullRequestInfo {
  number: number;
  url: string;
  head: string;
  base: string;
  title: string;
  body: string;
}

/** A GitHub release of an image's source repository. */
export interface ReleaseInfo {
  tag: string;
  name?: string;
  body?: string;
  url?: string;
}

/** Reading and writing a repository on GitHub (or a local checkout). */
export interface RepoGateway {
  /** Default branch of the repository. */
  getDefaultBranch(repo: RepoId): Promise<string>;
  /** The commit a branch points at, or null when the branch does not exist. Uses conditional requests. */
  getBranchHead(repo: RepoId, branch: string): Promise<{ sha: string; treeSha: string } | null>;
  /** Every blob of a tree, recursively. */
  listTree(repo: RepoId, treeSha: string): Promise<TreeEntry[]>;
  /** Blob content as UTF-8 text, cached by sha. */
  readBlob(repo: RepoId, sha: string): Promise<string>;
  /** One commit with the given files on top of baseSha, then a fast-forward ref update. */
  commitFiles(repo: RepoId, req: CommitRequest): Promise<CommitOutcome>;
  /** Creates `branch` at `sha`, or moves it there with force (Flux force-pushes its push branch). */
  setBranch(repo: RepoId, branch: string, sha: string, opts: { force: boolean }): Promise<CommitOutcome>;
  findOpenPullRequest(repo: RepoId, head: string, base: string): Promise<PullRequestInfo | null>;
  createPullRequest(repo: RepoId, pr: { head: string; base: string; title: string; body: string }): Promise<PullRequestInfo>;
  /** Changes title and body, or closes it (`state: "closed"`). */
  updatePullRequest(repo: RepoId, number: number, pr: { title?: string; body?: string; state?: "closed" }): Promise<PullRequestInfo>;
  /** The release for `tag` in the GitHub repository `source` (an image's OCI source), or null; read with the installation's token. */
  getRelease?(repo: RepoId, source: { owner: string; repo: string }, tag: string): Promise<ReleaseInfo | null>;
}
