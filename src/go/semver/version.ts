/**
 * Semantic versions with the parsing and ordering rules of
 * github.com/Masterminds/semver v3.5.0 (the library Flux pins), written from
 * its behaviour: `version.go` (NewVersion in the default "coerce" mode,
 * StrictNewVersion, Compare, prerelease validation).
 *
 * v3.5.0 refuses version strings longer than `MaxVersionLen` (256 bytes)
 * before parsing them (NewVersion; StrictNewVersion after its empty check).
 *
 * Numbers are unsigned 64-bit in Go. They are kept as JS numbers while they are
 * exact (<= 2^53-1) and as bigints above that; `<`/`>` compare both kinds
 * exactly, so callers never need to care.
 */

import { goQuote as goStrconvQuote } from "../strconv/quote.js";

export type Segment = number | bigint;

/** Masterminds v3.5 `MaxVersionLen`: longer version strings are refused (Go `len`, so UTF-8 bytes). */
export const MAX_VERSION_LEN = 256;

/** Masterminds' error texts (the `Err*` values of version.go). */
export const SEMVER_ERRORS = {
  invalidSemVer: "invalid semantic version",
  emptyString: "version string empty",
  invalidCharacters: "invalid characters in version",
  segmentStartsZero: "version segment starts with 0",
  invalidMetadata: "invalid metadata string",
  invalidPrerelease: "invalid prerelease string",
  /** v3.5 `ErrVersionTooLong`. */
  versionTooLong: `version string is too long (max ${MAX_VERSION_LEN} bytes)`,
} as const;

const utf8 = new TextEncoder();
/** Go's len(s) for a string: its UTF-8 byte count. */
export function goLen(s: string): number {
  return /^[\x00-\x7f]*$/.test(s) ? s.length : utf8.encode(s).length;
}

const MAX_UINT64 = 18446744073709551615n;

/** Anchored form of Masterminds' loose version regex (only ASCII classes, unambiguous, so JS RegExp matches like Go). */
const LOOSE_VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

const ALLOWED_IDENT = /^[0-9A-Za-z-]*$/;
const DIGITS_ONLY = /^[0-9]*$/;

/** Go strconv.ParseUint(s, 10, 64), throwing Go's error text. */
export function parseUint64(s: string): Segment {
  if (s.length === 0 || !DIGITS_ONLY.test(s)) {
    throw new Error(`strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax`);
  }
  if (s.length < 16) return Number(s);
  const big = BigInt(s);
  if (big > MAX_UINT64) throw new Error(`strconv.ParseUint: parsing ${goQuote(s)}: value out of range`);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** Go's %q (strconv.Quote). */
export function goQuote(s: string): string {
  return goStrconvQuote(s);
}

export class Version {
  readonly original: string;
  readonly prerelease: string;
  readonly metadata: string;
  private readonly maj: Segment;
  private readonly min: Segment;
  private readonly pat: Segment;

  constructor(major: Segment, minor: Segment, patch: Segment, prerelease: string, metadata: string, original?: string) {
    this.maj = major;
    this.min = minor;
    this.pat = patch;
    this.prerelease = prerelease;
    this.metadata = metadata;
    this.original = original ?? this.toString();
  }

  major(): Segment {
    return this.maj;
  }
  minor(): Segment {
    return this.min;
  }
  patch(): Segment {
    return this.pat;
  }

  /** Masterminds String(): X.Y.Z[-pre][+meta], without any `v`. */
  toString(): string {
    let s = `${this.maj}.${this.min}.${this.pat}`;
    if (this.prerelease !== "") s += `-${this.prerelease}`;
    if (this.metadata !== "") s += `+${this.metadata}`;
    return s;
  }

  /** Masterminds Compare: X.Y.Z, then prerelease precedence; metadata ignored. */
  compare(o: Version): -1 | 0 | 1 {
    const d = compareSegment(this.maj, o.maj) || compareSegment(this.min, o.min) || compareSegment(this.pat, o.pat);
    if (d !== 0) return d;
    const ps = this.prerelease;
    const po = o.prerelease;
    if (ps === "" && po === "") return 0;
    if (ps === "") return 1;
    if (po === "") return -1;
    return comparePrerelease(ps, po);
  }

  lessThan(o: Version): boolean {
    return this.compare(o) < 0;
  }
  greaterThan(o: Version): boolean {
    return this.compare(o) > 0;
  }
  equal(o: Version): boolean {
    return this.compare(o) === 0;
  }
}

export function compareSegment(a: Segment, b: Segment): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Masterminds comparePrerelease: dot-separated parts, a missing part sorts lower. */
export function comparePrerelease(v: string, o: string): -1 | 0 | 1 {
  const sparts = v.split(".");
  const oparts = o.split(".");
  const l = Math.max(sparts.length, oparts.length);
  for (let i = 0; i < l; i++) {
    const d = comparePrePart(sparts[i] ?? "", oparts[i] ?? "");
    if (d !== 0) return d;
  }
  return 0;
}

/** True when Go's ParseUint(s, 10, 64) would succeed. */
function isUint64(s: string): boolean {
  if (s.length === 0 || !DIGITS_ONLY.test(s)) return false;
  return s.length < 20 || BigInt(s) <= MAX_UINT64;
}

function comparePrePart(s: string, o: string): -1 | 0 | 1 {
  if (s === o) return 0;
  if (s === "") return -1;
  if (o === "") return 1;
  const oNum = isUint64(o);
  const sNum = isUint64(s);
  if (!oNum && !sNum) return s > o ? 1 : -1;
  if (!oNum) return -1; // s is a number, o a string
  if (!sNum) return 1;
  // Both numeric. Like Go, numerically equal but differently written parts give -1.
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

export function validatePrerelease(p: string): void {
  for (const part of p.split(".")) {
    if (part === "") throw new Error(SEMVER_ERRORS.invalidPrerelease);
    if (DIGITS_ONLY.test(part)) {
      if (part.length > 1 && part[0] === "0") throw new Error(SEMVER_ERRORS.segmentStartsZero);
    } else if (!ALLOWED_IDENT.test(part)) {
      throw new Error(SEMVER_ERRORS.invalidPrerelease);
    }
  }
}

export function validateMetadata(m: string): void {
  for (const part of m.split(".")) {
    if (part === "" || !ALLOWED_IDENT.test(part)) throw new Error(SEMVER_ERRORS.invalidMetadata);
  }
}

function segment(s: string): Segment {
  try {
    return parseUint64(s);
  } catch (e) {
    throw new Error(`error parsing version segment: ${(e as Error).message}`);
  }
}

/** Like newVersion but returns null instead of throwing (hot path for tag lists). */
export function tryNewVersion(v: string): Version | null {
  if (goLen(v) > MAX_VERSION_LEN) return null;
  const m = LOOSE_VERSION.exec(v);
  if (m === null) return null;
  try {
    return fromLooseMatch(v, m);
  } catch {
    return null;
  }
}

function fromLooseMatch(v: string, m: RegExpExecArray): Version {
  const major = segment(m[1]!);
  const minor = m[2] ? segment(m[2].slice(1)) : 0;
  const patch = m[3] ? segment(m[3].slice(1)) : 0;
  const pre = m[5] ?? "";
  const meta = m[8] ?? "";
  if (pre !== "") validatePrerelease(pre);
  if (meta !== "") validateMetadata(meta);
  return new Version(major, minor, patch, pre, meta, v);
}

/**
 * Masterminds NewVersion (coerce mode, the default): optional lower-case `v`,
 * 1 to 3 numeric parts (leading zeros allowed), optional prerelease/metadata.
 * Throws an Error carrying Masterminds' message.
 */
export function newVersion(v: string): Version {
  if (goLen(v) > MAX_VERSION_LEN) throw new Error(SEMVER_ERRORS.versionTooLong);
  return newVersionUnlimited(v);
}

/** NewVersion as it was before v3.5 (no length limit); for the v3.2 `legacy` constraint mode only. */
export function newVersionUnlimited(v: string): Version {
  const m = LOOSE_VERSION.exec(v);
  if (m === null) throw new Error(SEMVER_ERRORS.invalidSemVer);
  return fromLooseMatch(v, m);
}

/** Masterminds StrictNewVersion: exactly X.Y.Z, no `v`, no leading zeros. */
export function strictNewVersion(v: string): Version {
  if (v.length === 0) throw new Error(SEMVER_ERRORS.emptyString);
  if (goLen(v) > MAX_VERSION_LEN) throw new Error(SEMVER_ERRORS.versionTooLong);
  const first = v.indexOf(".");
  const second = first < 0 ? -1 : v.indexOf(".", first + 1);
  if (second < 0) throw new Error(SEMVER_ERRORS.invalidSemVer);
  const parts = [v.slice(0, first), v.slice(first + 1, second), v.slice(second + 1)];
  let meta = "";
  let pre = "";
  const plus = parts[2]!.indexOf("+");
  if (plus >= 0) {
    meta = parts[2]!.slice(plus + 1);
    parts[2] = parts[2]!.slice(0, plus);
    validateMetadata(meta);
  }
  const dash = parts[2]!.indexOf("-");
  if (dash >= 0) {
    pre = parts[2]!.slice(dash + 1);
    parts[2] = parts[2]!.slice(0, dash);
    validatePrerelease(pre);
  }
  for (const p of parts) {
    if (!DIGITS_ONLY.test(p)) throw new Error(SEMVER_ERRORS.invalidCharacters);
    if (p.length > 1 && p[0] === "0") throw new Error(SEMVER_ERRORS.segmentStartsZero);
  }
  return new Version(parseUint64(parts[0]!), parseUint64(parts[1]!), parseUint64(parts[2]!), pre, meta, v);
}
