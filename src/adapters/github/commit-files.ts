/**
 * Commits through the Git Data API: one tree on top of the base tree with inline content,
 * one commit, then a fast-forward-only ref update. Never forces, except setBranch({force:true})
 * for the bot's own push branch (Flux force-pushes it).
 * See https://docs.github.com/en/rest/git/trees#create-a-tree and .../git/refs#update-a-reference
 */
import { refPath } from "./ref-path.js";
import { GitHubError, GitHubPermissionError, GitHubRateLimitedError, PROTECTED_BRANCH_MESSAGE } from "./errors.js";
import { type GatewayContext, scopeOf } from "./gateway-context.js";
import type { RepoReads } from "./repo-reads.js";
import type { CommitOutcome, CommitRequest, RepoId } from "../../app/ports/index.js";

interface ShaData {
  sha: string;
}

const FAST_FORWARD = /not a fast forward|reference does not exist|reference already exists|reference cannot be updated/i;

/** What GitHub said, without our code prefix and subject. */
function githubMessage(err: GitHubError): string {
  const m = err.message.replace(/^github\.[a-z-]+: /, "");
  return err.subject && m.startsWith(`${err.subject}: `) ? m.slice(err.subject.length + 2) : m;
}

export function refusedMessage(branch: string, detail: string): string {
  return (
    `GitHub refused to update branch "${branch}": ${detail}. ` +
    `If the branch is protected, set spec.git.push.branch in the ImageUpdateAutomation ` +
    `so the bot pushes to its own branch and opens a pull request instead.`
  );
}

/** Sorts a failed write into conflict / refused; anything else is rethrown. */
export function classifyWriteError(err: unknown, branch: string): CommitOutcome {
  if (!(err instanceof GitHubError) || err instanceof GitHubRateLimitedError) throw err;
  const msg = githubMessage(err);
  if ((err.status === 422 || err.status === 403) && PROTECTED_BRANCH_MESSAGE.test(msg)) {
    return { kind: "refused", message: refusedMessage(branch, msg) };
  }
  if (err instanceof GitHubPermissionError) {
    return { kind: "refused", message: refusedMessage(branch, `${msg} (the app needs "contents: write" permission)`) };
  }
  if (err.status === 409 || (err.status === 422 && FAST_FORWARD.test(msg))) return { kind: "conflict" };
  throw err;
}

export function createCommitter(ctx: GatewayContext, reads: RepoReads) {
  const { client } = ctx;

  async function commitFiles(repo: RepoId, req: CommitRequest): Promise<CommitOutcome> {
    if (req.files.length === 0) return { kind: "committed", sha: req.baseSha };
    const scope = scopeOf(repo);
    try {
      const baseTree = await reads.getCommitTree(repo, req.baseSha);
      const modes = ctx.trees.get(baseTree)?.modes;
      const tree = await client.write<ShaData>(scope, "POST /repos/{owner}/{repo}/git/trees", {
        base_tree: baseTree,
        tree: req.files.map((f) => ({ path: f.path, mode: modes?.get(f.path) ?? "100644", type: "blob", content: f.content })),
      });
      const who = { name: req.author.name, email: req.author.email };
      const commit = await client.write<ShaData>(scope, "POST /repos/{owner}/{repo}/git/commits", {
        message: req.message,
        tree: tree.sha,
        parents: [req.baseSha],
        author: who,
        committer: who,
      });
      ctx.commitTrees.set(commit.sha, tree.sha);
      await client.write(scope, `PATCH /repos/{owner}/{repo}/git/refs/heads/${refPath(req.branch)}`, { sha: commit.sha, force: false });
      return { kind: "committed", sha: commit.sha };
    } catch (err) {
      return classifyWriteError(err, req.branch);
    }
  }

  async function setBranch(repo: RepoId, branch: string, sha: string, opts: { force: boolean }): Promise<CommitOutcome> {
    const scope = scopeOf(repo);
    const update = () => client.write(scope, `PATCH /repos/{owner}/{repo}/git/refs/heads/${refPath(branch)}`, { sha, force: opts.force });
    try {
      const head = await reads.getBranchHead(repo, branch);
      if (head?.sha === sha) return { kind: "committed", sha };
      if (head) await update();
      else await client.write(scope, "POST /repos/{owner}/{repo}/git/refs", { ref: `refs/heads/${branch}`, sha });
      return { kind: "committed", sha };
    } catch (err) {
      return classifyWriteError(err, branch);
    }
  }

  return { commitFiles, setBranch };
}
