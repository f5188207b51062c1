/** sprig v3's hermetic text function map (HermeticTxtFuncMap). */
import type { FuncMap } from "../exec.js";
import type { GoValue } from "../value.js";
import { GoInt } from "../value.js";
import { A, fail, fn, I, S } from "./helpers.js";
import { listFuncs } from "./lists.js";
import { miscFuncs } from "./misc.js";
import { stringFuncs } from "./strings.js";

/** Go time.Duration.String() for a number of nanoseconds. */
export function durationString(ns: bigint): string {
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    const units: Array<[bigint, string]> = [[1_000_000n, "ms"], [1_000n, "µs"], [1n, "ns"]];
    const [div, unit] = units.find(([d]) => u >= d)!;
    out = fraction(u, div) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    out = fraction(u, 1_000_000_000n) + "s";
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return (neg ? "-" : "") + out;
}
function fraction(v: bigint, div: bigint): string {
  const whole = v / div;
  let frac = (v % div).toString().padStart(div.toString().length - 1, "0").replace(/0+$/, "");
  if (div === 1n) frac = "";
  return frac ? `${whole}.${frac}` : `${whole}`;
}

const unsupported = (name: string, params: typeof A[]) =>
  fn(params, S, () => fail(`${name} is not supported by this implementation`), { err: true });

function timeFuncs(): FuncMap {
  return {
    duration: fn([A], S, (v: GoValue) => {
      let n = 0n;
      if (typeof v === "string") n = /^[+-]?\d+$/.test(v) ? BigInt(v) : 0n;
      else if (v instanceof GoInt && v.type.name === "int64") n = v.v;
      return durationString(BigInt.asIntN(64, n * 1_000_000_000n));
    }),
    ago: unsupported("ago", [A]),
    durationRound: unsupported("durationRound", [A]),
    toDate: unsupported("toDate", [S, S]),
    mustToDate: unsupported("mustToDate", [S, S]),
    unixEpoch: unsupported("unixEpoch", [A]),
    must_date_modify: unsupported("must_date_modify", [S, A]),
    mustDateModify: unsupported("mustDateModify", [S, A]),
    bcrypt: unsupported("bcrypt", [S]),
    htpasswd: unsupported("htpasswd", [S, S]),
    genPrivateKey: unsupported("genPrivateKey", [S]),
    derivePassword: unsupported("derivePassword", [A, S, S, S, S]),
    buildCustomCert: unsupported("buildCustomCert", [S, S]),
    genCA: unsupported("genCA", [S, I]),
    genCAWithKey: unsupported("genCAWithKey", [S, I, S]),
    genSelfSignedCert: unsupported("genSelfSignedCert", [S, A, A, I]),
    genSelfSignedCertWithKey: unsupported("genSelfSignedCertWithKey", [S, A, A, I, S]),
    genSignedCert: unsupported("genSignedCert", [S, A, A, I, A]),
    genSignedCertWithKey: unsupported("genSignedCertWithKey", [S, A, A, I, A, S]),
    encryptAES: unsupported("encryptAES", [S, S]),
    decryptAES: unsupported("decryptAES", [S, S]),
  };
}

let cached: FuncMap | undefined;

/** The function map Flux installs: sprig.HermeticTxtFuncMap(). */
export function hermeticFuncMap(): FuncMap {
  cached ??= { ...stringFuncs(), ...listFuncs(), ...miscFuncs(), ...timeFuncs() };
  return cached;
}
