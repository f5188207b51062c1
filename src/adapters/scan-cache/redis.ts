/**
 * Redis scan cache for the server. Values live under `<prefix>scan:<key>` with
 * a TTL equal to the scan interval. Single-flight across workers uses a short
 * lock key (`SET <prefix>lock:<key> <token> NX PX lockTtlMs`): the holder scans
 * and writes, renewing the lock every third of its TTL while the scan runs (a
 * scan may take up to REGISTRY_SCAN_TIMEOUT_SECONDS, longer than the lock, and
 * must not let a second worker start the same scan); everyone else polls until
 * the value appears or the lock goes away (its holder died).
 * Within one process, concurrent callers also share one promise.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { AppError } from "../../core/errors.js";
import type { ScanCache, ScanRecord } from "../../app/ports/index.js";

/** Extends the lock only if we still own it. */
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/** Deletes the lock only if we still own it. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface RedisScanCacheOptions {
  /** Default `fib:`. */
  prefix?: string;
  /** How long a scan may hold the lock before another worker may take over. Default 60 s. */
  lockTtlMs?: number;
  /** Poll interval while waiting for another worker's scan. Default 50 ms. */
  pollMs?: number;
  now?: () => number;
}

function parseRecord(text: string | null): ScanRecord | null {
  if (!text) return null;
  try {
    const o = JSON.parse(text) as ScanRecord;
    return Array.isArray(o.tags) && typeof o.scannedAt === "string" ? o : null;
  } catch {
    return null;
  }
}

export class RedisScanCache implements ScanCache {
  private readonly prefix: string;
  private readonly lockTtlMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly inflight = new Map<string, Promise<ScanRecord>>();

  constructor(
    private readonly redis: Redis,
    opts: RedisScanCacheOptions = {},
  ) {
    this.prefix = opts.prefix ?? "fib:";
    this.lockTtlMs = opts.lockTtlMs ?? 60_000;
    this.pollMs = opts.pollMs ?? 50;
    this.now = opts.now ?? Date.now;
  }

  private valueKey(key: string): string {
    return `${this.prefix}scan:${key}`;
  }

  private lockKey(key: string): string {
    return `${this.prefix}lock:${key}`;
  }

  async get(key: string): Promise<ScanRecord | null> {
    try {
      return parseRecord(await this.redis.get(this.valueKey(key)));
    } catch (e) {
      throw new AppError("cache.unavailable", "cache.unavailable: cannot read the scan cache in Redis; check REDIS_URL", { retryable: true, cause: e });
    }
  }

  async getOrScan(
    key: string,
    ttlMs: number,
    scan: () => Promise<ScanRecord>,
    opts: { force?: boolean } = {},
  ): Promise<{ record: ScanRecord; fresh: boolean }> {
    if (!opts.force) {
      const cached = await this.get(key);
      if (cached) return { record: cached, fresh: false };
    }
    const running = this.inflight.get(key);
    if (running) return { record: await running, fresh: false };
    let fresh = false;
    const p = this.acquireOrWait(key, ttlMs, scan, opts.force ?? false, () => (fresh = true));
    this.inflight.set(key, p);
    try {
      const record = await p;
      return { record, fresh };
    } finally {
      this.inflight.delete(key);
    }
  }

  private async acquireOrWait(key: string, ttlMs: number, scan: () => Promise<ScanRecord>, force: boolean, markFresh: () => void): Promise<ScanRecord> {
    const token = randomUUID();
    const lockKey = this.lockKey(key);
    const started = this.now();
    for (;;) {
      const got = await this.redis.set(lockKey, token, "PX", this.lockTtlMs, "NX");
      if (got === "OK") {
        try {
          if (!force) {
            // another worker may have finished between our read and our lock
            const cached = await this.get(key);
            if (cached) return cached;
          }
          const renew = setInterval(
            () => void this.redis.eval(RENEW, 1, lockKey, token, String(this.lockTtlMs)).catch(() => undefined),
            Math.max(10, Math.floor(this.lockTtlMs / 3)),
          );
          let record: ScanRecord;
          try {
            record = await scan();
          } finally {
            clearInterval(renew);
          }
          markFresh();
          await this.redis.set(this.valueKey(key), JSON.stringify(record), "PX", Math.max(1, Math.round(ttlMs)));
          return record;
        } finally {
          await this.redis.eval(RELEASE, 1, lockKey, token).catch(() => undefined);
        }
      }
      // someone else is scanning: wait for its value or for the lock to go away
      const waitUntil = this.now() + this.lockTtlMs + this.pollMs;
      while (this.now() < waitUntil) {
        await new Promise((r) => setTimeout(r, this.pollMs));
        const [value, lock] = await Promise.all([this.redis.get(this.valueKey(key)), this.redis.exists(lockKey)]);
        const record = parseRecord(value);
        if (record && (!force || Date.parse(record.scannedAt) >= started - 1000 || lock === 0)) return record;
        if (lock === 0) break;
      }
    }
  }
}
