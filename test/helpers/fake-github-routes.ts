/** Route table types shared by the fake GitHub's route files. */
import type { FakeRepo, FakeState, FakeUser } from "./fake-github-state.js";

export interface RouteCtx {
  state: FakeState;
  /** Decoded captures of the route pattern, after owner and repo for /repos routes. */
  params: string[];
  query: URLSearchParams;
  body: any;
  /** Set for /repos/{owner}/{repo}/... routes. */
  repo: FakeRepo;
  actor: FakeUser;
  /** Installation of the bearer token, when it is an installation token. */
  tokenInstallation?: number;
  baseUrl: string;
  now(): string;
  opts: { truncateTreesOver?: number; appSlug: string };
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  /** Matched against the path without `/api/v3` and without the query string. */
  pattern: RegExp;
  /** Routes under /repos/{owner}/{repo}: the first two captures name the repository. */
  repoScoped: boolean;
  handle(ctx: RouteCtx): RouteResult;
}

export const R = "^/repos/([^/]+)/([^/]+)";

export function route(method: string, pattern: string, handle: (ctx: RouteCtx) => RouteResult): Route {
  const repoScoped = pattern.startsWith(R);
  return { method, pattern: new RegExp(`${pattern}$`), repoScoped, handle };
}

export const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
