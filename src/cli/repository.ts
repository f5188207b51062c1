/** Which repository a local checkout is, for telling its own GitRepositories apart. */
import type { RepositoryIdentity } from "../core/cluster/self.js";
import { parseRepoUrl } from "../core/cluster/self.js";
import { UsageError } from "./args.js";

/**
 * `--repository` as `owner/repo`, an http(s)/ssh URL, or an scp-like
 * `git@host:owner/repo.git` remote; null when it names no repository.
 */
export function parseRepositoryArg(value: string): RepositoryIdentity | null {
  const scp = /^[^@/\s]+@([^:/\s]+):([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(value);
  if (scp) return { host: scp[1].toLowerCase(), owner: scp[2], repo: scp[3] };
  const url = parseRepoUrl(value);
  if (url) {
    const parts = url.path.split("/");
    return parts.length === 2 && parts[0] && parts[1] ? { host: url.host, owner: parts[0], repo: parts[1] } : null;
  }
  const short = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?$/.exec(value);
  return short ? { owner: short[1], repo: short[2] } : null;
}

export function repositoryFlag(value: string): RepositoryIdentity {
  const r = parseRepositoryArg(value);
  if (!r) throw new UsageError(`--repository "${value}" is not owner/repo or a git URL`);
  return r;
}
