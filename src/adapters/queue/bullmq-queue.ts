/**
 * JobQueue on BullMQ: one queue per job name, deduplication by business key
 * (a burst of webhooks makes one waiting job, and a key never runs twice at
 * once), and job schedulers for the periodic scans and runs.
 */
import { Queue, type ConnectionOptions, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { isLegacyKey, jobKey, KEY_SEP, repoPrefix } from "../../app/jobs.js";
import type { JobDataByName, JobName, JobQueue, EnqueueOptions, Logger, RepoId } from "../../app/ports/index.js";

export const JOB_NAMES: readonly JobName[] = ["sync-repo", "scan-image", "reconcile", "sync-dashboard", "run-command", "pull-request-event"];

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

export interface BullQueues {
  queues: Record<JobName, Queue>;
  close(): Promise<void>;
}

export function createQueues(connection: ConnectionOptions, prefix: string, logger?: Logger): BullQueues {
  const queues = Object.fromEntries(JOB_NAMES.map((n) => [n, new Queue(n, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS })])) as Record<
    JobName,
    Queue
  >;
  // Without a listener BullMQ prints connection errors (Redis down) to the console unstructured.
  let lastLogged = 0;
  for (const [name, q] of Object.entries(queues)) {
    q.on("error", (err: Error) => {
      if (Date.now() - lastLogged < 5000) return; // one line per outage burst, not one per retry
      lastLogged = Date.now();
      logger?.error({ queue: name, error: err.message }, "queue error (is Redis reachable?)");
    });
  }
  return {
    queues,
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

export class BullJobQueue implements JobQueue {
  constructor(
    private readonly queues: Record<JobName, Queue>,
    private readonly now: () => number = Date.now,
    /** With a Redis client, schedules are indexed per repository and pruning reads the index (see pruneSchedules). */
    private readonly index?: { redis: Redis; prefix: string },
  ) {}

  async enqueue<N extends JobName>(name: N, data: JobDataByName[N], opts: EnqueueOptions = {}): Promise<void> {
    const key = jobKey(name, data);
    await this.queues[name].add(name, data, {
      // readable ids from the business key; the deduplication id makes a waiting job absorb repeats
      jobId: `${key}${KEY_SEP}${this.now()}${KEY_SEP}${Math.random().toString(36).slice(2, 8)}`,
      deduplication: { id: key, keepLastIfActive: true },
      ...(opts.delayMs ? { delay: opts.delayMs } : {}),
    });
  }

  async upsertSchedule<N extends JobName>(name: N, data: JobDataByName[N], everyMs: number): Promise<void> {
    await this.prepare();
    const id = jobKey(name, data);
    const queue = this.queues[name];
    if (this.index) await this.index.redis.sadd(this.indexKey(data), `${name} ${id}`);
    const existing = await queue.getJobScheduler(id);
    // same interval and same data (e.g. the account reference of an older webhook): nothing to change
    if (existing && Number(existing.every) === everyMs && JSON.stringify(existing.template?.data) === JSON.stringify(data)) return;
    // The first run comes one interval from now: the sync job starts the immediate work itself.
    await queue.upsertJobScheduler(id, { every: everyMs, startDate: this.now() + everyMs }, { name, data });
  }

  private indexKey(repo: RepoId): string {
    return `${this.index?.prefix}:schedule-index:${repo.installationId}:${repo.owner}/${repo.repo}`;
  }

  private prepared: Promise<void> | undefined;

  /** Once per process: index old schedules, then move schedules with old-format keys to the new keys. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      if (this.index) await this.migrateIndex(this.index.redis, this.index.prefix);
      await this.migrateLegacyKeys();
    })().catch((e) => {
      this.prepared = undefined; // try again on the next call
      throw e;
    });
    return this.prepared;
  }

  /** Indexes, once per Redis, the schedules made before the index existed. */
  private async migrateIndex(redis: Redis, prefix: string): Promise<void> {
    const marker = `${prefix}:schedule-index:v1`;
    if (await redis.exists(marker)) return;
    for (const name of JOB_NAMES) {
      for (const s of await this.queues[name].getJobSchedulers(0, -1)) {
        const d = s.template?.data as Partial<RepoId> | undefined;
        if (d?.installationId !== undefined && d.owner && d.repo) await redis.sadd(this.indexKey(d as RepoId), `${name} ${s.key}`);
      }
    }
    await redis.set(marker, "1");
  }

  /**
   * Schedules made with the old keys (parts joined with '-': repository `app` + namespace `flux-system` was
   * the key of `app-flux` + `system` too) are removed and made again under the new key of the data they
   * carry, so that after an upgrade no schedule runs twice (old key and new key) and none stays shared.
   * Runs once per Redis (a marker key); workers starting together may both run it, which is harmless.
   */
  async migrateLegacyKeys(): Promise<number> {
    const marker = this.index ? `${this.index.prefix}:schedule-keys:v2` : undefined;
    if (marker && (await this.index!.redis.exists(marker))) return 0;
    let moved = 0;
    for (const name of JOB_NAMES) {
      const queue = this.queues[name];
      for (const s of await queue.getJobSchedulers(0, -1)) {
        if (!isLegacyKey(name, s.key)) continue;
        await queue.removeJobScheduler(s.key);
        moved++;
        const data = s.template?.data as JobDataByName[typeof name] | undefined;
        if (this.index && data?.installationId !== undefined && data.owner && data.repo) await this.index.redis.srem(this.indexKey(data), `${name} ${s.key}`);
        if (data?.installationId === undefined || !data.owner || !data.repo || !s.every) continue;
        const id = jobKey(name, data);
        if (this.index) await this.index.redis.sadd(this.indexKey(data), `${name} ${id}`);
        if (!(await queue.getJobScheduler(id)))
          await queue.upsertJobScheduler(id, { every: Number(s.every), startDate: this.now() + Number(s.every) }, { name, data });
      }
    }
    if (marker) await this.index!.redis.set(marker, "1");
    return moved;
  }

  /**
   * Removes the repository's schedules not in `keep`. With the index, this reads one Redis set; without it,
   * it lists every scheduler of every queue, which the load run found to be quadratic (each sync of 1,000
   * repositories read all ~7,000 schedulers).
   */
  async pruneSchedules(repo: RepoId, keep: ReadonlySet<string>): Promise<number> {
    if (!this.index) return this.pruneByListing(repo, keep);
    await this.prepare();
    const { redis } = this.index;
    const key = this.indexKey(repo);
    let removed = 0;
    for (const member of await redis.smembers(key)) {
      const [name, id] = member.split(" ") as [JobName, string];
      if (keep.has(id)) continue;
      const queue = this.queues[name];
      if (queue && (await queue.getJobScheduler(id))) {
        await queue.removeJobScheduler(id);
        removed++;
      }
      await redis.srem(key, member);
    }
    return removed;
  }

  private async pruneByListing(repo: RepoId, keep: ReadonlySet<string>): Promise<number> {
    await this.prepare();
    let removed = 0;
    for (const name of JOB_NAMES) {
      const queue = this.queues[name];
      const schedulers = await queue.getJobSchedulers(0, -1);
      for (const s of schedulers) {
        const id = s.key;
        const prefix = repoPrefix(name, repo);
        if (!id.startsWith(prefix) && id !== prefix.slice(0, -KEY_SEP.length)) continue;
        // the template's data says whose schedule it is
        const d = s.template?.data as Partial<RepoId> | undefined;
        if (d && (d.installationId !== repo.installationId || d.owner !== repo.owner || d.repo !== repo.repo)) continue;
        if (keep.has(id)) continue;
        await queue.removeJobScheduler(id);
        removed++;
      }
    }
    return removed;
  }

  /** Drops every schedule of a repository (installation removed). */
  async removeRepository(repo: RepoId): Promise<number> {
    return this.pruneSchedules(repo, new Set());
  }
}
