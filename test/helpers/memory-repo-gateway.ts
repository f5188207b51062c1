/**
 * An in-memory RepoGateway for use-case tests: branches point at commits,
 * commits at trees of files; pull requests are a list. Every write is
 * recorded in `calls`; the next commits can be made to find their branch
 * moved (another commit lands first and the gateway answers conflict), or
 * every commit refused (a protected branch).
 */
import { createHash } from "node:crypto";
import type { CommitOutcome, CommitRequest, PullRequestInfo, RepoGateway, RepoId, TreeEntry } from "../../src/app/ports/index.js";
import type { RepoFile } from "../../src/core/types.js";

export interface StoredCommit {
  sha: string;
  parent?: string;
  tree: string;
  message: string;
  author: { name: string; email: string };
}

export type GatewayCall =
  | { method: "commitFiles"; req: CommitRequest; outcome: CommitOutcome["kind"] }
  | { method: "setBranch"; branch: string; sha: string; force: boolean }
  | { method: "createPullRequest"; head: string; base: string; title: string; body: string }
  | { method: "updatePullRequest"; number: number; title?: string; body?: string; state?: "closed" };

const hash = (s: string): string => createHash("sha1").update(s).digest("hex");

export class MemoryRepoGateway implements RepoGateway {
  readonly calls: GatewayCall[] = [];
  readonly commits = new Map<string, StoredCommit>();
  readonly branches = new Map<string, string>();
  readonly pullRequests: Array<PullRequestInfo & { state: "open" | "closed" }> = [];
  private readonly trees = new Map<string, Record<string, string>>();
  private readonly blobs = new Map<string, string>();
  private moves = 0;
  /** when set, commits are refused with this message (a protected branch) */
  refuseCommits?: string;

  constructor(files: readonly RepoFile[], branch = "main") {
    this.branches.set(branch, this.commit(undefined, {}, files, "initial", { name: "someone", email: "someone@example.com" }));
  }

  /** The next `n` commits find their branch moved by someone else's commit and answer conflict. */
  moveBranchBeforeNextCommits(n: number): void {
    this.moves = n;
  }

  /** The files of a branch, by path. */
  filesOf(branch: string): Record<string, string> {
    const sha = this.branches.get(branch);
    if (!sha) throw new Error(`no branch ${branch}`);
    return { ...this.trees.get(this.commits.get(sha)!.tree)! };
  }

  headCommit(branch: string): StoredCommit | undefined {
    const sha = this.branches.get(branch);
    return sha ? this.commits.get(sha) : undefined;
  }

  async getDefaultBranch(): Promise<string> {
    return "main";
  }

  async getBranchHead(_repo: RepoId, branch: string): Promise<{ sha: string; treeSha: string } | null> {
    const sha = this.branches.get(branch);
    return sha ? { sha, treeSha: this.commits.get(sha)!.tree } : null;
  }

  async listTree(_repo: RepoId, treeSha: string): Promise<TreeEntry[]> {
    const tree = this.trees.get(treeSha);
    if (!tree) throw new Error(`no tree ${treeSha}`);
    return Object.entries(tree).map(([path, content]) => ({ path, sha: hash(content), size: Buffer.byteLength(content) }));
  }

  async readBlob(_repo: RepoId, sha: string): Promise<string> {
    const content = this.blobs.get(sha);
    if (content === undefined) throw new Error(`no blob ${sha}`);
    return content;
  }

  async commitFiles(_repo: RepoId, req: CommitRequest): Promise<CommitOutcome> {
    if (this.refuseCommits !== undefined) {
      this.calls.push({ method: "commitFiles", req, outcome: "refused" });
      return { kind: "refused", message: this.refuseCommits };
    }
    if (this.moves > 0) {
      this.moves--;
      const moved = this.commit(this.branches.get(req.branch), this.filesAt(req.branch), [{ path: `moved-${this.moves}.txt`, content: "x" }], "moved", {
        name: "someone",
        email: "someone@example.com",
      });
      this.branches.set(req.branch, moved);
    }
    const head = this.branches.get(req.branch);
    if (head !== req.baseSha) {
      this.calls.push({ method: "commitFiles", req, outcome: "conflict" });
      return { kind: "conflict", ...(head ? { currentSha: head } : {}) };
    }
    const sha = this.commit(head, this.filesAt(req.branch), req.files, req.message, req.author);
    this.branches.set(req.branch, sha);
    this.calls.push({ method: "commitFiles", req, outcome: "committed" });
    return { kind: "committed", sha };
  }

  async setBranch(_repo: RepoId, branch: string, sha: string, opts: { force: boolean }): Promise<CommitOutcome> {
    this.calls.push({ method: "setBranch", branch, sha, force: opts.force });
    this.branches.set(branch, sha);
    return { kind: "committed", sha };
  }

  async findOpenPullRequest(_repo: RepoId, head: string, base: string): Promise<PullRequestInfo | null> {
    const pr = this.pullRequests.find((p) => p.state === "open" && p.head === head && p.base === base);
    return pr ? { number: pr.number, url: pr.url, head: pr.head, base: pr.base, title: pr.title, body: pr.body } : null;
  }

  async createPullRequest(_repo: RepoId, pr: { head: string; base: string; title: string; body: string }): Promise<PullRequestInfo> {
    this.calls.push({ method: "createPullRequest", ...pr });
    const number = this.pullRequests.length + 1;
    const info = { ...pr, number, url: `https://github.example/pull/${number}` };
    this.pullRequests.push({ ...info, state: "open" });
    return info;
  }

  async updatePullRequest(_repo: RepoId, number: number, pr: { title?: string; body?: string; state?: "closed" }): Promise<PullRequestInfo> {
    this.calls.push({ method: "updatePullRequest", number, ...pr });
    const stored = this.pullRequests.find((p) => p.number === number);
    if (!stored) throw new Error(`no pull request #${number}`);
    Object.assign(stored, pr);
    return { number, url: stored.url, head: stored.head, base: stored.base, title: stored.title, body: stored.body };
  }

  private filesAt(branch: string): Record<string, string> {
    const sha = this.branches.get(branch);
    return sha ? this.trees.get(this.commits.get(sha)!.tree)! : {};
  }

  private commit(
    parent: string | undefined,
    base: Record<string, string>,
    files: readonly RepoFile[],
    message: string,
    author: StoredCommit["author"],
  ): string {
    const tree = { ...base };
    for (const f of files) {
      tree[f.path] = f.content;
      this.blobs.set(hash(f.content), f.content);
    }
    const treeSha = hash(JSON.stringify(Object.entries(tree).sort()));
    this.trees.set(treeSha, tree);
    const sha = hash(`${parent ?? ""}\n${treeSha}\n${message}\n${this.commits.size}`);
    this.commits.set(sha, { sha, ...(parent ? { parent } : {}), tree: treeSha, message, author });
    return sha;
  }
}
