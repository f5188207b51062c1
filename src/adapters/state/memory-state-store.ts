/** In-memory StateStore (CLI, tests). */
import { emptyState, repoKey } from "../../app/state.js";
import type { RepoId, RepoState, StateStore } from "../../app/ports/index.js";

export class MemoryStateStore implements StateStore {
  private readonly states = new Map<string, string>();
  private chain = Promise.resolve();

  async get(repo: RepoId): Promise<RepoState | null> {
    const raw = this.states.get(repoKey(repo));
    return raw ? (JSON.parse(raw) as RepoState) : null;
  }

  update(repo: RepoId, fn: (s: RepoState) => RepoState | undefined): Promise<RepoState> {
    const run = this.chain.then(async () => {
      const cur = (await this.get(repo)) ?? emptyState(repo);
      const next = fn(cur) ?? cur;
      this.states.set(repoKey(repo), JSON.stringify(next));
      return next;
    });
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async delete(repo: RepoId): Promise<void> {
    this.states.delete(repoKey(repo));
  }

  async list(installationId: number): Promise<RepoId[]> {
    const out: RepoId[] = [];
    for (const raw of this.states.values()) {
      const s = JSON.parse(raw) as RepoState;
      if (s.repo.installationId === installationId) out.push(s.repo);
    }
    return out;
  }
}
