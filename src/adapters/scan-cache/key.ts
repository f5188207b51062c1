/** Cache keys and the record type shared by the scan cache implementations. */

export interface ScanRecord {
  tags: string[];
  /** ISO time of the scan. */
  scannedAt: string;
  droppedInvalid: number;
  truncated: boolean;
}

export interface ScanCache {
  /** The cached record, or null when absent or expired. */
  get(key: string): Promise<ScanRecord | null>;
  /**
   * The cached record when fresh; otherwise runs `scan` once for all concurrent
   * callers of the same key (single-flight) and caches the result for `ttlMs`.
   * `force` skips a cached value but still joins a scan already in progress.
   * A failed scan is not cached; every waiter receives its error or scans again.
   */
  getOrScan(key: string, ttlMs: number, scan: () => Promise<ScanRecord>, opts?: { force?: boolean }): Promise<{ record: ScanRecord; fresh: boolean }>;
}

/**
 * `<credential identity>/<canonical image>`. Public images scanned anonymously
 * share one entry across repositories and installations; credentialed scans
 * are keyed by a hash of the credential, so results never cross credentials.
 */
export function scanCacheKey(canonicalImage: string, credentialIdentity: string): string {
  return `${credentialIdentity}/${canonicalImage}`;
}
