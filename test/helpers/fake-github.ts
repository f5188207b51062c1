/**
 * An in-process fake of the GitHub REST API for tests: a node:http server on 127.0.0.1 with an
 * in-memory git object store, installations, repositories, pull requests, issues and comments.
 *
 * Point Octokit at `fake.url` (baseUrl) or Probot at it with GHE_HOST=`fake.host` GHE_PROTOCOL=http
 * (the optional `/api/v3` prefix is accepted). Any bearer token is accepted and recorded in `tokensSeen`.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { FlatFile, Person } from "./fake-github-git.js";
import { type Counts, type Fault, FakeServerCore, type LoggedRequest } from "./fake-github-server.js";
import { FakeState, type FakeComment, type FakeIssue, type FakeReaction, type FakeRepo, type FakeUser } from "./fake-github-state.js";

export type { Counts, Fault, LoggedRequest } from "./fake-github-server.js";
export type { FakeIssue, FakeComment, FakeReaction, FakeUser } from "./fake-github-state.js";

export interface FakeGitHubOptions {
  /** The app's slug; installation tokens act as `<slug>[bot]`. Default "flux-image-bot". */
  appSlug?: string;
  /** Answer recursive tree requests with `truncated: true` past this many entries. */
  truncateTreesOver?: number;
  /** Enforce one write per `writeLimitMs` per installation with 403 + Retry-After. Off by default. */
  writeLimitMs?: number;
  now?: () => number;
}

export interface SeedRepo {
  owner: string;
  repo: string;
  installationId: number;
  /** `{path: content}`; or use `dir` to copy a directory (without .git). */
  files?: Record<string, string>;
  dir?: string;
  defaultBranch?: string;
  private?: boolean;
  /** Branches that refuse ref updates, as branch protection with required reviews does. */
  protectedBranches?: string[];
  message?: string;
  author?: { name: string; email: string };
}

export interface CommitView {
  sha: string;
  message: string;
  author: Person;
  committer: Person;
  parents: string[];
}

const SOMEONE = { name: "Someone Else", email: "someone@example.com" };

export interface FakeGitHub {
  /** `http://127.0.0.1:<port>`: an Octokit baseUrl. */
  readonly url: string;
  /** `127.0.0.1:<port>`: a GHE_HOST. */
  readonly host: string;
  readonly state: FakeState;
  /** Every bearer token the server saw (app JWTs and installation tokens). */
  readonly tokensSeen: Set<string>;
  readonly requests: LoggedRequest[];
  close(): Promise<void>;
  addInstallation(id: number, accountLogin: string): void;
  /** Issues an installation token directly (what POST /app/installations/{id}/access_tokens does). */
  createInstallationToken(installationId: number): string;
  seedRepo(seed: SeedRepo): { headSha: string; repo: FakeRepo };
  branchSha(owner: string, repo: string, branch: string): string | undefined;
  readFile(owner: string, repo: string, branch: string, path: string): string | undefined;
  listFiles(owner: string, repo: string, branch: string): Record<string, string>;
  /** First-parent history of a branch, newest first. */
  listCommits(owner: string, repo: string, branch: string): CommitView[];
  /** Commits on top of the branch as another user (moves the branch under the bot). `null` deletes a file. */
  pushCommit(
    owner: string,
    repo: string,
    branch: string,
    change: { files: Record<string, string | null>; message?: string; author?: { name: string; email: string } },
  ): string;
  setProtected(owner: string, repo: string, branch: string, on: boolean): void;
  setCollaborator(owner: string, repo: string, login: string, role: "admin" | "maintain" | "write" | "triage" | "read"): void;
  addIssue(owner: string, repo: string, issue: { title: string; body?: string; labels?: string[]; state?: "open" | "closed"; user?: FakeUser }): FakeIssue;
  addComment(owner: string, repo: string, issueNumber: number, body: string, user?: FakeUser): FakeComment;
  issues(owner: string, repo: string): FakeIssue[];
  pulls(owner: string, repo: string): FakeIssue[];
  comments(owner: string, repo: string): FakeComment[];
  reactions(owner: string, repo: string): FakeReaction[];
  /** Answers the next `times` requests matching method and path with the given failure. */
  failNext(fault: Fault): void;
  pendingFaults(): number;
  counts(): { total: Counts; perRepo: Record<string, Counts>; perInstallation: Record<number, Counts> };
  resetCounts(): void;
  setWriteLimit(ms: number | undefined): void;
}

function readDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === ".git") continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split(sep).join("/")] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const state = new FakeState();
  const now = opts.now ?? Date.now;
  const core = new FakeServerCore(state, {
    appSlug: opts.appSlug ?? "flux-image-bot",
    truncateTreesOver: opts.truncateTreesOver,
    writeLimitMs: opts.writeLimitMs,
    now,
  });
  const server: Server = createServer((req, res) => {
    core.handle(req, res).catch((err) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  core.baseUrl = url;
  const iso = () => new Date(now()).toISOString();

  const commitOn = (r: FakeRepo, parent: string | undefined, files: Map<string, FlatFile>, message: string, who: { name: string; email: string }) => {
    const tree = r.git.buildTree(files);
    const person = { ...who, date: iso() };
    return r.git.putCommit({ tree, parents: parent ? [parent] : [], author: person, committer: person, message });
  };
  const branchFiles = (owner: string, repo: string, branch: string) => {
    const r = state.mustRepo(owner, repo);
    const sha = r.branches.get(branch);
    if (!sha) return undefined;
    return { r, files: r.git.flatten(r.git.get(sha, "commit")!.tree) };
  };

  return {
    url,
    host,
    state,
    tokensSeen: core.tokensSeen,
    requests: core.log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
    addInstallation: (id, login) => void state.addInstallation(id, login),
    createInstallationToken(installationId) {
      const token = `ghs_fake${installationId}x${state.newId()}${Math.random().toString(36).slice(2)}`;
      state.tokens.set(token, installationId);
      return token;
    },
    seedRepo(seed) {
      const r = state.createRepo(seed.owner, seed.repo, seed.installationId, { defaultBranch: seed.defaultBranch, private: seed.private });
      const contents = { ...(seed.dir ? readDir(seed.dir) : {}), ...seed.files };
      const files = new Map(Object.entries(contents).map(([p, c]) => [p, { mode: "100644", sha: r.git.putBlob(c) }]));
      const headSha = commitOn(r, undefined, files, seed.message ?? "Initial commit", seed.author ?? SOMEONE);
      r.branches.set(r.defaultBranch, headSha);
      for (const b of seed.protectedBranches ?? []) r.protectedBranches.add(b);
      return { headSha, repo: r };
    },
    branchSha: (owner, repo, branch) => state.mustRepo(owner, repo).branches.get(branch),
    readFile(owner, repo, branch, path) {
      const b = branchFiles(owner, repo, branch);
      const f = b?.files.get(path);
      return f ? b!.r.git.get(f.sha, "blob")!.content.toString("utf8") : undefined;
    },
    listFiles(owner, repo, branch) {
      const b = branchFiles(owner, repo, branch);
      if (!b) return {};
      return Object.fromEntries([...b.files].map(([p, f]) => [p, b.r.git.get(f.sha, "blob")?.content.toString("utf8") ?? ""]));
    },
    listCommits(owner, repo, branch) {
      const r = state.mustRepo(owner, repo);
      const out: CommitView[] = [];
      for (let sha = r.branches.get(branch); sha; ) {
        const c = r.git.get(sha, "commit")!;
        out.push({ sha, message: c.message, author: c.author, committer: c.committer, parents: c.parents });
        sha = c.parents[0];
      }
      return out;
    },
    pushCommit(owner, repo, branch, change) {
      const r = state.mustRepo(owner, repo);
      const parent = r.branches.get(branch);
      const files = parent ? r.git.flatten(r.git.get(parent, "commit")!.tree) : new Map<string, FlatFile>();
      for (const [p, c] of Object.entries(change.files)) {
        if (c === null) files.delete(p);
        else files.set(p, { mode: files.get(p)?.mode ?? "100644", sha: r.git.putBlob(c) });
      }
      const sha = commitOn(r, parent, files, change.message ?? "Someone else's change", change.author ?? SOMEONE);
      r.branches.set(branch, sha);
      return sha;
    },
    setProtected(owner, repo, branch, on) {
      const set = state.mustRepo(owner, repo).protectedBranches;
      if (on) set.add(branch);
      else set.delete(branch);
    },
    setCollaborator: (owner, repo, login, role) => void state.mustRepo(owner, repo).collaborators.set(login.toLowerCase(), role),
    addIssue(owner, repo, issue) {
      const r = state.mustRepo(owner, repo);
      const i: FakeIssue = {
        number: r.nextNumber++,
        title: issue.title,
        body: issue.body ?? "",
        state: issue.state ?? "open",
        labels: issue.labels ?? [],
        user: issue.user ?? { login: "octocat", type: "User" },
        createdAt: iso(),
        updatedAt: iso(),
      };
      r.issues.push(i);
      return i;
    },
    addComment(owner, repo, issueNumber, body, user) {
      const r = state.mustRepo(owner, repo);
      const c = { id: state.newId(), issueNumber, body, user: user ?? { login: "octocat", type: "User" as const } };
      r.comments.push(c);
      return c;
    },
    issues: (owner, repo) => state.mustRepo(owner, repo).issues.filter((i) => !i.pull),
    pulls: (owner, repo) => state.mustRepo(owner, repo).issues.filter((i) => i.pull),
    comments: (owner, repo) => state.mustRepo(owner, repo).comments,
    reactions: (owner, repo) => state.mustRepo(owner, repo).reactions,
    failNext: (fault) => void core.faults.push({ ...fault, left: fault.times ?? 1 }),
    pendingFaults: () => core.faults.reduce((n, f) => n + f.left, 0),
    counts: () => ({
      total: { ...core.total },
      perRepo: Object.fromEntries([...core.perRepo].map(([k, v]) => [k, { ...v }])),
      perInstallation: Object.fromEntries([...core.perInstallation].map(([k, v]) => [k, { ...v }])),
    }),
    resetCounts: () => core.resetCounts(),
    setWriteLimit: (ms) => {
      core.opts.writeLimitMs = ms;
    },
  };
}
