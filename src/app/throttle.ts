/** MemoryThrottle: the in-process Throttle (tests, a single process); the server counts in Redis. */
import type { Throttle } from "./ports/index.js";

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
