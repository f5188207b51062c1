/**
 * The request layer under the gateway: picks the installation's Octokit, spaces writes,
 * does conditional GETs, counts requests per repository and turns every failure into a GitHubError.
 */
import { GitHubError, readHttpFailure, toGitHubError } from "./errors.js";
import type { EtagStore } from "./etag-store.js";
import type { GetOctokit, OctokitLike } from "./octokit-like.js";
import { GITHUB_API_VERSION } from "./ref-path.js";
import type { WriteLimiter, WritePriority } from "./write-limiter.js";
import type { Logger } from "../../app/ports/index.js";

/** Who a request is for: counters are kept per `owner/repo`, or per installation when there is no repository. */
export interface RequestScope {
  installationId: number;
  owner?: string;
  repo?: string;
}

export interface RequestCounters {
  /** Every HTTP request sent, 304s included. */
  requests: number;
  /** Answers 304 Not Modified (free with respect to the rate limit). */
  notModified: number;
  /** POST, PATCH, PUT and DELETE requests. */
  writes: number;
  /** Requests that failed (not counting 304). */
  errors: number;
}

export interface CounterSnapshot {
  total: RequestCounters;
  /** Keyed by `owner/repo`, or `installation/<id>` for installation-wide requests. */
  perRepo: Record<string, RequestCounters>;
}

export interface GitHubClient {
  /** A GET whose answer is not cached. */
  read<T>(scope: RequestScope, route: string, params?: Record<string, unknown>): Promise<T>;
  /** A conditional GET: sends the stored ETag and returns the stored value on 304. */
  readConditional<T, V>(scope: RequestScope, cacheKey: string, route: string, params: Record<string, unknown>, derive: (data: T) => V): Promise<V>;
  /** A mutating request, spaced by the installation's write limiter. */
  write<T>(scope: RequestScope, route: string, params?: Record<string, unknown>): Promise<T>;
  counters(): CounterSnapshot;
  resetCounters(): void;
}

export interface GitHubClientDeps {
  getOctokit: GetOctokit;
  limiter: WriteLimiter;
  etags: EtagStore;
  logger?: Logger;
}

const emptyCounters = (): RequestCounters => ({ requests: 0, notModified: 0, writes: 0, errors: 0 });

/**
 * Which class a write waits in: the commit and ref writes that complete an operation go first,
 * dashboard issue writes last. See write-limiter.ts.
 */
export function writePriority(route: string): WritePriority {
  if (/^(POST \/repos\/\{owner\}\/\{repo\}\/git\/commits|PATCH \/repos\/\{owner\}\/\{repo\}\/git\/refs\/)/.test(route)) return "finish";
  // the dashboard issue itself (create, edit); chatops comments and reactions keep the normal class
  if (/\/issues(\/\{issue_number\})?$/.test(route)) return "low";
  return "normal";
}

export function scopeKey(scope: RequestScope): string {
  return scope.owner && scope.repo ? `${scope.owner}/${scope.repo}` : `installation/${scope.installationId}`;
}

export function createGitHubClient(deps: GitHubClientDeps): GitHubClient {
  let total = emptyCounters();
  let perRepo = new Map<string, RequestCounters>();

  const bump = (scope: RequestScope, field: keyof RequestCounters) => {
    const key = scopeKey(scope);
    const c = perRepo.get(key) ?? emptyCounters();
    perRepo.set(key, c);
    c[field]++;
    total[field]++;
  };

  const params = (scope: RequestScope, extra?: Record<string, unknown>): Record<string, unknown> => ({
    ...(scope.owner && scope.repo ? { owner: scope.owner, repo: scope.repo } : {}),
    ...extra,
  });

  async function send(scope: RequestScope, octokit: OctokitLike, route: string, p: Record<string, unknown>) {
    bump(scope, "requests");
    p.headers = { ...(p.headers as object | undefined), "x-github-api-version": GITHUB_API_VERSION };
    deps.logger?.debug({ route, repo: scopeKey(scope) }, `github request ${route}`);
    return octokit.request(route, p);
  }

  async function octokitFor(scope: RequestScope): Promise<OctokitLike> {
    try {
      return await deps.getOctokit(scope.installationId);
    } catch (err) {
      throw toGitHubError(err, `installation/${scope.installationId}`);
    }
  }

  function fail(scope: RequestScope, err: unknown): GitHubError {
    if (!(err instanceof GitHubError)) bump(scope, "errors");
    const mapped = toGitHubError(err, scopeKey(scope));
    deps.logger?.debug({ code: mapped.code, status: mapped.status, repo: scopeKey(scope) }, "github request failed");
    return mapped;
  }

  return {
    async read<T>(scope: RequestScope, route: string, extra?: Record<string, unknown>): Promise<T> {
      const octokit = await octokitFor(scope);
      try {
        return (await send(scope, octokit, route, params(scope, extra))).data as T;
      } catch (err) {
        throw fail(scope, err);
      }
    },

    async readConditional<T, V>(scope: RequestScope, cacheKey: string, route: string, extra: Record<string, unknown>, derive: (data: T) => V): Promise<V> {
      const octokit = await octokitFor(scope);
      const cached = await deps.etags.get(cacheKey);
      const p = params(scope, extra);
      if (cached) p.headers = { ...((extra.headers as object | undefined) ?? {}), "if-none-match": cached.etag };
      try {
        const res = await send(scope, octokit, route, p);
        const value = derive(res.data as T);
        const etag = res.headers.etag;
        if (typeof etag === "string" && etag) await deps.etags.set(cacheKey, { etag, value });
        return value;
      } catch (err) {
        if (cached && readHttpFailure(err).status === 304) {
          bump(scope, "notModified");
          return cached.value as V;
        }
        throw fail(scope, err);
      }
    },

    async write<T>(scope: RequestScope, route: string, extra?: Record<string, unknown>): Promise<T> {
      const octokit = await octokitFor(scope);
      return deps.limiter.schedule(
        scope.installationId,
        async () => {
          bump(scope, "writes");
          try {
            return (await send(scope, octokit, route, params(scope, extra))).data as T;
          } catch (err) {
            throw fail(scope, err);
          }
        },
        writePriority(route),
      );
    },

    counters(): CounterSnapshot {
      return {
        total: { ...total },
        perRepo: Object.fromEntries([...perRepo].map(([k, v]) => [k, { ...v }])),
      };
    },

    resetCounters(): void {
      total = emptyCounters();
      perRepo = new Map();
    },
  };
}
