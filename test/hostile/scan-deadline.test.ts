/**
 * Issue 12 item 6: a slow or hostile registry holds a worker slot for at
 * most REGISTRY_SCAN_TIMEOUT_SECONDS. `spec.timeout ?? spec.interval` is
 * capped (and never overflows setTimeout's 2^31 ms), waiting for a busy
 * host's slot ends at the scan's deadline, and the scan cache's lock is
 * renewed while a scan runs, so a second worker never starts the same scan.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { createRegistryClient } from "../../src/adapters/registry/index.js";
import { RedisScanCache } from "../../src/adapters/scan-cache/index.js";
import { ImageScanner } from "../../src/app/image-scanner.js";
import type { ImageRepository } from "../../src/core/types.js";
import { json, startFake, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import { ensureRedis, type TestRedis } from "../helpers/redis.js";
import type { ScanRecord } from "../../src/app/ports/index.js";

const imageRepo = (spec: Partial<ImageRepository["spec"]>): ImageRepository =>
  ({
    kind: "ImageRepository",
    namespace: "flux-system",
    name: "app",
    file: "r.yaml",
    line: 1,
    labels: {},
    spec: { image: "ghcr.io/org/app", interval: "5m", ...spec },
  }) as unknown as ImageRepository;

const scanner = (maxScanMs?: number) =>
  new ImageScanner({
    client: { listTags: async () => ({ tags: [], droppedInvalid: 0, truncated: false }), getDigest: async () => "sha256:0" },
    cache: { get: async () => null, getOrScan: async (_k, _t, scan) => ({ record: await scan(), fresh: true }) },
    minIntervalMs: 60_000,
    maxScanMs,
    cacheKey: (c, i) => `${i}/${c}`,
    identity: () => "anon",
  });

describe("the scan deadline", () => {
  it("caps spec.timeout and spec.interval at 5 minutes by default, or REGISTRY_SCAN_TIMEOUT_SECONDS", () => {
    expect(scanner().timeoutMs(imageRepo({ interval: "99999m" }))).toBe(300_000);
    expect(scanner().timeoutMs(imageRepo({ interval: "5m", timeout: "999999h" }))).toBe(300_000);
    expect(scanner().timeoutMs(imageRepo({ interval: "5m", timeout: "30s" }))).toBe(30_000);
    expect(scanner(60_000).timeoutMs(imageRepo({ interval: "1h" }))).toBe(60_000);
  });

  describe("against a slow registry", () => {
    let reg: FakeRegistry;
    let release: (() => void) | undefined;
    beforeAll(async () => {
      reg = await startFake(async (_req, res, url) => {
        if (url.pathname.startsWith("/v2/hang/")) await new Promise<void>((r) => (release = r));
        else await new Promise((r) => setTimeout(r, 300));
        json(res, 200, { name: "x", tags: ["v1"] });
      });
    });
    afterAll(async () => {
      release?.();
      await reg?.close();
    });

    it("does not abort at once when the timeout is past 2^31 ms (setTimeout overflow)", async () => {
      const client = createRegistryClient({ mode: "cli", retries: 0 });
      // 99999m: before, setTimeout overflowed, fired after 1 ms and the scan failed at once
      const r = await client.listTags(`${reg.host}/slow`, { insecure: true, timeoutMs: 99_999 * 60_000 });
      expect(r.tags).toEqual(["v1"]);
    });

    it("ends a wait for a busy host's slot at the scan's deadline", async () => {
      const client = createRegistryClient({ mode: "cli", retries: 0, maxConcurrentPerHost: 1 });
      const hanging = client.listTags(`${reg.host}/hang`, { insecure: true, timeoutMs: 60_000 }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      await expect(client.listTags(`${reg.host}/queued`, { insecure: true, timeoutMs: 1_000 })).rejects.toMatchObject({ code: "registry.timeout" });
      const waited = Date.now() - started;
      // the slot never came free; before, the job kept its worker slot until the hanging request ended
      expect(waited).toBeLessThan(5_000);
      process.stdout.write(`queued scan behind a hanging registry gave up after ${waited} ms (deadline 1000 ms)\n`);
      release?.();
      await hanging;
    });
  });
});

describe("a scan that ran into its deadline", () => {
  it("is not run again by the next reconcile before its interval (at most an hour), unless forced", async () => {
    let calls = 0;
    const timeout = Object.assign(new Error("scanning ghcr.io/org/app did not finish within the timeout"), { code: "registry.timeout" });
    const s = new ImageScanner({
      client: { listTags: async () => (calls++, await new Promise((r) => setTimeout(r, 300)), Promise.reject(timeout)), getDigest: async () => "sha256:0" },
      cache: { get: async () => null, getOrScan: async (_k, _t, scan) => ({ record: await scan(), fresh: true }) },
      minIntervalMs: 60_000,
      cacheKey: (c, i) => `${i}/${c}`,
      identity: () => "anon",
    });
    const first = await s.scan("acme", imageRepo({}));
    expect(first.outcome).toMatchObject({ ok: false, code: "registry.timeout" });
    const started = Date.now();
    // every other reconcile that watches the image gets the failure at once instead of waiting out the deadline again
    for (let i = 0; i < 5; i++) expect((await s.scan("acme", imageRepo({}))).outcome).toMatchObject({ ok: false, code: "registry.timeout" });
    expect(Date.now() - started).toBeLessThan(250);
    expect(calls).toBe(1);
    await s.scan("acme", imageRepo({}), true);
    expect(calls).toBe(2);
  });
});

describe("the scan cache lock while a scan runs", () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  const prefix = `fib-test-${randomUUID()}:`;
  beforeAll(async () => {
    redis = await ensureRedis();
  }, 30_000);
  afterAll(async () => {
    const keys = clients[0] ? await clients[0].keys(`${prefix}*`) : [];
    if (keys.length) await clients[0]!.del(...keys);
    await Promise.all(clients.map((c) => c.quit()));
    await redis?.stop();
  });
  const cache = () => {
    const c = redis.client();
    clients.push(c);
    return new RedisScanCache(c, { prefix, lockTtlMs: 300, pollMs: 20 });
  };

  it("is renewed, so a scan longer than the lock is not started twice by another worker", async () => {
    const [a, b] = [cache(), cache()];
    let scans = 0;
    const slow = async (): Promise<ScanRecord> => {
      scans++;
      await new Promise((r) => setTimeout(r, 1_500));
      return { tags: ["v1"], scannedAt: new Date().toISOString(), droppedInvalid: 0, truncated: false };
    };
    const first = a.getOrScan("img", 60_000, slow);
    await new Promise((r) => setTimeout(r, 50));
    const second = b.getOrScan("img", 60_000, slow);
    const [ra, rb] = await Promise.all([first, second]);
    expect(scans).toBe(1);
    // whichever worker took the lock first scanned; the other waited for its answer
    expect([ra.fresh, rb.fresh].filter(Boolean)).toHaveLength(1);
    expect([ra.record.tags, rb.record.tags]).toEqual([["v1"], ["v1"]]);
  });
});
