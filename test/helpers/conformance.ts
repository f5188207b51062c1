/**
 * Where Flux's conformance data is: FLUX_CONFORMANCE_DIR, else the shared
 * copy beside the checkout (../shared/conformance, the source of truth),
 * else the copy kept in test/fixtures/conformance so that a clone alone
 * passes `npm test` (test/conformance/vendored-copy.test.ts keeps the two equal).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export const SHARED_CONFORMANCE = resolve(process.cwd(), "../shared/conformance");
export const VENDORED_CONFORMANCE = resolve(process.cwd(), "test/fixtures/conformance");

export function conformanceDir(): string {
  if (process.env.FLUX_CONFORMANCE_DIR) return resolve(process.env.FLUX_CONFORMANCE_DIR);
  return existsSync(SHARED_CONFORMANCE) ? SHARED_CONFORMANCE : VENDORED_CONFORMANCE;
}
