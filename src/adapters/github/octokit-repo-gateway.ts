/**
 * OctokitRepoGateway: RepoGateway and IssueGateway over GitHub's REST API, one Octokit per installation.
 * In production pass `(id) => app.auth(id)` (ProbotOctokit with retry and throttling on).
 */
import { createCommitter } from "./commit-files.js";
import { type EtagStore, createMemoryEtagStore } from "./etag-store.js";
import { createGatewayCaches } from "./gateway-context.js";
import { type CounterSnapshot, createGitHubClient } from "./github-client.js";
import { createIssueGateway } from "./issues.js";
import { createLabels } from "./labels.js";
import type { GetOctokit } from "./octokit-like.js";
import { createPullRequests } from "./pull-requests.js";
import { createReleases } from "./releases.js";
import { createRepoReads } from "./repo-reads.js";
import { createWriteLimiter, type SharedWriteSlots } from "./write-limiter.js";
import type { IssueGateway, Logger, RepoGateway } from "../../app/ports/index.js";

export interface OctokitRepoGatewayOptions {
  /** Minimum spacing of POST/PATCH/PUT/DELETE per installation. Default 1000 (GitHub's guidance); tests use 0. */
  writeIntervalMs?: number;
  /** Upper bound of cached blob text, in bytes. Default 64 MiB. */
  blobCacheBytes?: number;
  /** Upper bound of cached tree entries. Default 500,000. */
  treeCacheEntries?: number;
  /** Books write slots with the other worker processes (`redisWriteSlots`); default: this process only. */
  writeSlots?: SharedWriteSlots;
  /** Where ETags live. Default: in memory; `createRedisEtagStore` shares them between workers. */
  etagStore?: EtagStore;
  /** Labels put on every pull request the gateway opens (PULL_REQUEST_LABELS). */
  pullRequestLabels?: readonly string[];
  logger?: Logger;
}

export interface OctokitRepoGateway extends RepoGateway, IssueGateway {
  /** Requests made, 304s and writes, in total and per `owner/repo`. */
  counters(): CounterSnapshot;
  resetCounters(): void;
}

export const DEFAULT_WRITE_INTERVAL_MS = 1000;

export function createOctokitRepoGateway(getOctokit: GetOctokit, opts: OctokitRepoGatewayOptions = {}): OctokitRepoGateway {
  const client = createGitHubClient({
    getOctokit,
    limiter: createWriteLimiter({ intervalMs: opts.writeIntervalMs ?? DEFAULT_WRITE_INTERVAL_MS, shared: opts.writeSlots }),
    etags: opts.etagStore ?? createMemoryEtagStore(),
    logger: opts.logger,
  });
  const ctx = { client, logger: opts.logger, ...createGatewayCaches(opts) };
  const reads = createRepoReads(ctx);
  const committer = createCommitter(ctx, reads);
  const labels = createLabels(ctx);
  const pulls = createPullRequests(ctx, { labels: opts.pullRequestLabels ?? [], addLabels: labels.addLabels });
  const issues = createIssueGateway(ctx);

  return {
    getDefaultBranch: reads.getDefaultBranch,
    getBranchHead: reads.getBranchHead,
    listTree: reads.listTree,
    readBlob: reads.readBlob,
    commitFiles: committer.commitFiles,
    setBranch: committer.setBranch,
    ...pulls,
    ...issues,
    addLabels: labels.addLabels,
    ...createReleases(ctx),
    counters: () => client.counters(),
    resetCounters: () => client.resetCounters(),
  };
}
