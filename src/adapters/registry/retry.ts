/** Retry timing and per-host concurrency for the registry client. */

/** Parses `Retry-After` (delta-seconds or HTTP date) into milliseconds, or undefined. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const t = v.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const date = Date.parse(t);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Exponential backoff with jitter: base·2^attempt, capped, scaled by a random factor in [0.5, 1). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(exp * (0.5 + random() / 2));
}

/** A counting semaphore per key (a registry host, or one key for the whole process). */
export class HostLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(private readonly limit: number) {}

  /**
   * Runs `fn` once a slot for `key` is free. A waiter whose `signal` aborts (the scan's deadline) leaves
   * the queue with `onAbort()`'s error, so no job waits on a busy host longer than its scan may last.
   */
  async run<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal, onAbort?: () => Error): Promise<T> {
    await this.acquire(key, signal, onAbort);
    try {
      return await fn();
    } finally {
      this.release(key);
    }
  }

  /** Slots in use for `key` (for tests and metrics). */
  inUse(key: string): number {
    return this.active.get(key) ?? 0;
  }

  private acquire(key: string, signal?: AbortSignal, onAbort?: () => Error): Promise<void> {
    const n = this.active.get(key) ?? 0;
    if (n < this.limit) {
      this.active.set(key, n + 1);
      return Promise.resolve();
    }
    const aborted = (): Error => onAbort?.() ?? new Error("cancelled while waiting for a registry connection slot");
    if (signal?.aborted) return Promise.reject(aborted());
    return new Promise((resolve, reject) => {
      const q = this.waiting.get(key) ?? [];
      const grant = (): void => {
        signal?.removeEventListener("abort", leave);
        resolve();
      };
      const leave = (): void => {
        const i = q.indexOf(grant);
        if (i >= 0) q.splice(i, 1);
        if (q.length === 0 && this.waiting.get(key) === q) this.waiting.delete(key);
        reject(aborted());
      };
      signal?.addEventListener("abort", leave, { once: true });
      q.push(grant);
      this.waiting.set(key, q);
    });
  }

  private release(key: string): void {
    const q = this.waiting.get(key);
    const next = q?.shift();
    if (next) {
      // the slot passes straight to the next waiter
      if (q && q.length === 0) this.waiting.delete(key);
      next();
      return;
    }
    const n = (this.active.get(key) ?? 1) - 1;
    if (n <= 0) this.active.delete(key);
    else this.active.set(key, n);
  }
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
