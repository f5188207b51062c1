/** time.Duration: ParseDuration, String, Round, and Time arithmetic in nanoseconds. */
import type { GoTime } from "./calendar.js";
import { BAD, fromBytes, goTimeQuote, leadingInt, toBytes } from "./layout.js";
import { TimeParseError } from "./parse.js";

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n,
  "\u03bcs": 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** time.ParseDuration; throws TimeParseError with Go's message. */
export function parseDuration(orig: string): bigint {
  const q = goTimeQuote(toBytes(orig));
  const invalid = (): never => {
    throw new TimeParseError(fromBytes(`time: invalid duration ${q}`));
  };
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") invalid();
  while (s !== "") {
    let f = 0n;
    let scale = 1;
    if (!(s[0] === "." || (s[0]! >= "0" && s[0]! <= "9"))) invalid();
    const pl = s.length;
    const li = leadingInt(s);
    if (li === BAD) return invalid();
    let v = li[0];
    s = li[1];
    const pre = pl !== s.length;
    let post = false;
    if (s[0] === ".") {
      s = s.slice(1);
      const pl2 = s.length;
      let i = 0;
      let overflow = false;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 48 || c > 57) break;
        if (overflow) continue;
        if (f > ((1n << 63n) - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c - 48);
        if (y > 1n << 63n) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s = s.slice(i);
      post = pl2 !== s.length;
    }
    if (!pre && !post) invalid();
    let i = 0;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === "." || (c >= "0" && c <= "9")) break;
    }
    if (i === 0) throw new TimeParseError(fromBytes(`time: missing unit in duration ${q}`));
    const u = s.slice(0, i);
    s = s.slice(i);
    const unit = Object.hasOwn(UNITS, u) ? UNITS[u]! : undefined;
    if (unit === undefined) throw new TimeParseError(`time: unknown unit ${fromBytes(goTimeQuote(toBytes(u)))} in duration ${fromBytes(q)}`);
    if (v > (1n << 63n) / unit) invalid();
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > 1n << 63n) invalid();
    }
    d += v;
    if (d > 1n << 63n) invalid();
  }
  if (neg) return BigInt.asIntN(64, -d);
  if (d > (1n << 63n) - 1n) invalid();
  return d;
}

/** Go time.Duration.String() for a number of nanoseconds. */
export function durationString(ns: bigint): string {
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    const units: Array<[bigint, string]> = [
      [1_000_000n, "ms"],
      [1_000n, "µs"],
      [1n, "ns"],
    ];
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
  let frac = (v % div)
    .toString()
    .padStart(div.toString().length - 1, "0")
    .replace(/0+$/, "");
  if (div === 1n) frac = "";
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** Nanoseconds between two times (t - u), saturating like Go's Time.Sub. */
export function subTimes(t: GoTime, u: GoTime): bigint {
  const d = (BigInt(t.sec) - BigInt(u.sec)) * 1_000_000_000n + BigInt(t.nsec - u.nsec);
  const max = (1n << 63n) - 1n;
  if (d > max) return max;
  if (d < -(1n << 63n)) return -(1n << 63n);
  return d;
}

/** t.Add(d) */
export function addDuration(t: GoTime, d: bigint): GoTime {
  const total = BigInt(t.nsec) + d;
  let s = total / 1_000_000_000n;
  let n = total % 1_000_000_000n;
  if (n < 0n) {
    n += 1_000_000_000n;
    s -= 1n;
  }
  return { sec: t.sec + Number(s), nsec: Number(n), loc: t.loc };
}

/** Duration.Round(m) for m > 0. */
export function roundDuration(d: bigint, m: bigint): bigint {
  let r = d % m;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    const d1 = d - m + r;
    if (d1 < d) return d1;
    return -(1n << 63n);
  }
  if (r + r < m) return d - r;
  const d1 = d + m - r;
  if (d1 > d && d1 <= (1n << 63n) - 1n) return d1;
  return (1n << 63n) - 1n;
}
