/**
 * StateStore on Redis: one JSON value per repository, updated with
 * WATCH/MULTI so that concurrent workers never lose each other's writes.
 */
import type { Redis } from "ioredis";
import type { RepoId } from "../../app/ports.js";
import { emptyState, repoKey, type RepoState, type StateStore } from "../../app/state.js";

export class RedisStateStore implements StateStore {
  /** WATCH needs a connection of its own; updates take turns on it. */
  private conn: Redis | null = null;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly prefix = "fib",
  ) {}

  async close(): Promise<void> {
    this.conn?.disconnect();
    this.conn = null;
  }

  private key(repo: RepoId): string {
    return `${this.prefix}:state:${repoKey(repo)}`;
  }

  private indexKey(installationId: number): string {
    return `${this.prefix}:state-index:${installationId}`;
  }

  async get(repo: RepoId): Promise<RepoState | null> {
    const raw = await this.redis.get(this.key(repo));
    return raw ? (JSON.parse(raw) as RepoState) : null;
  }

  update(repo: RepoId, fn: (s: RepoState) => RepoState | void): Promise<RepoState> {
    const run = this.turn.then(() => this.updateNow(repo, fn));
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async updateNow(repo: RepoId, fn: (s: RepoState) => RepoState | void): Promise<RepoState> {
    const key = this.key(repo);
    this.conn ??= this.redis.duplicate();
    const conn = this.conn;
    {
      for (let attempt = 0; attempt < 50; attempt++) {
        await conn.watch(key);
        const raw = await conn.get(key);
        const cur = raw ? (JSON.parse(raw) as RepoState) : emptyState(repo);
        let next: RepoState;
        try {
          next = fn(cur) ?? cur;
        } catch (e) {
          await conn.unwatch();
          throw e;
        }
        const res = await conn.multi().set(key, JSON.stringify(next)).sadd(this.indexKey(repo.installationId), `${repo.owner}/${repo.repo}`).exec();
        if (res !== null) return next;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
      }
      throw new Error(`state.conflict: could not update the state of ${repo.owner}/${repo.repo} after 50 attempts`);
    }
  }

  async delete(repo: RepoId): Promise<void> {
    await this.redis.multi().del(this.key(repo)).srem(this.indexKey(repo.installationId), `${repo.owner}/${repo.repo}`).exec();
  }

  async list(installationId: number): Promise<RepoId[]> {
    const members = await this.redis.smembers(this.indexKey(installationId));
    return members.map((m) => {
      const [owner, repo] = m.split("/");
      return { installationId, owner, repo };
    });
  }
}
