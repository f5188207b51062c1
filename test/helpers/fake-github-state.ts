/** The fake GitHub's data: installations, repositories and everything hanging off a repository. */
import { GitStore } from "./fake-github-git.js";

export interface FakeUser {
  login: string;
  type: "User" | "Bot" | "Organization";
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  user: FakeUser;
  /** Set for pull requests, which share the issue number sequence. */
  pull?: { head: string; headOwner: string; base: string };
  createdAt: string;
  updatedAt: string;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: FakeUser;
}

export interface FakeReaction {
  id: number;
  content: string;
  user: FakeUser;
  issueNumber?: number;
  commentId?: number;
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  installationId: number;
  defaultBranch: string;
  private: boolean;
  git: GitStore;
  /** Branch name → commit sha. */
  branches: Map<string, string>;
  protectedBranches: Set<string>;
  issues: FakeIssue[];
  comments: FakeComment[];
  reactions: FakeReaction[];
  collaborators: Map<string, string>;
  /** Labels of the repository (name → color). */
  labels: Map<string, string>;
  nextNumber: number;
}

export interface FakeInstallation {
  id: number;
  account: string;
}

export class FakeState {
  readonly installations = new Map<number, FakeInstallation>();
  readonly repos = new Map<string, FakeRepo>();
  /** Installation token → installation id. */
  readonly tokens = new Map<string, number>();
  private nextRepoId = 1000;
  private nextId = 1;

  newId(): number {
    return this.nextId++;
  }

  addInstallation(id: number, account: string): FakeInstallation {
    const inst = { id, account };
    this.installations.set(id, inst);
    return inst;
  }

  createRepo(owner: string, name: string, installationId: number, opts: { defaultBranch?: string; private?: boolean } = {}): FakeRepo {
    if (!this.installations.has(installationId)) this.addInstallation(installationId, owner);
    const repo: FakeRepo = {
      id: this.nextRepoId++,
      owner,
      name,
      installationId,
      defaultBranch: opts.defaultBranch ?? "main",
      private: opts.private ?? true,
      git: new GitStore(),
      branches: new Map(),
      labels: new Map(),
      protectedBranches: new Set(),
      issues: [],
      comments: [],
      reactions: [],
      collaborators: new Map(),
      nextNumber: 1,
    };
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    return repo;
  }

  repo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  mustRepo(owner: string, name: string): FakeRepo {
    const r = this.repo(owner, name);
    if (!r) throw new Error(`fake github: no repository ${owner}/${name}`);
    return r;
  }
}
