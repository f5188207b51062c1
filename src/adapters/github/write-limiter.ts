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
export type WritePriority = "finish" | "normal" | "low";

export interface WriteLimiter {
  /**
   * Runs `fn` once at least `intervalMs` passed since the previous write of the same installation finished.
   * Measuring from the answer (not the start) keeps the spacing at GitHub's end even when a request is slow to arrive.
   */
  schedule<T>(installationId: number, fn: () => Promise<T>, priority?: WritePriority): Promise<T>;
}

export interface WriteLimiterOptions {
  intervalMs: number;
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
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createWriteLimiter(opts: WriteLimiterOptions): WriteLimiter {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const lanes = new Map<number, Lane>();

  const nextOf = (l: Lane) => {
    for (const p of ORDER) if (l.queues[p].length) return l.queues[p].shift();
    return undefined;
  };

  async function pump(l: Lane): Promise<void> {
    l.running = true;
    try {
      for (let item = nextOf(l); item; item = nextOf(l)) {
        const wait = l.lastEnd + opts.intervalMs - now();
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
        if (!l.running) void pump(l);
      });
    },
  };
}
