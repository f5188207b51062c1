/**
 * The single-constraint checks of Masterminds/semver v3 (`constraints.go`):
 * one function per operator, each returning null when the version passes or
 * Masterminds' failure message. `includePre` is decided per AND group by the
 * caller (v3.3+ rule: a group admits prereleases when any of its constraints
 * carries one).
 */
import { comparePrerelease, type Version } from "./version.js";

export interface Constraint {
  /** The version the constraint compares with (wildcards replaced by 0). */
  con: Version;
  /** The version text as written (e.g. `v1.2.x`). */
  orig: string;
  /** The operator as written (`""`, `=`, `!=`, `>`, `<`, `>=`, `=>`, `<=`, `=<`, `~`, `~>`, `^`). */
  op: string;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

export type CheckFn = (v: Version, c: Constraint, includePre: boolean) => string | null;

const preMsg = (v: Version): string => `${v.toString()} is a prerelease version and the constraint is only looking for release versions`;

const notEqual: CheckFn = (v, c, includePre) => {
  if (v.prerelease !== "" && !includePre) return preMsg(v);
  const eqMsg = `${v.toString()} is equal to ${c.orig}`;
  if (c.dirty) {
    if (c.con.major() !== v.major()) return null;
    if (c.con.minor() !== v.minor() && !c.minorDirty) return null;
    if (c.minorDirty) return eqMsg;
    if (c.con.patch() !== v.patch() && !c.patchDirty) return null;
    if (c.patchDirty) {
      if (v.prerelease !== "" || c.con.prerelease !== "") {
        return comparePrerelease(v.prerelease, c.con.prerelease) !== 0 ? null : eqMsg;
      }
      return eqMsg;
    }
  }
  return v.equal(c.con) ? eqMsg : null;
};

const greaterThan: CheckFn = (v, c, includePre) => {
  if (v.prerelease !== "" && !includePre) return preMsg(v);
  const fail = `${v.toString()} is less than or equal to ${c.orig}`;
  if (!c.dirty) return v.compare(c.con) === 1 ? null : fail;
  if (v.major() > c.con.major()) return null;
  if (v.major() < c.con.major()) return fail;
  if (c.minorDirty) return fail;
  if (c.patchDirty) return v.minor() > c.con.minor() ? null : fail;
  return v.compare(c.con) === 1 ? null : fail;
};

const lessThan: CheckFn = (v, c, includePre) => {
  if (v.prerelease !== "" && !includePre) return preMsg(v);
  return v.compare(c.con) < 0 ? null : `${v.toString()} is greater than or equal to ${c.orig}`;
};

const greaterThanEqual: CheckFn = (v, c, includePre) => {
  if (v.prerelease !== "" && !includePre) return preMsg(v);
  return v.compare(c.con) >= 0 ? null : `${v.toString()} is less than ${c.orig}`;
};

const lessThanEqual: CheckFn = (v, c, includePre) => {
  if (v.prerelease !== "" && !includePre) return preMsg(v);
  const fail = `${v.toString()} is greater than ${c.orig}`;
  if (!c.dirty) return v.compare(c.con) <= 0 ? null : fail;
  if (v.major() > c.con.major()) return fail;
  if (v.major() === c.con.major() && v.minor() > c.con.minor() && !c.minorDirty) return fail;
  return null;
};

const tilde: CheckFn = (v, c, includePre) => {
  if (v.prerelease !== "" && !includePre) return preMsg(v);
  if (v.lessThan(c.con)) return `${v.toString()} is less than ${c.orig}`;
  // ~0.0.0 (and ~*) accept everything.
  if (isZero(c.con) && !c.minorDirty && !c.patchDirty) return null;
  if (v.major() !== c.con.major()) return `${v.toString()} does not have same major version as ${c.orig}`;
  if (v.minor() !== c.con.minor() && !c.minorDirty) {
    return `${v.toString()} does not have same major and minor version as ${c.orig}`;
  }
  return null;
};

const tildeOrEqual: CheckFn = (v, c, includePre) => {
  if (v.prerelease !== "" && !includePre) return preMsg(v);
  if (c.dirty) return tilde(v, c, includePre);
  return v.equal(c.con) ? null : `${v.toString()} is not equal to ${c.orig}`;
};

const caret: CheckFn = (v, c, includePre) => {
  if (v.prerelease !== "" && !includePre) return preMsg(v);
  const vs = v.toString();
  if (v.lessThan(c.con)) return `${vs} is less than ${c.orig}`;
  const conMajor = c.con.major();
  if (conMajor > 0 || c.minorDirty) {
    return v.major() === conMajor ? null : `${vs} does not have same major version as ${c.orig}`;
  }
  if (v.major() > 0) return `${vs} does not have same major version as ${c.orig}`;
  if (c.con.minor() > 0 || c.patchDirty) {
    return v.minor() === c.con.minor()
      ? null
      : `${vs} does not have same minor version as ${c.orig}. Expected minor versions to match when constraint major version is 0`;
  }
  if (v.minor() > 0) return `${vs} does not have same minor version as ${c.orig}`;
  return c.con.patch() === v.patch() ? null : `${vs} does not equal ${c.orig}. Expect version and constraint to equal when major and minor versions are 0`;
};

function isZero(v: Version): boolean {
  // Segments may be number or bigint; Number() of a bigint is 0 only for 0n.
  return Number(v.major()) === 0 && Number(v.minor()) === 0 && Number(v.patch()) === 0;
}

export const CHECKS: Readonly<Record<string, CheckFn>> = {
  "": tildeOrEqual,
  "=": tildeOrEqual,
  "!=": notEqual,
  ">": greaterThan,
  "<": lessThan,
  ">=": greaterThanEqual,
  "=>": greaterThanEqual,
  "<=": lessThanEqual,
  "=<": lessThanEqual,
  "~": tilde,
  "~>": tilde,
  "^": caret,
};
