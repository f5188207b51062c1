/**
 * One content-creating request per second per installation, as GitHub's REST best practices ask
 * (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#pause-between-mutative-requests).
 * Each installation has its own queue, so installations proceed in parallel.
 */
export interface WriteLimiter {
  /** Runs `fn` once at least `intervalMs` passed since the previous write of the same installation started. */
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
  lastStart: number;
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
        lane = { tail: Promise.resolve(), lastStart: -Infinity, pending: 0 };
        lanes.set(installationId, lane);
      }
      const l = lane;
      l.pending++;
      const run = l.tail.then(async () => {
        const wait = l.lastStart + opts.intervalMs - now();
        if (wait > 0) await sleep(wait);
        l.lastStart = now();
        return fn();
      });
      // The next write waits for this one to start and finish, whatever its outcome.
      l.tail = run.then(
        () => undefined,
        () => undefined,
      );
      void l.tail.then(() => {
        l.pending--;
        if (l.pending === 0 && lanes.get(installationId) === l && now() - l.lastStart >= opts.intervalMs) lanes.delete(installationId);
      });
      return run;
    },
  };
}
