/**
 * What a function call costs in execution steps, beyond the one step every
 * node costs. A step is about a microsecond of ordinary work; these functions
 * take milliseconds to seconds each (measured on a 2-core machine: RSA-4096
 * genPrivateKey ≈ 1.4 s, derivePassword's scrypt ≈ 0.24 s, bcrypt at cost 10
 * ≈ 80 ms, a fresh certificate with an RSA-2048 key ≈ 0.3 s, a regexp
 * compiled near re2js's program limit ≈ 1 s), so counting them as one step
 * would let `{{range until 1000000}}{{genPrivateKey "rsa"}}{{end}}` run for days
 * within the step limit. Weighted, a template of the default 2,000,000 steps
 * can afford about five keys, eight derived passwords, twenty bcrypt hashes
 * or a hundred distinct regexps (a regexp costs its weight only when
 * compiled: compiled patterns are cached); the server's renderer adds a
 * wall-clock deadline and a memory limit on top (TEMPLATE_TIMEOUT_MS,
 * TEMPLATE_MAX_MEMORY_MB).
 */
import { isCompiled } from "../sprig/regex-cache.js";

const KEYGEN = 400_000;
const SIGN = 20_000;

const WEIGHTS: Record<string, number> = {
  genPrivateKey: KEYGEN,
  genCA: KEYGEN,
  genSelfSignedCert: KEYGEN,
  genSignedCert: KEYGEN,
  genCAWithKey: SIGN,
  genSelfSignedCertWithKey: SIGN,
  genSignedCertWithKey: SIGN,
  buildCustomCert: 5_000,
  derivePassword: 250_000,
  bcrypt: 100_000,
  htpasswd: 100_000,
};

/** Steps charged for compiling a regexp that is not in the cache. */
export const REGEX_COMPILE_WEIGHT = 20_000;

/** Extra steps for calling `name` with `args` (0 for ordinary functions). */
export function callWeight(name: string, args: readonly unknown[]): number {
  const w = WEIGHTS[name];
  if (w !== undefined) return w;
  if (/^(must)?[rR]egex/.test(name) && name !== "regexQuoteMeta" && typeof args[0] === "string") return isCompiled(args[0]) ? 0 : REGEX_COMPILE_WEIGHT;
  return 0;
}
