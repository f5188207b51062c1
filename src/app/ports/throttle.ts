/**
 * The Throttle port: counters in time windows, for the chatops limits (commands
 * per user, one refusal per user and issue). MemoryThrottle (src/app/throttle.ts)
 * is the in-process fallback; the server counts in Redis, so that every web and
 * worker process counts together.
 */
export interface Throttle {
  /** Counts one hit on `key`; returns the hits in the current window (1 for the first), which lasts `windowMs` from that first hit. */
  hit(key: string, windowMs: number): Promise<number>;
  /** True the first time `key` is seen in `ttlMs`, false until that time has passed. */
  once(key: string, ttlMs: number): Promise<boolean>;
}
