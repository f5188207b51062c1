/**
 * ETag store shared by every worker through Redis, so a restarted or second worker still gets 304s.
 * Entries expire after `ttlSeconds` (a stale validator only costs one full request).
 */
import type { EtagEntry, EtagStore } from "./etag-store.js";

/** The ioredis commands used here, so tests can pass a stub. */
export interface RedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: "EX", seconds: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

export function createRedisEtagStore(redis: RedisLike, opts: { prefix?: string; ttlSeconds?: number } = {}): EtagStore {
  const prefix = opts.prefix ?? "flux-image-bot:etag:";
  const ttl = opts.ttlSeconds ?? 24 * 3600;
  return {
    async get(key) {
      const raw = await redis.get(prefix + key);
      if (!raw) return undefined;
      try {
        const parsed = JSON.parse(raw) as Partial<EtagEntry>;
        return typeof parsed.etag === "string" ? { etag: parsed.etag, value: parsed.value } : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, entry) {
      await redis.set(prefix + key, JSON.stringify(entry), "EX", ttl);
    },
    async delete(key) {
      await redis.del(prefix + key);
    },
  };
}
