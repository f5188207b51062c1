/**
 * One content-creating request per second per installation, as GitHub's REST best practices ask
 * (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#pause-between-mutative-requests).
 * Each installation has its own queue, so installations proceed in parallel.
 *
 * Within an installation, writes wait in three classes, served in this order (FIFO within a class):
 * "finish" (the 2nd and later writes of an operation already under way, e.g. the commit and ref update after a tree),
 * "normal" (the first write of a commit or pull request), "low" (dashboard and chatops issue edits).
 * Under load this lets a commit complete before the next one starts and keeps dashboard refreshes from
 * delaying commits; the spacing per installation is the same.
 */
import { setTimeout as delay } from "node:timers/promises";
export type WritePriority = "finish" | "normal" | "low";

export interface WriteLimiter {
  /**
   * Runs `fn` once at least `intervalMs` passed since the previous write of the same installation finished.
   * Measuring from the answer (not the start) keeps the spacing at GitHub's end even when a request is slow to arrive.
   */
  schedule<T>(installationId: number, fn: () => Promise<T>, priority?: WritePriority): Promise<T>;
}

/**
 * A slot booking shared by every process (e.g. in Redis): returns how long to wait before the write
 * so that writes of one installation start at least `intervalMs` apart across all workers.
 */
export type SharedWriteSlots = (installationId: number, intervalMs: number) => Promise<number>;

export interface WriteLimiterOptions {
  intervalMs: number;
  /** Book slots with the other workers too; a failure to book falls back to the local spacing only. */
  shared?: SharedWriteSlots;
  /** Injected for tests; defaults to Date.now. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Lane {
  queues: Record<WritePriority, Array<() => Promise<void>>>;
  running: boolean;
  lastEnd: number;
}

const ORDER: readonly WritePriority[] = ["finish", "normal", "low"];

export function createWriteLimiter(opts: WriteLimiterOptions): WriteLimiter {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => delay(ms));
  const lanes = new Map<number, Lane>();

  const nextOf = (l: Lane) => {
    for (const p of ORDER) if (l.queues[p].length) return l.queues[p].shift();
    return undefined;
  };

  async function pump(id: number, l: Lane): Promise<void> {
    l.running = true;
    try {
      for (let item = nextOf(l); item; item = nextOf(l)) {
        let wait = l.lastEnd + opts.intervalMs - now();
        if (opts.shared && opts.intervalMs > 0) {
          if (wait > 0) await sleep(wait);
          wait = await opts.shared(id, opts.intervalMs).catch(() => 0);
        }
        if (wait > 0) await sleep(wait);
        // The next write waits for this one to finish, whatever its outcome.
        await item();
      }
    } finally {
      l.running = false;
    }
  }

  /** Idle lanes past their interval carry no information: drop them so the map stays small. */
  function sweep(): void {
    if (lanes.size < 1024) return;
    for (const [id, l] of lanes) if (!l.running && now() - l.lastEnd >= opts.intervalMs) lanes.delete(id);
  }

  return {
    schedule<T>(installationId: number, fn: () => Promise<T>, priority: WritePriority = "normal"): Promise<T> {
      let lane = lanes.get(installationId);
      if (!lane) {
        sweep();
        lane = { queues: { finish: [], normal: [], low: [] }, running: false, lastEnd: -Infinity };
        lanes.set(installationId, lane);
      }
      const l = lane;
      return new Promise<T>((resolve, reject) => {
        l.queues[priority].push(async () => {
          // lastEnd is set before the caller hears back, so its next write already sees it
          try {
            const value = await fn();
            l.lastEnd = now();
            resolve(value);
          } catch (e) {
            l.lastEnd = now();
            reject(e);
          }
        });
        if (!l.running) void pump(installationId, l);
      });
    },
  };
}

/** The Redis commands used by redisWriteSlots, so tests can pass a stub. */
export interface RedisEvalLike {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** Books the next free start time of an installation (Redis server clock), keeps it a little past its use. */
const BOOK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, nextFree)
local gap = tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(at + gap), 'PX', math.floor(at + gap - now + 60000))
return at - now`;

/**
 * Write slots shared by every worker process through Redis: without it each process keeps its own
 * one-per-second lane and two workers together write twice a second to one installation (found by the
 * load run with two worker processes: GitHub answers 403 secondary rate limit). Starts are booked
 * `intervalMs + marginMs` apart, the margin covering the request's trip to GitHub.
 */
export function redisWriteSlots(redis: RedisEvalLike, prefix: string, marginMs = 250): SharedWriteSlots {
  return async (installationId, intervalMs) => Number(await redis.eval(BOOK, 1, `${prefix}:write-slot:${installationId}`, intervalMs + marginMs));
}
