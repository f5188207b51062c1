/** Git Data API, refs and branches of the fake GitHub. */
import { HttpError, commitJson, refJson } from "./fake-github-json.js";
import type { FlatFile } from "./fake-github-git.js";
import type { FakeRepo } from "./fake-github-state.js";
import { R, type Route, type RouteCtx, ok, route } from "./fake-github-routes.js";

function branchOf(ref: string): string {
  if (!ref.startsWith("heads/")) throw new HttpError(404, "Not Found");
  return ref.slice("heads/".length);
}

function resolveTree(r: FakeRepo, shaOrRef: string): string | undefined {
  if (r.git.get(shaOrRef, "tree")) return shaOrRef;
  const commit = r.git.get(shaOrRef, "commit") ?? r.git.get(r.branches.get(shaOrRef) ?? "", "commit");
  return commit?.tree;
}

/** Refuses any update of a protected branch, the way GitHub does for the REST refs API. */
function checkProtection(r: FakeRepo, branch: string): void {
  if (r.protectedBranches.has(branch)) {
    throw new HttpError(422, `Protected branch update failed for refs/heads/${branch}: Changes must be made through a pull request.`);
  }
}

function updateRef(ctx: RouteCtx) {
  const r = ctx.repo;
  const branch = branchOf(ctx.params[0]!);
  const { sha, force } = ctx.body as { sha?: string; force?: boolean };
  const current = r.branches.get(branch);
  if (!current) throw new HttpError(422, "Reference does not exist");
  if (!sha || !r.git.get(sha, "commit")) throw new HttpError(422, "Object does not exist");
  checkProtection(r, branch);
  if (!force && !r.git.isAncestor(current, sha)) throw new HttpError(422, "Update is not a fast forward");
  r.branches.set(branch, sha);
  return ok(refJson(ctx.baseUrl, r, branch, sha));
}

function createRef(ctx: RouteCtx) {
  const r = ctx.repo;
  const { ref, sha } = ctx.body as { ref?: string; sha?: string };
  if (!ref?.startsWith("refs/heads/")) throw new HttpError(422, "Reference name must start with 'refs/heads/' in this fake");
  const branch = ref.slice("refs/heads/".length);
  if (r.branches.has(branch)) throw new HttpError(422, "Reference already exists");
  if (!sha || !r.git.get(sha, "commit")) throw new HttpError(422, "Object does not exist");
  r.branches.set(branch, sha);
  return ok(refJson(ctx.baseUrl, r, branch, sha), 201);
}

function getTree(ctx: RouteCtx) {
  const r = ctx.repo;
  const sha = resolveTree(r, ctx.params[0]!);
  if (!sha) throw new HttpError(404, "Not Found");
  const url = `${ctx.baseUrl}/api/v3/repos/${r.owner}/${r.name}/git/trees/${sha}`;
  if (!ctx.query.has("recursive")) {
    return ok({ sha, url, truncated: false, tree: r.git.get(sha, "tree")!.items.map((i) => r.git.apiItem(i)) });
  }
  let tree = r.git.listRecursive(sha);
  const limit = ctx.opts.truncateTreesOver;
  const truncated = limit !== undefined && tree.length > limit;
  if (truncated) tree = tree.slice(0, limit);
  return ok({ sha, url, truncated, tree });
}

interface TreeInput {
  path: string;
  mode?: string;
  type?: string;
  sha?: string | null;
  content?: string;
}

function createTree(ctx: RouteCtx) {
  const r = ctx.repo;
  const { base_tree, tree } = ctx.body as { base_tree?: string; tree?: TreeInput[] };
  if (!Array.isArray(tree)) throw new HttpError(422, "Invalid request: tree is required");
  let files = new Map<string, FlatFile>();
  if (base_tree) {
    if (!r.git.get(base_tree, "tree")) throw new HttpError(422, "base_tree is not a valid tree oid");
    files = r.git.flatten(base_tree);
  }
  for (const t of tree) {
    const under = (p: string) => p === t.path || p.startsWith(`${t.path}/`);
    if (t.sha === null) {
      for (const p of [...files.keys()]) if (under(p)) files.delete(p);
    } else if (typeof t.content === "string") {
      files.set(t.path, { mode: t.mode ?? "100644", sha: r.git.putBlob(t.content) });
    } else if (t.sha && t.type === "tree" && r.git.get(t.sha, "tree")) {
      for (const p of [...files.keys()]) if (under(p)) files.delete(p);
      for (const [p, f] of r.git.flatten(t.sha)) files.set(`${t.path}/${p}`, f);
    } else if (t.sha && r.git.get(t.sha, "blob")) {
      files.set(t.path, { mode: t.mode ?? "100644", sha: t.sha });
    } else {
      throw new HttpError(422, `tree.sha ${t.sha ?? ""} is not a valid blob`);
    }
  }
  const sha = r.git.buildTree(files);
  return ok(
    {
      sha,
      url: `${ctx.baseUrl}/api/v3/repos/${r.owner}/${r.name}/git/trees/${sha}`,
      truncated: false,
      tree: r.git.get(sha, "tree")!.items.map((i) => r.git.apiItem(i)),
    },
    201,
  );
}

function getBlob(ctx: RouteCtx) {
  const r = ctx.repo;
  const sha = ctx.params[0]!;
  const b = r.git.get(sha, "blob");
  if (!b) throw new HttpError(404, "Not Found");
  // GitHub wraps base64 at 60 characters.
  const content = (b.content.toString("base64").match(/.{1,60}/g) ?? []).join("\n") + "\n";
  return ok({ sha, size: b.content.length, url: `${ctx.baseUrl}/api/v3/repos/${r.owner}/${r.name}/git/blobs/${sha}`, content, encoding: "base64" });
}

function createBlob(ctx: RouteCtx) {
  const { content, encoding } = ctx.body as { content?: string; encoding?: string };
  if (typeof content !== "string") throw new HttpError(422, "Invalid request: content is required");
  const sha = ctx.repo.git.putBlob(encoding === "base64" ? Buffer.from(content, "base64") : content);
  return ok({ sha, url: `${ctx.baseUrl}/api/v3/repos/${ctx.repo.owner}/${ctx.repo.name}/git/blobs/${sha}` }, 201);
}

function createCommit(ctx: RouteCtx) {
  const r = ctx.repo;
  const b = ctx.body as {
    message?: string;
    tree?: string;
    parents?: string[];
    author?: { name: string; email: string; date?: string };
    committer?: { name: string; email: string; date?: string };
  };
  if (typeof b.message !== "string") throw new HttpError(422, "Invalid request: message is required");
  if (!b.tree || !r.git.get(b.tree, "tree")) throw new HttpError(422, "Tree SHA does not exist");
  for (const p of b.parents ?? []) if (!r.git.get(p, "commit")) throw new HttpError(422, "Parent SHA does not exist or is not a commit object");
  const fallback = { name: ctx.actor.login, email: `${ctx.actor.login}@users.noreply.github.com` };
  const author = { ...(b.author ?? fallback), date: b.author?.date ?? ctx.now() };
  const committer = { ...(b.committer ?? author), date: b.committer?.date ?? author.date };
  const sha = r.git.putCommit({ tree: b.tree, parents: b.parents ?? [], author, committer, message: b.message });
  return ok(commitJson(ctx.baseUrl, r, sha), 201);
}

function getBranch(ctx: RouteCtx) {
  const r = ctx.repo;
  const name = ctx.params[0]!;
  const sha = r.branches.get(name);
  if (!sha) throw new HttpError(404, "Branch not found");
  return ok({ name, commit: { sha, commit: commitJson(ctx.baseUrl, r, sha) }, protected: r.protectedBranches.has(name) });
}

function getRef(ctx: RouteCtx) {
  const branch = branchOf(ctx.params[0]!);
  const sha = ctx.repo.branches.get(branch);
  if (!sha) throw new HttpError(404, "Not Found");
  return ok(refJson(ctx.baseUrl, ctx.repo, branch, sha));
}

export const gitRoutes: Route[] = [
  route("GET", `${R}/git/ref/(.+)`, getRef),
  route("PATCH", `${R}/git/refs/(.+)`, updateRef),
  route("POST", `${R}/git/refs`, createRef),
  route("GET", `${R}/branches/(.+)`, getBranch),
  route("GET", `${R}/git/trees/([^/]+)`, getTree),
  route("POST", `${R}/git/trees`, createTree),
  route("GET", `${R}/git/blobs/([0-9a-f]+)`, getBlob),
  route("POST", `${R}/git/blobs`, createBlob),
  route("GET", `${R}/git/commits/([^/]+)`, (ctx) => ok(commitJson(ctx.baseUrl, ctx.repo, ctx.params[0]!))),
  route("POST", `${R}/git/commits`, createCommit),
];
