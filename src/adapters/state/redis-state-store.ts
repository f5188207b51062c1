/**
 * StateStore on Redis: one JSON value per repository, updated with
 * WATCH/MULTI so that concurrent workers never lose each other's writes.
 */
import type { Redis } from "ioredis";
import { emptyState, repoKey } from "../../app/state.js";
import type { RepoId, RepoState, StateStore } from "../../app/ports/index.js";

export class RedisStateStore implements StateStore {
  /**
   * WATCH needs a connection of its own; updates take turns on it. A few such connections, picked by
   * repository, let updates of different repositories run at once (the load run found one connection
   * for the whole process to be a queue every job of every repository waited in); updates of one
   * repository stay in turn on one connection.
   */
  private readonly conns: Array<{ conn: Redis | null; turn: Promise<unknown> }>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = "fib",
    connections = 8,
  ) {
    this.conns = Array.from({ length: Math.max(1, connections) }, () => ({ conn: null, turn: Promise.resolve() }));
  }

  async close(): Promise<void> {
    for (const c of this.conns) {
      c.conn?.disconnect();
      c.conn = null;
    }
  }

  private slot(repo: RepoId) {
    const k = repoKey(repo);
    let h = 0;
    for (let i = 0; i < k.length; i++) h = (h * 31 + k.charCodeAt(i)) | 0;
    return this.conns[Math.abs(h) % this.conns.length]!;
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

  update(repo: RepoId, fn: (s: RepoState) => RepoState | undefined): Promise<RepoState> {
    const slot = this.slot(repo);
    const run = slot.turn.then(() => this.updateNow(slot, repo, fn));
    slot.turn = run.catch(() => undefined);
    return run;
  }

  private async updateNow(slot: { conn: Redis | null }, repo: RepoId, fn: (s: RepoState) => RepoState | undefined): Promise<RepoState> {
    const key = this.key(repo);
    slot.conn ??= this.redis.duplicate();
    const conn = slot.conn;
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
