/** Throttle on Redis: one key per counter, expiring with its window, shared by every process. */
import type { Redis } from "ioredis";
import type { Throttle } from "../../app/ports/index.js";

export class RedisThrottle implements Throttle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "fib",
  ) {}

  private key(k: string): string {
    return `${this.prefix}:throttle:${k}`;
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const k = this.key(key);
    // the window starts with the first hit: the expiry is set only when the key is new
    const replies = await this.redis.multi().set(k, "0", "PX", Math.max(1, windowMs), "NX").incr(k).exec();
    const [err, count] = replies?.[1] ?? [new Error("no reply from Redis"), 0];
    if (err) throw err;
    return Number(count);
  }

  async once(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.key(key), "1", "PX", Math.max(1, ttlMs), "NX")) === "OK";
  }
}
