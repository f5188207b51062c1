/** JSON shapes of the fake GitHub's answers, trimmed to the fields GitHub documents and clients read. */
import type { FakeComment, FakeIssue, FakeRepo, FakeUser } from "./fake-github-state.js";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const userJson = (u: FakeUser) => ({ login: u.login, type: u.type, id: Math.abs(hashCode(u.login)) });

export function hashCode(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

export function repoJson(base: string, r: FakeRepo) {
  return {
    id: r.id,
    node_id: `R_${r.id}`,
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: { login: r.owner, type: "Organization" },
    private: r.private,
    default_branch: r.defaultBranch,
    html_url: `${base}/${r.owner}/${r.name}`,
    url: `${base}/api/v3/repos/${r.owner}/${r.name}`,
  };
}

export function refJson(base: string, r: FakeRepo, branch: string, sha: string) {
  return {
    ref: `refs/heads/${branch}`,
    url: `${base}/api/v3/repos/${r.owner}/${r.name}/git/refs/heads/${branch}`,
    object: { sha, type: "commit", url: `${base}/api/v3/repos/${r.owner}/${r.name}/git/commits/${sha}` },
  };
}

export function commitJson(base: string, r: FakeRepo, sha: string) {
  const c = r.git.get(sha, "commit");
  if (!c) throw new HttpError(404, "Not Found");
  const api = `${base}/api/v3/repos/${r.owner}/${r.name}`;
  return {
    sha,
    url: `${api}/git/commits/${sha}`,
    html_url: `${base}/${r.owner}/${r.name}/commit/${sha}`,
    author: c.author,
    committer: c.committer,
    message: c.message,
    tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/git/commits/${p}`, html_url: `${base}/${r.owner}/${r.name}/commit/${p}` })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null },
  };
}

export function issueJson(base: string, r: FakeRepo, i: FakeIssue) {
  const json: Record<string, unknown> = {
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map((name) => ({ name })),
    user: userJson(i.user),
    html_url: `${base}/${r.owner}/${r.name}/${i.pull ? "pull" : "issues"}/${i.number}`,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
  if (i.pull) json.pull_request = { url: `${base}/api/v3/repos/${r.owner}/${r.name}/pulls/${i.number}` };
  return json;
}

export function pullJson(base: string, r: FakeRepo, i: FakeIssue) {
  const p = i.pull!;
  return {
    number: i.number,
    state: i.state,
    title: i.title,
    body: i.body,
    html_url: `${base}/${r.owner}/${r.name}/pull/${i.number}`,
    user: userJson(i.user),
    labels: i.labels.map((name) => ({ name })),
    head: { ref: p.head, label: `${p.headOwner}:${p.head}`, sha: r.branches.get(p.head) ?? null },
    base: { ref: p.base, label: `${r.owner}:${p.base}`, sha: r.branches.get(p.base) ?? null },
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
}

export function commentJson(base: string, r: FakeRepo, c: FakeComment) {
  return {
    id: c.id,
    body: c.body,
    user: userJson(c.user),
    html_url: `${base}/${r.owner}/${r.name}/issues/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${base}/api/v3/repos/${r.owner}/${r.name}/issues/${c.issueNumber}`,
  };
}
