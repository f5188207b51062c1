/**
 * Which GitRepository is "this repository": its URL names this repository
 * (host and owner/repo compared case-insensitively; user info, default ports
 * and a trailing `/` or `.git` ignored; source-controller accepts only
 * http, https and ssh URLs, api/v1/gitrepository_types.go) and its ref
 * selects the evaluated branch (`ref.branch`, or `ref.name:
 * refs/heads/<branch>`; no ref means `master`; a tag, semver or commit
 * selects no branch).
 */
import { isObj, type Obj } from "../manifests/fields.js";
import { str } from "./resource.js";

export interface RepositoryIdentity {
  /** host[:port] as in clone URLs (github.com, a GitHub Enterprise host); omitted: any host */
  host?: string;
  owner: string;
  repo: string;
}

const DEFAULT_PORTS: Record<string, string> = { http: "80", https: "443", ssh: "22" };

export function parseRepoUrl(url: string): { host: string; path: string } | null {
  const m = /^(http|https|ssh):\/\/(?:[^@/]*@)?([^/:]+)(?::(\d+))?(\/.*)?$/i.exec(url.trim());
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  const port = m[3] && m[3] !== DEFAULT_PORTS[scheme] ? `:${m[3]}` : "";
  const path = (m[4] ?? "")
    .replace(/\/+$/, "")
    .replace(/\.git$/, "")
    .replace(/^\/+/, "")
    .toLowerCase();
  return { host: `${m[2].toLowerCase()}${port}`, path };
}

export function urlIsRepository(url: string, repo: RepositoryIdentity): boolean {
  const p = parseRepoUrl(url);
  if (!p) return false;
  if (repo.host && p.host !== repo.host.toLowerCase()) return false;
  return p.path === `${repo.owner}/${repo.repo}`.toLowerCase();
}

/** The branch a GitRepository spec tracks, or null when its ref selects no branch. */
export function trackedBranch(spec: Obj): string | null {
  const ref = isObj(spec.ref) ? spec.ref : undefined;
  if (!ref) return "master";
  if (str(ref.commit) || str(ref.tag) || str(ref.semver)) return null;
  const name = str(ref.name);
  if (name) return name.startsWith("refs/heads/") ? name.slice("refs/heads/".length) : null;
  return str(ref.branch) || "master";
}

export interface SelfContext {
  /** undefined: the repository is not known, every GitRepository counts as this one */
  repository?: RepositoryIdentity;
  /** undefined: any branch */
  branch?: string;
}

export function isSelfSpec(spec: Obj, ctx: SelfContext): boolean {
  if (!ctx.repository) return true;
  if (!urlIsRepository(str(spec.url), ctx.repository)) return false;
  const branch = trackedBranch(spec);
  return branch !== null && (ctx.branch === undefined || branch === ctx.branch);
}
