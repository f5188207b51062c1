/** sprig semver and semverCompare, with *semver.Version values and their methods. */
import { type Constraints, newConstraint, newVersion, type Version } from "../semver/index.js";
import type { FuncMap } from "../template/exec.js";
import { GoInt, GoStruct, type GoType, type GoValue, T_UINT64 } from "../template/value.js";
import { B, fail, fn, goint, I, S } from "./helpers.js";

const T_VERSION: GoType = {
  kind: "ptr",
  name: "*semver.Version",
  named: false,
  stringer: (v) => parseVer(v).toString(),
};
function parseVer(v: GoStruct): Version {
  return newVersion(v.values[0] as string);
}
const verArg = (x: GoValue): Version => {
  if (!(x instanceof GoStruct) || x.type !== T_VERSION) return fail("wrong type for value; expected *semver.Version");
  return parseVer(x);
};
T_VERSION.methods = {
  Major: { params: [], result: T_UINT64, call: (r) => new GoInt(BigInt(parseVer(r as GoStruct).major()), T_UINT64) },
  Minor: { params: [], result: T_UINT64, call: (r) => new GoInt(BigInt(parseVer(r as GoStruct).minor()), T_UINT64) },
  Patch: { params: [], result: T_UINT64, call: (r) => new GoInt(BigInt(parseVer(r as GoStruct).patch()), T_UINT64) },
  Prerelease: { params: [], result: S, call: (r) => parseVer(r as GoStruct).prerelease },
  Metadata: { params: [], result: S, call: (r) => parseVer(r as GoStruct).metadata },
  Original: { params: [], result: S, call: (r) => parseVer(r as GoStruct).original },
  String: { params: [], result: S, call: (r) => parseVer(r as GoStruct).toString() },
  Compare: { params: [T_VERSION], result: I, call: (r, [o]) => goint(parseVer(r as GoStruct).compare(verArg(o!))) },
  LessThan: { params: [T_VERSION], result: B, call: (r, [o]) => parseVer(r as GoStruct).lessThan(verArg(o!)) },
  GreaterThan: { params: [T_VERSION], result: B, call: (r, [o]) => parseVer(r as GoStruct).greaterThan(verArg(o!)) },
  Equal: { params: [T_VERSION], result: B, call: (r, [o]) => parseVer(r as GoStruct).equal(verArg(o!)) },
};

function semverOf(s: string): GoValue {
  try {
    newVersion(s);
  } catch (e) {
    return fail((e as Error).message);
  }
  return new GoStruct(T_VERSION, [s]);
}
export function semverFuncs(): FuncMap {
  return {
    semver: fn([S], T_VERSION, (s) => semverOf(s as string), { err: true }),
    semverCompare: fn(
      [S, S],
      B,
      (c, v) => {
        let cs: Constraints;
        try {
          cs = newConstraint(c as string);
        } catch (e) {
          return fail((e as Error).message);
        }
        let ver: Version;
        try {
          ver = newVersion(v as string);
        } catch (e) {
          return fail((e as Error).message);
        }
        return cs.check(ver);
      },
      { err: true },
    ),
  };
}
