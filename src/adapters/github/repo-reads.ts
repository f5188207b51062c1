/**
 * Reads: default branch and branch heads with conditional requests, trees and blobs from caches keyed by sha.
 * Git objects are immutable, so a tree or blob is fetched once per process; only refs need revalidation.
 */
import { refPath } from "./ref-path.js";
import { GitHubNotFoundError } from "./errors.js";
import { type CachedTree, type GatewayContext, repoKey, scopeOf } from "./gateway-context.js";
import type { RepoId, TreeEntry } from "../../app/ports/index.js";

interface RepoData {
  default_branch: string;
}
interface RefData {
  object: { sha: string; type: string };
}
interface CommitData {
  sha: string;
  tree: { sha: string };
}
interface TreeData {
  sha: string;
  truncated?: boolean;
  tree: Array<{ path: string; mode: string; type: string; sha: string; size?: number }>;
}
interface BlobData {
  content: string;
  encoding: string;
}

/** Regular and executable files; symlinks (120000) and submodules (160000) are not manifests. */
const FILE_MODES = new Set(["100644", "100755"]);

export function createRepoReads(ctx: GatewayContext) {
  const { client } = ctx;

  async function getDefaultBranch(repo: RepoId): Promise<string> {
    return client.readConditional<RepoData, string>(scopeOf(repo), `${repoKey(repo)}:repo`, "GET /repos/{owner}/{repo}", {}, (d) => d.default_branch);
  }

  async function getCommitTree(repo: RepoId, sha: string): Promise<string> {
    const hit = ctx.commitTrees.get(sha);
    if (hit) return hit;
    const c = await client.read<CommitData>(scopeOf(repo), "GET /repos/{owner}/{repo}/git/commits/{commit_sha}", { commit_sha: sha });
    ctx.commitTrees.set(sha, c.tree.sha);
    return c.tree.sha;
  }

  async function getBranchHead(repo: RepoId, branch: string): Promise<{ sha: string; treeSha: string } | null> {
    let sha: string;
    try {
      sha = await client.readConditional<RefData, string>(
        scopeOf(repo),
        `${repoKey(repo)}:ref:heads/${branch}`,
        `GET /repos/{owner}/{repo}/git/ref/heads/${refPath(branch)}`,
        {},
        (d) => d.object.sha,
      );
    } catch (err) {
      if (err instanceof GitHubNotFoundError) return null;
      throw err;
    }
    return { sha, treeSha: await getCommitTree(repo, sha) };
  }

  async function fetchTree(repo: RepoId, treeSha: string, prefix: string, out: CachedTree): Promise<void> {
    const data = await client.read<TreeData>(scopeOf(repo), "GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { tree_sha: treeSha, recursive: "1" });
    if (!data.truncated) {
      for (const e of data.tree) addBlob(out, prefix, e);
      return;
    }
    // Truncated (over GitHub's 100,000 entries / 7 MB): list this level, then each subtree on its own.
    ctx.logger?.debug({ repo: repoKey(repo), treeSha }, "recursive tree truncated, walking subtrees");
    const level = await client.read<TreeData>(scopeOf(repo), "GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { tree_sha: treeSha });
    for (const e of level.tree) {
      if (e.type === "tree") await fetchTree(repo, e.sha, `${prefix}${e.path}/`, out);
      else addBlob(out, prefix, e);
    }
  }

  async function listTreeCached(repo: RepoId, treeSha: string): Promise<CachedTree> {
    const hit = ctx.trees.get(treeSha);
    if (hit) return hit;
    const out: CachedTree = { entries: [], modes: new Map() };
    await fetchTree(repo, treeSha, "", out);
    ctx.trees.set(treeSha, out);
    return out;
  }

  async function listTree(repo: RepoId, treeSha: string): Promise<TreeEntry[]> {
    return (await listTreeCached(repo, treeSha)).entries.map((e) => ({ ...e }));
  }

  async function readBlob(repo: RepoId, sha: string): Promise<string> {
    const hit = ctx.blobs.get(sha);
    if (hit !== undefined) return hit;
    const b = await client.read<BlobData>(scopeOf(repo), "GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { file_sha: sha });
    const text = b.encoding === "base64" ? Buffer.from(b.content, "base64").toString("utf8") : b.content;
    ctx.blobs.set(sha, text);
    return text;
  }

  return { getDefaultBranch, getBranchHead, getCommitTree, listTree, listTreeCached, readBlob };
}

function addBlob(out: CachedTree, prefix: string, e: TreeData["tree"][number]): void {
  if (e.type !== "blob" || !FILE_MODES.has(e.mode)) return;
  const path = prefix + e.path;
  out.entries.push(e.size === undefined ? { path, sha: e.sha } : { path, sha: e.sha, size: e.size });
  out.modes.set(path, e.mode);
}

export type RepoReads = ReturnType<typeof createRepoReads>;
