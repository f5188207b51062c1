/** Go's internal/fmtsort ordering of map keys. */
import { GoInt, type GoMap, GoStruct, type GoValue } from "./value.js";

export function compareKeys(a: GoValue, b: GoValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (a instanceof GoInt && b instanceof GoInt) return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if (a instanceof GoStruct && b instanceof GoStruct) {
    for (let i = 0; i < a.values.length; i++) {
      const c = compareKeys(a.values[i]!, b.values[i]!);
      if (c !== 0) return c;
    }
    return 0;
  }
  return 0;
}

/** Map entries in fmtsort order. */
export function sortedEntries(m: GoMap): Array<[GoValue, GoValue]> {
  return [...m.entries.values()].sort((x, y) => compareKeys(x[0], y[0]));
}
