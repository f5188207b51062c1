import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { credentialIdentity } from "../../../src/adapters/registry/index.js";
import { MemoryScanCache, RedisScanCache, scanCacheKey } from "../../../src/adapters/scan-cache/index.js";
import { ensureRedis, type TestRedis } from "../../helpers/redis.js";
import type { ScanCache, ScanRecord } from "../../../src/app/ports/index.js";

const record = (tags: string[]): ScanRecord => ({ tags, scannedAt: new Date().toISOString(), droppedInvalid: 0, truncated: false });

let redis: TestRedis;
const clients: Redis[] = [];
const prefix = `fib-test-${randomUUID()}:`;
beforeAll(async () => {
  redis = await ensureRedis();
}, 30_000);
afterAll(async () => {
  if (clients[0]) {
    const keys = await clients[0].keys(`${prefix}*`);
    if (keys.length) await clients[0].del(...keys);
  }
  await Promise.all(clients.map((c) => c.quit()));
  await redis?.stop();
});

function redisCache(opts: { now?: () => number } = {}): RedisScanCache {
  const c = redis.client();
  clients.push(c);
  return new RedisScanCache(c, { prefix, pollMs: 10, ...opts });
}

describe("scanCacheKey", () => {
  it("separates credentials and shares anonymous scans", () => {
    const anon = scanCacheKey("ghcr.io/org/app", credentialIdentity());
    expect(anon).toBe("anon/ghcr.io/org/app");
    const a = scanCacheKey("ghcr.io/org/app", credentialIdentity({ username: "a", password: "x" }));
    const b = scanCacheKey("ghcr.io/org/app", credentialIdentity({ username: "b", password: "y" }));
    expect(new Set([anon, a, b]).size).toBe(3);
    expect(a).not.toContain("x");
  });
});

const impls: Array<[string, () => ScanCache]> = [
  ["MemoryScanCache", () => new MemoryScanCache()],
  ["RedisScanCache", () => redisCache()],
];

describe.each(impls)("%s", (_name, make) => {
  it("caches within the TTL and shares the result", async () => {
    const cache = make();
    const key = `k-${randomUUID()}`;
    let scans = 0;
    const scan = async () => record([`v${++scans}`]);
    expect(await cache.get(key)).toBeNull();
    await expect(cache.getOrScan(key, 60_000, scan)).resolves.toEqual({ record: expect.objectContaining({ tags: ["v1"] }), fresh: true });
    await expect(cache.getOrScan(key, 60_000, scan)).resolves.toEqual({ record: expect.objectContaining({ tags: ["v1"] }), fresh: false });
    expect(await cache.get(key)).toMatchObject({ tags: ["v1"] });
    expect(scans).toBe(1);
  });

  it("expires after the TTL", async () => {
    const cache = make();
    const key = `k-${randomUUID()}`;
    let scans = 0;
    const scan = async () => record([`v${++scans}`]);
    await cache.getOrScan(key, 40, scan);
    await new Promise((r) => setTimeout(r, 80));
    expect(await cache.get(key)).toBeNull();
    await expect(cache.getOrScan(key, 40, scan)).resolves.toMatchObject({ fresh: true, record: { tags: ["v2"] } });
  });

  it("single-flight: concurrent callers wait for one scan", async () => {
    const cache = make();
    const key = `k-${randomUUID()}`;
    let scans = 0;
    const scan = async () => {
      scans++;
      await new Promise((r) => setTimeout(r, 50));
      return record(["one"]);
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.getOrScan(key, 60_000, scan)));
    expect(scans).toBe(1);
    expect(results.filter((r) => r.fresh)).toHaveLength(1);
    expect(results.every((r) => r.record.tags[0] === "one")).toBe(true);
  });

  it("force rescans; failures are not cached", async () => {
    const cache = make();
    const key = `k-${randomUUID()}`;
    let scans = 0;
    await cache.getOrScan(key, 60_000, async () => record([`v${++scans}`]));
    await expect(cache.getOrScan(key, 60_000, async () => record([`v${++scans}`]), { force: true })).resolves.toMatchObject({
      fresh: true,
      record: { tags: ["v2"] },
    });
    const other = `k-${randomUUID()}`;
    await expect(cache.getOrScan(other, 60_000, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(cache.getOrScan(other, 60_000, async () => record(["ok"]))).resolves.toMatchObject({ fresh: true });
  });

  it("keeps credential identities apart", async () => {
    const cache = make();
    const image = `ghcr.io/org/${randomUUID()}`;
    const ka = scanCacheKey(image, credentialIdentity({ username: "a", password: "1" }));
    const kb = scanCacheKey(image, credentialIdentity({ username: "b", password: "2" }));
    await cache.getOrScan(ka, 60_000, async () => record(["private-a"]));
    await expect(cache.getOrScan(kb, 60_000, async () => record(["private-b"]))).resolves.toMatchObject({ fresh: true, record: { tags: ["private-b"] } });
    expect(await cache.get(scanCacheKey(image, "anon"))).toBeNull();
  });
});

describe("RedisScanCache across workers", () => {
  it("two workers (separate clients) make one scan", async () => {
    const w1 = redisCache();
    const w2 = redisCache();
    const key = `k-${randomUUID()}`;
    let scans = 0;
    const scan = async () => {
      scans++;
      await new Promise((r) => setTimeout(r, 100));
      return record(["shared"]);
    };
    const [a, b] = await Promise.all([w1.getOrScan(key, 60_000, scan), w2.getOrScan(key, 60_000, scan)]);
    expect(scans).toBe(1);
    expect([a.fresh, b.fresh].sort()).toEqual([false, true]);
    expect(b.record.tags).toEqual(["shared"]);
  });

  it("stores under the prefix with a TTL equal to the interval", async () => {
    const cache = redisCache();
    const key = `k-${randomUUID()}`;
    await cache.getOrScan(key, 5000, async () => record(["a"]));
    const ttl = await clients[0]!.pttl(`${prefix}scan:${key}`);
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(5000);
    expect(await clients[0]!.exists(`${prefix}lock:${key}`)).toBe(0);
  });
});
