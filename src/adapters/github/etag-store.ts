/**
 * Where conditional-request validators live: the ETag GitHub sent and the value we derived from that response.
 * A 304 answer means the stored value is still current (and does not count against the rate limit:
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate).
 */
import { LruCache } from "./lru-cache.js";

export interface EtagEntry {
  etag: string;
  /** JSON-serialisable value derived from the 200 response. */
  value: unknown;
}

export interface EtagStore {
  get(key: string): Promise<EtagEntry | undefined>;
  set(key: string, entry: EtagEntry): Promise<void>;
  delete(key: string): Promise<void>;
}

/** In-process store, bounded by entry count. */
export function createMemoryEtagStore(maxEntries = 10_000): EtagStore {
  const lru = new LruCache<EtagEntry>(maxEntries);
  return {
    get: async (key) => lru.get(key),
    set: async (key, entry) => lru.set(key, entry),
    delete: async (key) => lru.delete(key),
  };
}
