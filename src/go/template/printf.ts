/** fmt.Sprintf: Go's doPrintf, including explicit argument indexes (`%[2]d`, `%[1]*[2]d`). */
import { type Flags, formatArg, newFlags } from "./fmt.js";
import { GoInt, type GoValue, isIntKind, isUintKind, typeName } from "./value.js";

const tooLarge = (x: number): boolean => x > 1e6 || x < -1e6;

/** Go's parsenum: digits of s[start:end]; on overflow it consumes everything (newi = end). */
function parsenum(s: string, start: number, end: number): { num: number; isnum: boolean; newi: number } {
  if (start >= end) return { num: 0, isnum: false, newi: end };
  let num = 0;
  let isnum = false;
  let newi = start;
  for (; newi < end && s[newi]! >= "0" && s[newi]! <= "9"; newi++) {
    if (tooLarge(num)) return { num: 0, isnum: false, newi: end };
    num = num * 10 + (s.charCodeAt(newi) - 48);
    isnum = true;
  }
  return { num, isnum, newi };
}

function parseArgNumber(format: string): { index: number; wid: number; ok: boolean } {
  if (format.length < 3) return { index: 0, wid: 1, ok: false };
  for (let i = 1; i < format.length; i++) {
    if (format[i] === "]") {
      const { num, isnum, newi } = parsenum(format, 1, i);
      if (!isnum || newi !== i) return { index: 0, wid: i + 1, ok: false };
      return { index: num - 1, wid: i + 1, ok: true };
    }
  }
  return { index: 0, wid: 1, ok: false };
}

function intFromArg(a: GoValue[], argNum: number): { num: number; isInt: boolean; newArgNum: number } {
  if (argNum >= a.length) return { num: 0, isInt: false, newArgNum: argNum };
  const v = a[argNum]!;
  let num = 0;
  let isInt = false;
  if (v instanceof GoInt && (isIntKind(v.type.kind) || isUintKind(v.type.kind))) {
    const n = BigInt.asIntN(64, v.v);
    if (isUintKind(v.type.kind) ? v.v >= 0n && v.v < 2n ** 63n : true) {
      num = Number(n);
      isInt = true;
    }
  }
  if (isInt && tooLarge(num)) {
    num = 0;
    isInt = false;
  }
  return { num, isInt, newArgNum: argNum + 1 };
}

/** fmt.Sprintf */
export function sprintf(format: string, a: GoValue[]): string {
  const end = format.length;
  let out = "";
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;
  const argNumber = (i: number): { i: number; found: boolean } => {
    if (i >= end || format[i] !== "[") return { i, found: false };
    reordered = true;
    const { index, wid, ok } = parseArgNumber(format.slice(i));
    if (ok && index >= 0 && index < a.length) {
      argNum = index;
      return { i: i + wid, found: true };
    }
    goodArgNum = false;
    return { i: i + wid, found: ok };
  };
  let i = 0;
  formatLoop: while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== "%") i++;
    if (i > lasti) out += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    const f: Flags = newFlags();
    simple: for (; i < end; i++) {
      const c = format[i]!;
      switch (c) {
        case "#":
          f.sharp = true;
          break;
        case "0":
          f.zero = !f.minus;
          break;
        case "+":
          f.plus = true;
          break;
        case "-":
          f.minus = true;
          f.zero = false;
          break;
        case " ":
          f.space = true;
          break;
        default:
          if (c >= "a" && c <= "z" && argNum < a.length) {
            if (c === "v") {
              f.sharpV = f.sharp;
              f.sharp = false;
              f.plusV = f.plus;
              f.plus = false;
            }
            out += formatArg(a[argNum]!, c, f);
            argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }
    ({ i, found: afterIndex } = argNumber(i));
    if (i < end && format[i] === "*") {
      i++;
      const r = intFromArg(a, argNum);
      argNum = r.newArgNum;
      if (!r.isInt) out += "%!(BADWIDTH)";
      else {
        f.wid = r.num;
        if (f.wid < 0) {
          f.wid = -f.wid;
          f.minus = true;
          f.zero = false;
        }
      }
      afterIndex = false;
    } else {
      const r = parsenum(format, i, end);
      i = r.newi;
      if (r.isnum) f.wid = r.num;
      if (afterIndex && r.isnum) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === ".") {
      i++;
      if (afterIndex) goodArgNum = false;
      ({ i, found: afterIndex } = argNumber(i));
      if (i < end && format[i] === "*") {
        i++;
        const r = intFromArg(a, argNum);
        argNum = r.newArgNum;
        if (r.isInt && r.num >= 0) f.prec = r.num;
        else out += "%!(BADPREC)";
        afterIndex = false;
      } else {
        const r = parsenum(format, i, end);
        i = r.newi;
        f.prec = r.isnum ? r.num : 0;
      }
    }
    if (!afterIndex) ({ i, found: afterIndex } = argNumber(i));
    if (i >= end) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") out += "%";
    else if (!goodArgNum) out += `%!${verb}(BADINDEX)`;
    else if (argNum >= a.length) out += `%!${verb}(MISSING)`;
    else {
      if (verb === "v") {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      out += formatArg(a[argNum]!, verb, f);
      argNum++;
    }
  }
  if (!reordered && argNum < a.length) {
    out +=
      "%!(EXTRA " +
      a
        .slice(argNum)
        .map((x) => (x === null ? "<nil>" : `${typeName(x)}=${formatArg(x, "v")}`))
        .join(", ") +
      ")";
  }
  return out;
}
