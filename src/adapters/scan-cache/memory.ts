import type { ScanCache, ScanRecord } from "../../app/ports/index.js";
/** In-process scan cache for the CLI: a Map with expiry and single-flight. */

export class MemoryScanCache implements ScanCache {
  private readonly entries = new Map<string, { record: ScanRecord; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<ScanRecord>>();
  private readonly now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
  }

  async get(key: string): Promise<ScanRecord | null> {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return e.record;
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
    const p = (async () => {
      const record = await scan();
      this.entries.set(key, { record, expiresAt: this.now() + ttlMs });
      return record;
    })();
    this.inflight.set(key, p);
    try {
      return { record: await p, fresh: true };
    } finally {
      this.inflight.delete(key);
    }
  }
}
