/**
 * One content-creating request per second per installation, as GitHub's REST best practices ask
 * (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#pause-between-mutative-requests).
 * Each installation has its own queue, so installations proceed in parallel.
 */
export interface WriteLimiter {
  /**
   * Runs `fn` once at least `intervalMs` passed since the previous write of the same installation finished.
   * Measuring from the answer (not the start) keeps the spacing at GitHub's end even when a request is slow to arrive.
   */
  schedule<T>(installationId: number, fn: () => Promise<T>): Promise<T>;
}

export interface WriteLimiterOptions {
  intervalMs: number;
  /** Injected for tests; defaults to Date.now. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Lane {
  tail: Promise<void>;
  lastEnd: number;
  pending: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createWriteLimiter(opts: WriteLimiterOptions): WriteLimiter {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const lanes = new Map<number, Lane>();

  return {
    schedule<T>(installationId: number, fn: () => Promise<T>): Promise<T> {
      let lane = lanes.get(installationId);
      if (!lane) {
        lane = { tail: Promise.resolve(), lastEnd: -Infinity, pending: 0 };
        lanes.set(installationId, lane);
      }
      const l = lane;
      l.pending++;
      const run = l.tail.then(async () => {
        const wait = l.lastEnd + opts.intervalMs - now();
        if (wait > 0) await sleep(wait);
        try {
          return await fn();
        } finally {
          l.lastEnd = now();
        }
      });
      // The next write waits for this one to finish, whatever its outcome.
      l.tail = run.then(
        () => undefined,
        () => undefined,
      );
      void l.tail.then(() => {
        l.pending--;
        if (l.pending === 0 && lanes.get(installationId) === l && now() - l.lastEnd >= opts.intervalMs) lanes.delete(installationId);
      });
      return run;
    },
  };
}
