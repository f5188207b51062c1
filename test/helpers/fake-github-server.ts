/**
 * The HTTP side of the fake GitHub: request parsing, auth recording, counting, faults,
 * the one-write-per-second rule, ETags and dispatch to the route tables.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gitRoutes } from "./fake-github-git-routes.js";
import { issueRoutes } from "./fake-github-issue-routes.js";
import { labelRoutes } from "./fake-github-label-routes.js";
import { HttpError } from "./fake-github-json.js";
import type { RouteResult } from "./fake-github-routes.js";
import type { FakeRepo, FakeState, FakeUser } from "./fake-github-state.js";

const routes = [...gitRoutes, ...labelRoutes, ...issueRoutes];

export interface Counts {
  requests: number;
  reads: number;
  writes: number;
  notModified: number;
  errors: number;
}

export interface Fault {
  method?: string;
  path: RegExp;
  status: 500 | 502 | 403 | 404 | 409 | 422 | 429 | number;
  /** Answer this many matching requests, then stop (default 1). */
  times?: number;
  message?: string;
  /** 403/429 answered as a primary rate limit: x-ratelimit-remaining 0 and a reset a minute ahead. */
  rateLimit?: boolean;
  headers?: Record<string, string>;
}

export interface LoggedRequest {
  method: string;
  /** Path without the optional /api/v3 prefix and without the query. */
  path: string;
  /** The request target exactly as received. */
  rawUrl: string;
  status: number;
  repo?: string;
  installationId?: number;
  at: number;
  ifNoneMatch?: string;
  /** the X-GitHub-Api-Version header */
  apiVersion?: string;
}

export interface ServerOptions {
  appSlug: string;
  truncateTreesOver?: number;
  /** Answer 403 "secondary rate limit" to writes closer than this to the installation's previous write. */
  writeLimitMs?: number;
  now: () => number;
}

const emptyCounts = (): Counts => ({ requests: 0, reads: 0, writes: 0, notModified: 0, errors: 0 });

export class FakeServerCore {
  readonly log: LoggedRequest[] = [];
  readonly tokensSeen = new Set<string>();
  total = emptyCounts();
  perRepo = new Map<string, Counts>();
  perInstallation = new Map<number, Counts>();
  faults: Array<Fault & { left: number }> = [];
  private lastWrite = new Map<number, number>();
  baseUrl = "";

  constructor(
    readonly state: FakeState,
    readonly opts: ServerOptions,
  ) {}

  resetCounts(): void {
    this.total = emptyCounts();
    this.perRepo = new Map();
    this.perInstallation = new Map();
    this.log.length = 0;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, "").replace(/\/+$/, "") || "/";
    const method = (req.method ?? "GET").toUpperCase();
    const token = /^(?:bearer|token)\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (token) this.tokensSeen.add(token);
    const tokenInstallation = token ? this.state.tokens.get(token) : undefined;
    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)/.exec(path);
    const repo = repoMatch ? this.state.repo(decodeURIComponent(repoMatch[1]!), decodeURIComponent(repoMatch[2]!)) : undefined;
    const installationId = tokenInstallation ?? repo?.installationId;
    const ifNoneMatch = req.headers["if-none-match"];
    const apiVersion = req.headers["x-github-api-version"] as string | undefined;
    const entry: LoggedRequest = {
      method,
      path,
      rawUrl: req.url ?? "/",
      status: 0,
      repo: repo ? `${repo.owner}/${repo.name}` : undefined,
      installationId,
      at: this.opts.now(),
      ifNoneMatch,
      apiVersion,
    };
    this.log.push(entry);
    const bump = (f: keyof Counts) => {
      this.total[f]++;
      if (entry.repo) bumpIn(this.perRepo, entry.repo, f);
      if (installationId !== undefined) bumpIn(this.perInstallation, installationId, f);
    };
    bump("requests");
    bump(method === "GET" || method === "HEAD" ? "reads" : "writes");

    let result: RouteResult;
    try {
      result = this.fault(method, path) ?? this.writeLimit(method, path, installationId) ?? this.dispatch(method, path, url, chunks, tokenInstallation);
    } catch (err) {
      result = errorResult(err);
    }
    if (result.status === 200 && method === "GET") {
      const etag = `"${createHash("sha1").update(JSON.stringify(result.body)).digest("hex")}"`;
      result.headers = { ...result.headers, etag };
      if (ifNoneMatch?.split(/\s*,\s*/).some((t) => t.replace(/^W\//, "") === etag)) result = { status: 304, headers: { etag } };
    }
    if (result.status === 304) bump("notModified");
    else if (result.status >= 400) bump("errors");
    entry.status = result.status;
    const headers: Record<string, string> = {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": String(Math.floor(this.opts.now() / 1000) + 3600),
      "x-github-request-id": `FAKE:${this.log.length}`,
      ...result.headers,
    };
    if (result.body !== undefined) headers["content-type"] = "application/json; charset=utf-8";
    res.writeHead(result.status, headers);
    res.end(result.body === undefined ? undefined : JSON.stringify(result.body));
  }

  private fault(method: string, path: string): RouteResult | undefined {
    const f = this.faults.find((x) => x.left > 0 && (!x.method || x.method.toUpperCase() === method) && x.path.test(path));
    if (!f) return undefined;
    f.left--;
    const headers: Record<string, string> = { ...f.headers };
    let message = f.message ?? `Injected fault ${f.status}`;
    if (f.rateLimit) {
      headers["x-ratelimit-remaining"] = "0";
      headers["x-ratelimit-reset"] = String(Math.floor(this.opts.now() / 1000) + 60);
      message = f.message ?? "API rate limit exceeded for installation.";
    }
    return { status: f.status, body: { message, documentation_url: "https://docs.github.com/rest", status: String(f.status) }, headers };
  }

  private writeLimit(method: string, path: string, installationId: number | undefined): RouteResult | undefined {
    if (method === "GET" || method === "HEAD" || installationId === undefined || path.startsWith("/app/")) return undefined;
    const now = this.opts.now();
    const last = this.lastWrite.get(installationId);
    if (this.opts.writeLimitMs !== undefined && last !== undefined && now - last < this.opts.writeLimitMs) {
      return {
        status: 403,
        body: {
          message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        },
        headers: { "retry-after": "1" },
      };
    }
    this.lastWrite.set(installationId, now);
    return undefined;
  }

  private dispatch(method: string, path: string, url: URL, chunks: Buffer[], tokenInstallation: number | undefined): RouteResult {
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown = {};
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        throw new HttpError(400, "Problems parsing JSON");
      }
    }
    for (const r of routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (!m) continue;
      const captures = m.slice(1).map((c) => decodeURIComponent(c ?? ""));
      let repo: FakeRepo | undefined;
      if (r.repoScoped) {
        repo = this.state.repo(captures[0]!, captures[1]!);
        // GitHub answers 404 for repositories the installation cannot see.
        if (!repo || (tokenInstallation !== undefined && repo.installationId !== tokenInstallation)) throw new HttpError(404, "Not Found");
      }
      const actor: FakeUser = tokenInstallation !== undefined ? { login: `${this.opts.appSlug}[bot]`, type: "Bot" } : { login: "octocat", type: "User" };
      return r.handle({
        state: this.state,
        params: r.repoScoped ? captures.slice(2) : captures,
        query: url.searchParams,
        body,
        repo: repo!,
        actor,
        tokenInstallation,
        baseUrl: this.baseUrl,
        now: () => new Date(this.opts.now()).toISOString(),
        opts: { truncateTreesOver: this.opts.truncateTreesOver, appSlug: this.opts.appSlug },
      });
    }
    throw new HttpError(404, `Not Found (fake github has no route ${method} ${path})`);
  }
}

function bumpIn<K>(map: Map<K, Counts>, key: K, f: keyof Counts): void {
  const c = map.get(key) ?? emptyCounts();
  map.set(key, c);
  c[f]++;
}

function errorResult(err: unknown): RouteResult {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      body: { message: err.message, documentation_url: "https://docs.github.com/rest", status: String(err.status), ...err.extra },
      headers: err.headers,
    };
  }
  return { status: 500, body: { message: `fake github crashed: ${err instanceof Error ? err.message : String(err)}` } };
}
