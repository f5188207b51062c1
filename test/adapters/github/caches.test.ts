import { describe, expect, it } from "@jest/globals";
import type { Redis } from "ioredis";
import { createMemoryEtagStore } from "../../../src/adapters/github/etag-store.js";
import { LruCache } from "../../../src/adapters/github/lru-cache.js";
import { type RedisLike, createRedisEtagStore } from "../../../src/adapters/github/redis-etag-store.js";

describe("LruCache", () => {
  it("evicts the least recently used entries past the weight bound", () => {
    const lru = new LruCache<string>(6, (s) => s.length);
    lru.set("a", "aa");
    lru.set("b", "bb");
    lru.get("a");
    lru.set("c", "cc");
    lru.set("d", "dd");
    expect([lru.get("a"), lru.get("b"), lru.get("c"), lru.get("d")]).toEqual(["aa", undefined, "cc", "dd"]);
    expect(lru.weight).toBe(6);
  });

  it("does not keep a value heavier than the cache", () => {
    const lru = new LruCache<string>(3, (s) => s.length);
    lru.set("big", "xxxx");
    expect(lru.get("big")).toBeUndefined();
    expect(lru.size).toBe(0);
  });
});

/** Compile-time check: an ioredis client is a RedisLike. */
const asRedisLike = (r: Redis): RedisLike => r;
void asRedisLike;

describe("ETag stores", () => {
  it("keeps entries in memory", async () => {
    const store = createMemoryEtagStore(1);
    await store.set("k1", { etag: '"1"', value: "main" });
    expect(await store.get("k1")).toEqual({ etag: '"1"', value: "main" });
    await store.set("k2", { etag: '"2"', value: "x" });
    expect(await store.get("k1")).toBeUndefined();
  });

  it("keeps entries in Redis with a prefix and a TTL", async () => {
    const data = new Map<string, string>();
    const calls: unknown[][] = [];
    const redis: RedisLike = {
      get: async (k) => data.get(k) ?? null,
      set: async (k, v, mode, ttl) => {
        calls.push([k, mode, ttl]);
        data.set(k, v);
        return "OK";
      },
      del: async (k) => data.delete(k),
    };
    const store = createRedisEtagStore(redis, { prefix: "p:", ttlSeconds: 60 });
    await store.set("acme/fleet:repo", { etag: 'W/"x"', value: { sha: "abc" } });
    expect(calls).toEqual([["p:acme/fleet:repo", "EX", 60]]);
    expect(await store.get("acme/fleet:repo")).toEqual({ etag: 'W/"x"', value: { sha: "abc" } });
    data.set("p:bad", "not json");
    expect(await store.get("bad")).toBeUndefined();
    await store.delete("acme/fleet:repo");
    expect(await store.get("acme/fleet:repo")).toBeUndefined();
  });
});
