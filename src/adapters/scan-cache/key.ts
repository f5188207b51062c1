/** Cache keys shared by the scan cache implementations (the ScanCache port is in src/app/ports/registry.ts). */

/**
 * `<credential identity>/<canonical image>`. Public images scanned anonymously
 * share one entry across repositories and installations; credentialed scans
 * are keyed by a hash of the credential, so results never cross credentials.
 */
export function scanCacheKey(canonicalImage: string, credentialIdentity: string): string {
  return `${credentialIdentity}/${canonicalImage}`;
}
