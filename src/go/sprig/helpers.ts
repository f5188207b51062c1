/** Shared helpers for the sprig function families: signatures, cast.*, strval, empty. */
import { FuncError } from "../template/errors.js";
import { formatArg } from "../template/fmt.js";
import { parseGoFloat } from "../strconv/parse-float.js";
import { parseGoInt } from "../strconv/parse-int.js";
import {
  GoFunc,
  GoInt,
  GoMap,
  GoSlice,
  GoStruct,
  type GoType,
  type GoValue,
  isIntKind,
  isUintKind,
  kindName,
  mapOf,
  sliceOf,
  T_ANY,
  T_BOOL,
  T_FLOAT64,
  T_INT,
  T_INT64,
  T_MAP_ANY,
  T_SLICE_ANY,
  T_SLICE_STRING,
  T_STRING,
  Uint8Bytes,
} from "../template/value.js";

export const S = T_STRING;
export const I = T_INT;
export const I64 = T_INT64;
export const F = T_FLOAT64;
export const B = T_BOOL;
export const A = T_ANY;
export const SA = T_SLICE_ANY;
export const SS = T_SLICE_STRING;
export const M = T_MAP_ANY;
export const MSS = mapOf(T_STRING, T_STRING);
export const SINT = sliceOf(T_INT);
export const SSA = sliceOf(T_SLICE_ANY);

export type Impl = (...a: GoValue[]) => GoValue;

/** Declares a Go function: params, optional variadic element type, result, whether it returns an error. */
export function fn(params: GoType[], result: GoType, impl: Impl, opts: { variadic?: GoType; err?: boolean } = {}): GoFunc {
  return new GoFunc({ params, variadic: opts.variadic, result, hasError: opts.err ?? false }, impl);
}

export function fail(msg: string): never {
  throw new FuncError(msg);
}

/** Go runtime panics (reported as `runtime error: ...`). */
export function runtimePanic(msg: string): never {
  throw new FuncError(`runtime error: ${msg}`);
}

export const NIL_DEREF = "invalid memory address or nil pointer dereference";

/** reflect.TypeOf(v).Kind(), panicking on nil like Go does. */
export function kindOrPanic(v: GoValue): string {
  if (v === null) runtimePanic(NIL_DEREF);
  return kindName(v);
}

/** Elements of a slice/array value, or undefined if not a list. */
export function listItems(v: GoValue): GoValue[] | undefined {
  if (v instanceof GoSlice) return v.items;
  if (v instanceof Uint8Bytes) return [...v.bytes].map((b) => new GoInt(BigInt(b), { kind: "uint8", name: "uint8", named: false }));
  return undefined;
}

/** sprig strval */
export function strval(v: GoValue): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Bytes) return new TextDecoder().decode(v.bytes);
  if (v instanceof GoStruct && v.type.stringer) return v.type.stringer(v);
  if (v instanceof GoInt && v.type.intStringer) return v.type.intStringer(v);
  return formatArg(v, "v");
}

/** sprig empty */
export function empty(v: GoValue): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case "string":
      return v.length === 0;
    case "boolean":
      return !v;
    case "number":
      return v === 0;
  }
  if (v instanceof GoInt) return v.v === 0n;
  if (v instanceof GoSlice) return v.items.length === 0;
  if (v instanceof GoMap) return v.size === 0;
  if (v instanceof Uint8Bytes) return v.bytes.length === 0;
  return false;
}

function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === ".") {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === "0") foundZero = true;
    else return s;
  }
  return s;
}

/** Go's float64 → int64 conversion on amd64. */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 2 ** 63 || f < -(2 ** 63)) return -(2n ** 63n);
  return BigInt(Math.trunc(f));
}

/** cast.ToInt64 */
export function castInt64(v: GoValue): bigint {
  if (v === null) return 0n;
  if (v instanceof GoInt) return BigInt.asIntN(64, v.v);
  if (typeof v === "number") return floatToInt64(v);
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (typeof v === "string") {
    const n = parseGoInt(trimZeroDecimal(v));
    return n === undefined || n < -(2n ** 63n) || n >= 2n ** 63n ? 0n : n;
  }
  return 0n;
}

export function castInt(v: GoValue): bigint {
  return castInt64(v);
}

/** cast.ToFloat64: strconv.ParseFloat(s, 64) for strings, 0 where it fails (spf13/cast caste.go ToFloat64E). */
export function castFloat64(v: GoValue): number {
  if (v === null) return 0;
  if (typeof v === "number") return v;
  if (v instanceof GoInt) return Number(v.v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") return parseGoFloat(v) ?? 0;
  return 0;
}

export const i64 = (n: bigint): GoInt => new GoInt(BigInt.asIntN(64, n), T_INT64);
export const goint = (n: bigint | number): GoInt => new GoInt(BigInt.asIntN(64, BigInt(n)), T_INT);

export function num(v: GoValue): bigint {
  return (v as GoInt).v;
}
export function str(v: GoValue): string {
  return v as string;
}

export function isIntLike(v: GoValue): v is GoInt {
  return v instanceof GoInt && (isIntKind(v.type.kind) || isUintKind(v.type.kind));
}

/** Checks a map arg is a map[string]interface{} (already validated by the engine). */
export function asMap(v: GoValue): GoMap {
  if (v === null) return new GoMap(T_MAP_ANY);
  return v as GoMap;
}

export function newAnySlice(items: GoValue[]): GoSlice {
  return new GoSlice(T_SLICE_ANY, items);
}
export function newStringSlice(items: string[]): GoSlice {
  return new GoSlice(T_SLICE_STRING, items);
}

export const MAX_LIST = 1_000_000;
export function checkSize(n: number): void {
  if (n > MAX_LIST) fail(`result too large (${n} elements; limit ${MAX_LIST})`);
}

export { A as ANY, T_ANY };

/** shopspring/decimal-style exact arithmetic on the shortest decimal forms of two floats. */
export function decimalArith(a: number, b: number, op: "+" | "-" | "*"): number {
  const parse = (x: number): [bigint, number] => {
    const [m, e] = x.toExponential().split("e") as [string, string];
    const frac = m.split(".")[1] ?? "";
    return [BigInt(m.replace(".", "")), Number(e) - frac.length];
  };
  if (!Number.isFinite(a) || !Number.isFinite(b)) return op === "+" ? a + b : op === "-" ? a - b : a * b;
  const [ma, ea] = parse(a);
  const [mb, eb] = parse(b);
  let m: bigint;
  let e: number;
  if (op === "*") {
    m = ma * mb;
    e = ea + eb;
  } else {
    e = Math.min(ea, eb);
    const xa = ma * 10n ** BigInt(ea - e);
    const xb = mb * 10n ** BigInt(eb - e);
    m = op === "+" ? xa + xb : xa - xb;
  }
  return Number(`${m}e${e}`);
}
