/**
 * Go `strconv.ParseFloat(s, 64)`: which strings it accepts and the float64 it
 * returns. Written from the behaviour of Go's strconv/atof.go (`special`,
 * `readFloat`, `underscoreOK`):
 *
 * - optional sign, then decimal digits with at most one `.` and an optional
 *   `e`/`E` exponent (`1.`, `.5`, `01`, `+5`, `1e3` are fine);
 * - hexadecimal `0x…` mantissas must have a `p`/`P` binary exponent;
 * - `_` only between digits or after a base prefix (`1_000`, `0x_1p4`);
 * - `inf`, `infinity` (any case, optional sign) and `nan` (any case, no sign);
 * - results that overflow float64 are errors (null); underflow gives 0.
 *
 * Returns null when Go would return an error.
 */

const lower = (c: string): string => c.toLowerCase();
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isHex = (c: string | undefined): boolean => c !== undefined && (isDigit(c) || (lower(c) >= "a" && lower(c) <= "f"));

function special(s: string): number | null {
  let body = s;
  let sign = 1;
  const signed = s[0] === "+" || s[0] === "-";
  if (signed) {
    if (s[0] === "-") sign = -1;
    body = s.slice(1);
  }
  const l = body.toLowerCase();
  if (l === "inf" || l === "infinity") return sign * Infinity;
  if (!signed && l === "nan") return NaN;
  return null;
}

export function underscoreOK(str: string): boolean {
  let s = str;
  let saw = "^";
  let i = 0;
  if (s.length >= 1 && (s[0] === "-" || s[0] === "+")) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "box".includes(lower(s[1]!))) {
    i = 2;
    saw = "0";
    hex = lower(s[1]!) === "x";
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (isDigit(c) || (hex && isHex(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

interface Scanned {
  hex: boolean;
  neg: boolean;
  /** Mantissa digits without point or underscores. */
  digits: string;
  /** Digits after the point. */
  fracDigits: number;
  exp: number;
}

/** Go readFloat: must consume the whole string. */
function scan(s: string): Scanned | null {
  let i = 0;
  let neg = false;
  let underscores = false;
  if (s[i] === "+") i++;
  else if (s[i] === "-") {
    neg = true;
    i++;
  }
  let hex = false;
  if (i + 2 < s.length && s[i] === "0" && lower(s[i + 1]!) === "x") {
    hex = true;
    i += 2;
  }
  let sawDot = false;
  let digits = "";
  let fracDigits = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === "_") {
      underscores = true;
      continue;
    }
    if (c === ".") {
      if (sawDot) break;
      sawDot = true;
      continue;
    }
    if (isDigit(c) || (hex && isHex(c))) {
      digits += c;
      if (sawDot) fracDigits++;
      continue;
    }
    break;
  }
  if (digits === "") return null;
  let exp = 0;
  if (i < s.length && lower(s[i]!) === (hex ? "p" : "e")) {
    i++;
    if (i >= s.length) return null;
    let esign = 1;
    if (s[i] === "+") i++;
    else if (s[i] === "-") {
      i++;
      esign = -1;
    }
    if (!isDigit(s[i])) return null;
    let e = 0;
    for (; i < s.length && (isDigit(s[i]) || s[i] === "_"); i++) {
      if (s[i] === "_") {
        underscores = true;
        continue;
      }
      if (e < 10000) e = e * 10 + (s.charCodeAt(i) - 48);
    }
    exp = e * esign;
  } else if (hex) {
    return null;
  }
  if (i !== s.length) return null;
  if (underscores && !underscoreOK(s)) return null;
  return { hex, neg, digits, fracDigits, exp };
}

/** Correctly rounded m * 2^e (round half to even), m >= 0. */
function scaleBinary(m: bigint, e: number): number {
  if (m === 0n) return 0;
  let mant = m;
  let exp = e;
  const roundShift = (shift: number): void => {
    if (shift <= 0) return;
    const big = BigInt(shift);
    const kept = mant >> big;
    const rem = mant - (kept << big);
    const half = 1n << (big - 1n);
    mant = rem > half || (rem === half && (kept & 1n) === 1n) ? kept + 1n : kept;
    exp += shift;
  };
  roundShift(mant.toString(2).length - 53);
  // Subnormal range: the last representable bit is 2^-1074.
  if (exp < -1074) roundShift(-1074 - exp);
  let x = Number(mant);
  // Apply the power of two in steps so that intermediates stay exact.
  while (exp > 0) {
    const step = Math.min(exp, 1000);
    x *= 2 ** step;
    exp -= step;
  }
  while (exp < 0) {
    const step = Math.max(exp, -1000);
    x *= 2 ** step;
    exp -= step;
  }
  return x;
}

export function parseGoFloat(s: string): number | null {
  if (s.length === 0) return null;
  const sp = special(s);
  if (sp !== null) return sp;
  const r = scan(s);
  if (r === null) return null;
  let value: number;
  if (r.hex) {
    value = scaleBinary(BigInt(`0x${r.digits}`), r.exp - 4 * r.fracDigits);
  } else {
    const int = r.digits.slice(0, r.digits.length - r.fracDigits) || "0";
    const frac = r.digits.slice(r.digits.length - r.fracDigits);
    value = Number(`${int}.${frac || "0"}e${r.exp}`);
  }
  if (!Number.isFinite(value)) return null;
  return r.neg ? -value : value;
}
