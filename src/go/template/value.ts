/**
 * A small model of Go values, enough for text/template and sprig to behave as in Go:
 * printing, typeOf/kindOf, comparison, assignability and len.
 *
 * Representation: Go string → JS string, bool → boolean, float64 → number,
 * integers → GoInt (bigint + type), nil interface → null, slices → GoSlice,
 * maps → GoMap, structs → GoStruct, functions → GoFunc. NO_VALUE is the invalid
 * reflect.Value (what a missing map key yields in a field chain).
 */

export type Kind =
  | "bool"
  | "int"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float64"
  | "string"
  | "interface"
  | "slice"
  | "map"
  | "struct"
  | "func"
  | "ptr";

export interface GoType {
  kind: Kind;
  /** Full Go type string, e.g. `[]interface {}`, `update.Change`, `map[string]string`. */
  name: string;
  /** Whether this is a defined (named) type. */
  named: boolean;
  elem?: GoType;
  key?: GoType;
  fields?: StructField[];
  /** Methods with value receivers, by name. */
  methods?: Record<string, GoMethod>;
  /** A String() method (fmt.Stringer). */
  stringer?: (v: GoStruct) => string;
  /** A String() method on a named integer type (time.Duration, time.Month). */
  intStringer?: (v: GoInt) => string;
  /** A GoString() method (used by %#v). */
  goString?: (v: GoValue) => string;
  /** A MarshalJSON() method: returns the JSON text. */
  jsonText?: (v: GoValue) => string;
}

export interface StructField {
  name: string;
  type: GoType;
  embedded?: boolean;
  /** encoding/json name and omitempty. */
  json?: string;
  omitEmpty?: boolean;
}

export interface GoMethod {
  params: GoType[];
  result: GoType;
  call: (recv: GoValue, args: GoValue[]) => GoValue;
}

export class GoInt {
  constructor(
    readonly v: bigint,
    readonly type: GoType,
  ) {}
}

/** A slice; `nil` marks Go's nil slice (no items, printed `[]T(nil)` by %#v, `null` in JSON). */
export class GoSlice {
  constructor(
    readonly type: GoType,
    readonly items: GoValue[],
    readonly nil = false,
  ) {}
}

/** A map; `nil` marks Go's nil map (no entries, printed `map[K]V(nil)` by %#v, `null` in JSON). */
export class GoMap {
  /** Entries keyed by a canonical key string. */
  readonly entries = new Map<string, [GoValue, GoValue]>();
  constructor(
    readonly type: GoType,
    readonly nil = false,
  ) {}
  get(k: GoValue): GoValue | undefined {
    return this.entries.get(keyId(k))?.[1];
  }
  has(k: GoValue): boolean {
    return this.entries.has(keyId(k));
  }
  set(k: GoValue, v: GoValue): void {
    this.entries.set(keyId(k), [k, v]);
  }
  delete(k: GoValue): void {
    this.entries.delete(keyId(k));
  }
  get size(): number {
    return this.entries.size;
  }
}

export class GoStruct {
  constructor(
    readonly type: GoType,
    readonly values: GoValue[],
  ) {}
}

export interface FuncSig {
  params: GoType[];
  variadic?: GoType;
  result: GoType;
  /** Second result of type error. */
  hasError: boolean;
}

export class GoFunc {
  constructor(
    readonly sig: FuncSig,
    readonly fn: (...args: GoValue[]) => GoValue,
    readonly name = "",
  ) {}
}

export const NO_VALUE: unique symbol = Symbol("no value");

export type GoValue = string | boolean | number | null | GoInt | GoSlice | GoMap | GoStruct | GoFunc | Uint8Bytes;

/** []byte */
export class Uint8Bytes {
  constructor(readonly bytes: Uint8Array) {}
}

export type Val = GoValue | typeof NO_VALUE;

// ---- basic types ----
function basic(kind: Kind, name = kind as string): GoType {
  return { kind, name, named: false };
}
export const T_STRING = basic("string");
export const T_BOOL = basic("bool");
export const T_INT = basic("int");
export const T_INT64 = basic("int64");
export const T_INT32 = basic("int32");
export const T_UINT8 = basic("uint8");
export const T_UINT64 = basic("uint64");
export const T_FLOAT64 = basic("float64");
export const T_ANY: GoType = { kind: "interface", name: "interface {}", named: false };
export const T_ERROR: GoType = { kind: "interface", name: "error", named: true };
export const T_BYTES: GoType = { kind: "slice", name: "[]uint8", named: false, elem: T_UINT8 };

const sliceCache = new Map<string, GoType>();
export function sliceOf(elem: GoType): GoType {
  let t = sliceCache.get(elem.name);
  if (!t) {
    t = { kind: "slice", name: `[]${elem.name}`, named: false, elem };
    sliceCache.set(elem.name, t);
  }
  return t;
}
const mapCache = new Map<string, GoType>();
export function mapOf(key: GoType, elem: GoType): GoType {
  const n = `map[${key.name}]${elem.name}`;
  let t = mapCache.get(n);
  if (!t) {
    t = { kind: "map", name: n, named: false, key, elem };
    mapCache.set(n, t);
  }
  return t;
}
export const T_SLICE_ANY = sliceOf(T_ANY);
export const T_SLICE_STRING = sliceOf(T_STRING);
export const T_MAP_ANY = mapOf(T_STRING, T_ANY);
export const T_MAP_STRING = mapOf(T_STRING, T_STRING);

export function int(n: number | bigint): GoInt {
  return new GoInt(BigInt(n), T_INT);
}
export function int64(n: number | bigint): GoInt {
  return new GoInt(BigInt.asIntN(64, BigInt(n)), T_INT64);
}
export function anySlice(items: GoValue[]): GoSlice {
  return new GoSlice(T_SLICE_ANY, items);
}
export function stringSlice(items: string[]): GoSlice {
  return new GoSlice(T_SLICE_STRING, items);
}
export function anyMap(entries: Array<[string, GoValue]> = []): GoMap {
  const m = new GoMap(T_MAP_ANY);
  for (const [k, v] of entries) m.set(k, v);
  return m;
}

/** The dynamic type of a value; null for a nil interface. */
export function typeOfValue(v: GoValue): GoType | null {
  if (v === null) return null;
  switch (typeof v) {
    case "string":
      return T_STRING;
    case "boolean":
      return T_BOOL;
    case "number":
      return T_FLOAT64;
  }
  if (v instanceof GoInt) return v.type;
  if (v instanceof Uint8Bytes) return T_BYTES;
  if (v instanceof GoFunc) return funcType(v.sig);
  return v.type;
}

export function funcType(sig: FuncSig): GoType {
  const ps = sig.params.map((p) => p.name);
  if (sig.variadic) ps.push(`...${sig.variadic.name}`);
  const res = sig.hasError ? `(${sig.result.name}, error)` : ` ${sig.result.name}`;
  return { kind: "func", name: `func(${ps.join(", ")})${res}`, named: false };
}

export function typeName(v: GoValue): string {
  const t = typeOfValue(v);
  return t ? t.name : "<nil>";
}

export function kindName(v: GoValue): string {
  const t = typeOfValue(v);
  if (!t) return "invalid";
  return t.kind === "ptr" ? "ptr" : t.kind;
}

export function isIntKind(k: Kind): boolean {
  return k === "int" || k === "int8" || k === "int16" || k === "int32" || k === "int64";
}
export function isUintKind(k: Kind): boolean {
  return k === "uint" || k === "uint8" || k === "uint16" || k === "uint32" || k === "uint64";
}

/** Go assignability (simplified): identical, to interface{}, or unnamed ↔ named with identical underlying. */
export function assignable(from: GoType, to: GoType): boolean {
  if (to.kind === "interface") return to.name === "interface {}" || from.name === to.name;
  if (from.name === to.name) return true;
  if (from.named && to.named) return false;
  return underlying(from) === underlying(to);
}

function underlying(t: GoType): string {
  switch (t.kind) {
    case "slice":
      return `[]${t.elem!.name}`;
    case "map":
      return `map[${t.key!.name}]${t.elem!.name}`;
    case "struct":
      return `struct{${(t.fields ?? []).map((f) => `${f.name} ${f.type.name}`).join("; ")}}`;
    default:
      return t.kind;
  }
}

export function canBeNil(t: GoType): boolean {
  return t.kind === "interface" || t.kind === "slice" || t.kind === "map" || t.kind === "func" || t.kind === "ptr";
}

/** Zero value of a type. */
export function zeroOf(t: GoType): GoValue {
  switch (t.kind) {
    case "string":
      return "";
    case "bool":
      return false;
    case "float64":
      return 0;
    case "interface":
    case "func":
    case "ptr":
      return null;
    case "slice":
      return new GoSlice(t, [], true);
    case "map":
      return new GoMap(t, true);
    case "struct":
      return new GoStruct(
        t,
        (t.fields ?? []).map((f) => zeroOf(f.type)),
      );
    default:
      return new GoInt(0n, t);
  }
}

/** Canonical identity of a comparable key value (includes the type). */
export function keyId(v: GoValue): string {
  if (v === null) return "nil";
  switch (typeof v) {
    case "string":
      return `s:${v}`;
    case "boolean":
      return `b:${v}`;
    case "number":
      return `f:${Object.is(v, -0) ? 0 : v}`;
  }
  if (v instanceof GoInt) return `i:${v.type.name}:${v.v}`;
  if (v instanceof GoStruct) return `t:${v.type.name}{${v.values.map(keyId).join(",")}}`;
  throw new TypeError(`unhashable type ${typeName(v)}`);
}

export function isComparable(t: GoType): boolean {
  switch (t.kind) {
    case "slice":
    case "map":
    case "func":
      return false;
    case "struct":
      return (t.fields ?? []).every((f) => isComparable(f.type));
    default:
      return true;
  }
}

/** Go's == on two values of identical comparable types. */
export function goEqual(a: GoValue, b: GoValue): boolean {
  if (a === null || b === null) return a === b;
  if (a instanceof GoInt && b instanceof GoInt) return a.v === b.v && a.type.name === b.type.name;
  if (a instanceof GoStruct && b instanceof GoStruct) {
    return a.type.name === b.type.name && a.values.every((x, i) => goEqual(x, b.values[i]!));
  }
  return a === b;
}

/** reflect.DeepEqual */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a === null || b === null) return a === b;
  const ta = typeOfValue(a)!;
  const tb = typeOfValue(b)!;
  if (ta.name !== tb.name) return false;
  if (a instanceof GoSlice && b instanceof GoSlice) {
    return a.items.length === b.items.length && a.items.every((x, i) => deepEqual(x, b.items[i]!));
  }
  if (a instanceof GoMap && b instanceof GoMap) {
    if (a.size !== b.size) return false;
    for (const [id, [, v]] of a.entries) {
      const o = b.entries.get(id);
      if (!o || !deepEqual(v, o[1])) return false;
    }
    return true;
  }
  if (a instanceof GoStruct && b instanceof GoStruct) return a.values.every((x, i) => deepEqual(x, b.values[i]!));
  if (a instanceof Uint8Bytes && b instanceof Uint8Bytes) {
    return a.bytes.length === b.bytes.length && a.bytes.every((x, i) => x === b.bytes[i]);
  }
  if (a instanceof GoFunc || b instanceof GoFunc) return false;
  return goEqual(a, b);
}

/** Go's truth for if/with/and/or/not. */
export function truth(v: Val): boolean {
  if (v === NO_VALUE || v === null) return false;
  switch (typeof v) {
    case "string":
      return v.length > 0;
    case "boolean":
      return v;
    case "number":
      return v !== 0;
  }
  if (v instanceof GoInt) return v.v !== 0n;
  if (v instanceof GoSlice) return v.items.length > 0;
  if (v instanceof GoMap) return v.size > 0;
  if (v instanceof Uint8Bytes) return v.bytes.length > 0;
  return true;
}

/** UTF-8 byte length of a string. */
export function byteLen(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** Field lookup including promoted fields of embedded structs (breadth-first, like Go). */
export function findField(t: GoType, name: string): number[] | undefined {
  let level: Array<{ t: GoType; path: number[] }> = [{ t, path: [] }];
  while (level.length > 0) {
    const next: Array<{ t: GoType; path: number[] }> = [];
    for (const { t: st, path } of level) {
      const fields = st.fields ?? [];
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        if (f.name === name) return [...path, i];
        if (f.embedded && f.type.kind === "struct") next.push({ t: f.type, path: [...path, i] });
      }
    }
    level = next;
  }
  return undefined;
}

export function findMethod(t: GoType, name: string): GoMethod | undefined {
  return t.methods?.[name];
}
