/** text/template's predefined functions. */
import { FuncError } from "./errors.js";
import { formatArg, sprint, sprintln } from "./fmt.js";
import { sprintf } from "./printf.js";
import {
  assignable,
  byteLen,
  goEqual,
  GoFunc,
  GoInt,
  GoMap,
  GoSlice,
  GoStruct,
  type GoType,
  type GoValue,
  int,
  isComparable,
  isIntKind,
  isUintKind,
  T_ANY,
  T_BOOL,
  T_STRING,
  T_UINT8,
  truth,
  typeOfValue,
  Uint8Bytes,
  zeroOf,
} from "./value.js";

/** Marker type for reflect.Value parameters (values pass unconverted). */
export const T_REFLECT: GoType = { kind: "struct", name: "reflect.Value", named: true };

const fail = (m: string): never => {
  throw new FuncError(m);
};

function f(params: GoType[], variadic: GoType | undefined, result: GoType, hasError: boolean, fn: (...a: GoValue[]) => GoValue, name: string): GoFunc {
  return new GoFunc({ params, variadic, result, hasError }, fn, name);
}

type BasicKind = "bool" | "int" | "uint" | "float" | "string" | "invalid";
function basicKind(v: GoValue): BasicKind {
  if (v === null) return "invalid";
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "string":
      return "string";
    case "number":
      return "float";
  }
  if (v instanceof GoInt) return isIntKind(v.type.kind) ? "int" : isUintKind(v.type.kind) ? "uint" : "invalid";
  return "invalid";
}

function num(v: GoValue): bigint {
  return (v as GoInt).v;
}

export function goEq(a: GoValue, ...bs: GoValue[]): boolean {
  if (bs.length === 0) fail("missing argument for comparison");
  const k1 = basicKind(a);
  for (const b of bs) {
    const k2 = basicKind(b);
    let t = false;
    if (k1 !== k2) {
      if ((k1 === "int" && k2 === "uint") || (k1 === "uint" && k2 === "int")) t = num(a) === num(b);
      else if (a !== null && b !== null) fail("incompatible types for comparison");
    } else if (k1 === "invalid") {
      const ta = typeOfValue(a);
      const tb = typeOfValue(b);
      if (a === null || b === null) t = a === b;
      else if (ta!.name !== tb!.name) fail(`non-comparable types ${show(a)}: ${ta!.name}, ${tb!.name}: ${show(b)}`);
      else if (!isComparable(ta!)) fail(`non-comparable type ${show(b)}: ${tb!.name}`);
      else t = goEqual(a, b);
    } else if (k1 === "int" || k1 === "uint") t = num(a) === num(b);
    else t = a === b;
    if (t) return true;
  }
  return false;
}

function show(v: GoValue): string {
  return formatArg(v, "s");
}

export function goLt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  if (k1 === "invalid") fail("invalid type for comparison");
  const k2 = basicKind(b);
  if (k2 === "invalid") fail("invalid type for comparison");
  if (k1 !== k2) {
    if ((k1 === "int" && k2 === "uint") || (k1 === "uint" && k2 === "int")) return num(a) < num(b);
    return fail("incompatible types for comparison");
  }
  switch (k1) {
    case "bool":
      return fail("invalid type for comparison");
    case "int":
    case "uint":
      return num(a) < num(b);
    default:
      return (a as string | number) < (b as string | number);
  }
}

function indexArg(i: GoValue, cap: number): number {
  if (i === null) fail("cannot index slice/array with nil");
  if (!(i instanceof GoInt)) return fail(`cannot index slice/array with type ${typeOfValue(i)!.name}`);
  if (i.v < 0n || i.v > BigInt(cap)) fail(`index out of range: ${i.v}`);
  return Number(i.v);
}

function goIndex(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === null) fail("index of untyped nil");
  let cur: GoValue = item;
  for (const ix of indexes) {
    if (cur === null) return fail("index of nil pointer");
    if (typeof cur === "string") {
      const bytes = new TextEncoder().encode(cur);
      const x = indexArg(ix, bytes.length);
      if (x === bytes.length) fail("reflect: string index out of range");
      cur = new GoInt(BigInt(bytes[x]!), T_UINT8);
    } else if (cur instanceof GoSlice) {
      const x = indexArg(ix, cur.items.length);
      if (x === cur.items.length) fail("reflect: slice index out of range");
      cur = cur.items[x]!;
    } else if (cur instanceof Uint8Bytes) {
      const x = indexArg(ix, cur.bytes.length);
      if (x === cur.bytes.length) fail("reflect: slice index out of range");
      cur = new GoInt(BigInt(cur.bytes[x]!), T_UINT8);
    } else if (cur instanceof GoMap) {
      const kt = cur.type.key!;
      let key = ix;
      if (key === null) {
        if (kt.kind !== "interface") fail(`value is nil; should be of type ${kt.name}`);
      } else {
        const t = typeOfValue(key)!;
        if (!assignable(t, kt)) {
          if (key instanceof GoInt && (isIntKind(kt.kind) || isUintKind(kt.kind))) key = new GoInt(key.v, kt);
          else fail(`value has type ${t.name}; should be ${kt.name}`);
        }
      }
      const v = cur.get(key);
      cur = v === undefined ? zeroOf(cur.type.elem!) : v;
    } else {
      return fail(`can't index item of type ${typeOfValue(cur)!.name}`);
    }
  }
  return cur;
}

function goSlice(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === null) fail("slice of untyped nil");
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (typeof item === "string") {
    if (indexes.length === 3) fail("cannot 3-index slice a string");
    len = byteLen(item);
  } else if (item instanceof GoSlice) len = item.items.length;
  else return fail(`can't slice item of type ${typeOfValue(item)!.name}`);
  const idx = [0, len, len];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  if (idx[0]! > idx[1]!) fail(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) fail(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof item === "string") {
    const b = new TextEncoder().encode(item).slice(idx[0], idx[1]);
    return new TextDecoder().decode(b);
  }
  return new GoSlice((item as GoSlice).type, (item as GoSlice).items.slice(idx[0], idx[1]));
}

function goLen(v: GoValue): GoValue {
  if (v === null) fail("reflect: call of reflect.Value.Type on zero Value");
  if (typeof v === "string") return int(byteLen(v));
  if (v instanceof GoSlice) return int(v.items.length);
  if (v instanceof GoMap) return int(v.size);
  if (v instanceof Uint8Bytes) return int(v.bytes.length);
  return fail(`len of type ${typeOfValue(v)!.name}`);
}

function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(args);
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ "\0": "\uFFFD", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
}

function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case "\\":
        out += "\\\\";
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case "<":
        out += "\\u003C";
        continue;
      case ">":
        out += "\\u003E";
        continue;
      case "&":
        out += "\\u0026";
        continue;
      case "=":
        out += "\\u003D";
        continue;
    }
    if (c < 0x20) out += "\\u00" + c.toString(16).toUpperCase().padStart(2, "0");
    else if (c >= 0x80 && !/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
    else out += ch;
  }
  return out;
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

const R = T_REFLECT;
export const BUILTINS: Record<string, GoFunc> = {
  and: f([R], R, R, false, (a) => a, "and"),
  or: f([R], R, R, false, (a) => a, "or"),
  not: f([R], undefined, T_BOOL, false, (a) => !truth(a), "not"),
  len: f([R], undefined, T_ANY, true, goLen, "len"),
  index: f([R], R, R, true, goIndex, "index"),
  slice: f([R], R, R, true, goSlice, "slice"),
  print: f([], T_ANY, T_STRING, false, (...a) => sprint(a), "print"),
  printf: f([T_STRING], T_ANY, T_STRING, false, (fmt, ...a) => sprintf(fmt as string, a), "printf"),
  println: f([], T_ANY, T_STRING, false, (...a) => sprintln(a), "println"),
  eq: f([R], R, T_BOOL, true, (a, ...b) => goEq(a, ...b), "eq"),
  ne: f([R, R], undefined, T_BOOL, true, (a, b) => !goEq(a, b), "ne"),
  lt: f([R, R], undefined, T_BOOL, true, goLt, "lt"),
  le: f([R, R], undefined, T_BOOL, true, (a, b) => goLt(a, b) || goEq(a, b), "le"),
  gt: f([R, R], undefined, T_BOOL, true, (a, b) => !(goLt(a, b) || goEq(a, b)), "gt"),
  ge: f([R, R], undefined, T_BOOL, true, (a, b) => !goLt(a, b), "ge"),
  html: f([], T_ANY, T_STRING, false, (...a) => htmlEscape(evalArgs(a)), "html"),
  js: f([], T_ANY, T_STRING, false, (...a) => jsEscape(evalArgs(a)), "js"),
  urlquery: f([], T_ANY, T_STRING, false, (...a) => queryEscape(evalArgs(a)), "urlquery"),
  call: f(
    [R],
    R,
    R,
    true,
    (fn) => {
      if (fn === null) fail("call of nil");
      if (!(fn instanceof GoFunc)) fail(`non-function of type ${typeOfValue(fn)!.name}`);
      return fail("call of function values is not supported");
    },
    "call",
  ),
};

export { GoStruct };
