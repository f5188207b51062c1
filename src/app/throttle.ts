/**
 * The Throttle port: counters in time windows, for the chatops limits (commands
 * per user, one refusal per user and issue). MemoryThrottle is the in-process
 * fallback (tests, a single process); the server uses Redis, so that every web
 * and worker process counts together.
 */
export interface Throttle {
  /** Counts one hit on `key`; returns the hits in the current window (1 for the first), which lasts `windowMs` from that first hit. */
  hit(key: string, windowMs: number): Promise<number>;
  /** True the first time `key` is seen in `ttlMs`, false until that time has passed. */
  once(key: string, ttlMs: number): Promise<boolean>;
}

export class MemoryThrottle implements Throttle {
  private readonly windows = new Map<string, { count: number; until: number }>();
  /** bounded: the oldest windows go first when it is full */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  private current(key: string, windowMs: number): { count: number; until: number } {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || w.until <= t) {
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
      w = { count: 0, until: t + windowMs };
      this.windows.set(key, w);
    }
    return w;
  }

  async hit(key: string, windowMs: number): Promise<number> {
    return ++this.current(key, windowMs).count;
  }

  async once(key: string, ttlMs: number): Promise<boolean> {
    return ++this.current(key, ttlMs).count === 1;
  }
}
