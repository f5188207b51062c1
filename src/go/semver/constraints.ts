/**
 * Masterminds/semver v3.5.0 `NewConstraint` and
 * `Constraints.Check/Validate/String`.
 *
 * v3.5 kept the grammar of the v3.3/v3.4 regex parser (its later hand-written
 * scanner is differentially fuzzed against those regexes) and added:
 * - constraint strings over `MaxConstraintLen` (512 bytes) are refused before
 *   anything else: `constraint string is too long (max 512 bytes)`;
 * - after the hyphen-range rewrite, more than `MaxConstraintGroups` (32) `||`
 *   groups are refused: `too many constraint groups (max 32)`;
 * - `improper constraint: %q`, the offending group Go-quoted (QUOTE_IMPROPER;
 *   off in legacy mode, which reproduces Debian's 3.2.0);
 * - the version a constraint carries goes through NewVersion and so its
 *   256-byte limit (a longer one gives `constraint parser error`).
 *
 * The parsing regexes are Go RE2 expressions with leftmost-first alternation
 * and nested repetitions; they run on re2js so that matching is exactly Go's
 * and linear-time (a JS backtracking engine could blow up on hostile ranges).
 * Parsing happens once per policy; checking is plain code.
 */
import { RE2JS } from "re2js";
import { CHECKS, type Constraint } from "./constraint-ops.js";
import { goLen, goQuote, newVersion, newVersionUnlimited, type Version } from "./version.js";

/** Masterminds v3.5 `MaxConstraintLen` (Go `len`, so UTF-8 bytes). */
export const MAX_CONSTRAINT_LEN = 512;
/** Masterminds v3.5 `MaxConstraintGroups`. */
export const MAX_CONSTRAINT_GROUPS = 32;
/**
 * v3.5.0 formats `improper constraint: %q` (Go-quoted group). It stays
 * unquoted (v3.4's `%s`) for now: sprig's semverCompare shares this parser and
 * the template differential fixture (Debian's Go + Masterminds v3.2) expects
 * the unquoted text; flip this once that case is listed in
 * test/differential/template/known-differences.json.
 */
const QUOTE_IMPROPER = true;

/** v3.5's constraint parse errors (the two limits are fixed sentinel texts). */
export const CONSTRAINT_ERRORS = {
  tooLong: `constraint string is too long (max ${MAX_CONSTRAINT_LEN} bytes)`,
  tooManyGroups: `too many constraint groups (max ${MAX_CONSTRAINT_GROUPS})`,
  parser: "constraint parser error",
  improper: (s: string): string => `improper constraint: ${QUOTE_IMPROPER ? goQuote(s) : s}`,
} as const;

export interface Constraints {
  check(v: Version): boolean;
  /** Masterminds Validate: whether it passes, else the reasons. */
  validate(v: Version): [boolean, string[]];
  /** Masterminds String(): groups joined by ` || `, constraints by a space. */
  toString(): string;
}

export interface ConstraintOptions {
  /**
   * Masterminds <= v3.2 behaviour: each constraint rejects prereleases on its
   * own unless it carries one, hyphen ranges are rewritten without a
   * trailing space, no length/group limits, unquoted `improper constraint`
   * and `constraint Parser Error`. Only for differential tests against
   * Debian's v3.2.0.
   */
  legacy?: boolean;
}

const CV =
  "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?" + "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?" + "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?";
const OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";

const constraintRegex = RE2JS.compile(`^\\s*(${OPS})\\s*(${CV})\\s*$`);
const constraintRangeRegex = RE2JS.compile(`\\s*(${CV})\\s+-\\s+(${CV})\\s*`);
const findConstraintRegex = RE2JS.compile(`(${OPS})\\s*(${CV})`);
const validConstraintRegex = RE2JS.compile(`^(\\s*(${OPS})\\s*(${CV})\\s*)((?:\\s+|,\\s*)(${OPS})\\s*(${CV})\\s*)*$`);

interface Re2Internal {
  findAll(s: string, n: number): string[] | null;
  findAllSubmatch(s: string, n: number): Array<Array<string | null>> | null;
  findSubmatch(s: string): Array<string | null> | null;
}
const inner = (r: RE2JS): Re2Internal => (r as unknown as { re2Input: Re2Internal }).re2Input;

function isX(s: string): boolean {
  return s === "x" || s === "X" || s === "*";
}

/** Hyphen ranges `A - B` become `>= A, <= B`, replacing the first occurrence of each match. */
function rewriteRange(s: string, legacy: boolean): string {
  const matches = inner(constraintRangeRegex).findAllSubmatch(s, -1);
  if (!matches) return s;
  let out = s;
  for (const m of matches) {
    const whole = m[0] ?? "";
    const t = `>= ${m[1] ?? ""}, <= ${m[11] ?? ""}${legacy ? "" : " "}`;
    const at = out.indexOf(whole);
    if (at >= 0) out = out.slice(0, at) + t + out.slice(at + whole.length);
  }
  return out;
}

function improper(s: string, legacy: boolean): Error {
  return new Error(legacy ? `improper constraint: ${s}` : CONSTRAINT_ERRORS.improper(s));
}

function parseConstraint(s: string, legacy: boolean): Constraint {
  const m = inner(constraintRegex).findSubmatch(s);
  if (!m) throw improper(s, legacy);
  const g = (i: number): string => m[i] ?? "";
  const orig = g(2);
  let ver = orig;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(g(3)) || g(3) === "") {
    ver = `0.0.0${g(6)}`;
    dirty = true;
  } else if (isX(g(4).replace(/^\./, "")) || g(4) === "") {
    minorDirty = true;
    dirty = true;
    ver = `${g(3)}.0.0${g(6)}`;
  } else if (isX(g(5).replace(/^\./, "")) || g(5) === "") {
    dirty = true;
    patchDirty = true;
    ver = `${g(3)}${g(4)}.0${g(6)}`;
  }
  let con: Version;
  try {
    con = legacy ? newVersionUnlimited(ver) : newVersion(ver);
  } catch {
    throw new Error(legacy ? "constraint Parser Error" : CONSTRAINT_ERRORS.parser);
  }
  return { con, orig, op: g(1), dirty, minorDirty, patchDirty };
}

class ConstraintSet implements Constraints {
  constructor(
    private readonly groups: Constraint[][],
    private readonly groupHasPre: boolean[],
    private readonly legacy: boolean,
  ) {}

  private includePre(i: number, c: Constraint): boolean {
    return this.legacy ? c.con.prerelease !== "" : this.groupHasPre[i]!;
  }

  /** v3.2's `!=` only looked at prereleases for wildcard versions. */
  private checkPre(i: number, c: Constraint): boolean {
    return this.legacy && c.op === "!=" && !c.dirty ? true : this.includePre(i, c);
  }

  check(v: Version): boolean {
    for (let i = 0; i < this.groups.length; i++) {
      const group = this.groups[i]!;
      let joy = true;
      for (const c of group) {
        if (CHECKS[c.op]!(v, c, this.checkPre(i, c)) !== null) {
          joy = false;
          break;
        }
      }
      if (joy) return true;
    }
    return false;
  }

  validate(v: Version): [boolean, string[]] {
    const errs: string[] = [];
    let preReported = false;
    for (let i = 0; i < this.groups.length; i++) {
      let joy = true;
      for (const c of this.groups[i]!) {
        if (!this.includePre(i, c) && v.prerelease !== "") {
          if (!preReported) {
            errs.push(`${v.toString()} is a prerelease version and the constraint is only looking for release versions`);
            preReported = true;
          }
          joy = false;
        } else {
          const err = CHECKS[c.op]!(v, c, this.checkPre(i, c));
          if (err !== null) {
            errs.push(err);
            joy = false;
          }
        }
      }
      if (joy) return [true, []];
    }
    return [false, errs];
  }

  toString(): string {
    return this.groups.map((g) => g.map((c) => c.op + c.orig).join(" ")).join(" || ");
  }
}

/**
 * Masterminds NewConstraint. Throws an Error with Masterminds' message (see
 * CONSTRAINT_ERRORS: too long, too many groups, `improper constraint: "<group>"`,
 * `constraint parser error`).
 */
export function newConstraint(s: string, opts: ConstraintOptions = {}): Constraints {
  const legacy = opts.legacy === true;
  if (!legacy && goLen(s) > MAX_CONSTRAINT_LEN) throw new Error(CONSTRAINT_ERRORS.tooLong);
  const rewritten = rewriteRange(s, legacy);
  const parts = rewritten.split("||");
  if (!legacy && parts.length > MAX_CONSTRAINT_GROUPS) throw new Error(CONSTRAINT_ERRORS.tooManyGroups);
  const groups: Constraint[][] = [];
  const hasPre: boolean[] = [];
  for (const part of parts) {
    if (!validConstraintRegex.test(part)) throw improper(part, legacy);
    const found = inner(findConstraintRegex).findAll(part, -1) ?? [part];
    const group = found.map((c) => parseConstraint(c, legacy));
    groups.push(group);
    hasPre.push(group.some((c) => c.con.prerelease !== ""));
  }
  return new ConstraintSet(groups, hasPre, legacy);
}
