/** State shared by the gateway's parts: the request layer and the caches of immutable git objects. */
import type { GitHubClient, RequestScope } from "./github-client.js";
import { LruCache } from "./lru-cache.js";
import type { Logger, RepoId, TreeEntry } from "../../app/ports/index.js";

/** A tree listing plus each blob's file mode, so commits keep executable bits. */
export interface CachedTree {
  entries: TreeEntry[];
  modes: Map<string, string>;
}

export interface GatewayContext {
  client: GitHubClient;
  /** Blob text by blob sha (content-addressed, so shared by every repository). */
  blobs: LruCache<string>;
  /** Tree sha of a commit, by commit sha. */
  commitTrees: LruCache<string>;
  /** Recursive listings, by tree sha. */
  trees: LruCache<CachedTree>;
  logger?: Logger;
}

export interface GatewayCacheOptions {
  blobCacheBytes?: number;
  treeCacheEntries?: number;
  commitCacheEntries?: number;
}

export const DEFAULT_BLOB_CACHE_BYTES = 64 * 1024 * 1024;

export function createGatewayCaches(opts: GatewayCacheOptions) {
  return {
    blobs: new LruCache<string>(opts.blobCacheBytes ?? DEFAULT_BLOB_CACHE_BYTES, (s) => Buffer.byteLength(s, "utf8")),
    commitTrees: new LruCache<string>(opts.commitCacheEntries ?? 50_000),
    trees: new LruCache<CachedTree>(opts.treeCacheEntries ?? 500_000, (t) => Math.max(1, t.entries.length)),
  };
}

export function scopeOf(repo: RepoId): RequestScope {
  return { installationId: repo.installationId, owner: repo.owner, repo: repo.repo };
}

/** Key prefix for conditional-request entries of one repository. */
export function repoKey(repo: RepoId): string {
  return `${repo.owner}/${repo.repo}`.toLowerCase();
}
