/** sprig list and dict functions. */
import { deepEqual, GoMap, GoSlice, type GoValue, T_MAP_ANY } from "../template/value.js";
import { sortedEntries } from "../template/sort.js";
import type { FuncMap } from "../template/exec.js";
import {
  A,
  B,
  castInt,
  checkSize,
  empty,
  fail,
  fn,
  goint,
  I,
  kindOrPanic,
  listItems,
  M,
  newAnySlice,
  newStringSlice,
  num,
  runtimePanic,
  S,
  SA,
  SINT,
  SS,
  SSA,
  strval,
} from "./helpers.js";
import { GoInt } from "../template/value.js";

type ListOp = (items: GoValue[], ...rest: GoValue[]) => GoValue;

/** Builds the panicking and the must* variant of a list function. */
function listPair(what: string, params: (typeof A)[], result: typeof A, op: ListOp, variadic?: typeof A): [ReturnType<typeof fn>, ReturnType<typeof fn>] {
  const impl = (list: GoValue, ...rest: GoValue[]): GoValue => {
    const k = kindOrPanic(list);
    const items = listItems(list);
    if (!items) fail(`${what} ${k}`);
    return op(items!, ...rest);
  };
  return [fn(params, result, impl, { variadic }), fn(params, result, impl, { variadic, err: true })];
}

function inList(haystack: GoValue[], needle: GoValue): boolean {
  return haystack.some((h) => deepEqual(h, needle));
}

function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const v: bigint[] = [];
  if (stop < start) {
    if (step >= 0n) return v;
    for (let i = start; i > stop; i += step) {
      v.push(i);
      checkSize(v.length);
    }
    return v;
  }
  if (step <= 0n) return v;
  for (let i = start; i < stop; i += step) {
    v.push(i);
    checkSize(v.length);
  }
  return v;
}

function intsSlice(v: bigint[]): GoSlice {
  return new GoSlice(
    SINT,
    v.map((x) => goint(x)),
  );
}

function seq(params: bigint[]): string {
  let inc = 1n;
  let r: bigint[];
  switch (params.length) {
    case 0:
      return "";
    case 1: {
      const end = params[0]!;
      if (end < 1n) inc = -1n;
      r = untilStep(1n, end + inc, inc);
      break;
    }
    case 2: {
      const [start, end] = params as [bigint, bigint];
      const step = end < start ? -1n : 1n;
      r = untilStep(start, end + step, step);
      break;
    }
    case 3: {
      const [start, step, end] = params as [bigint, bigint, bigint];
      if (end < start) {
        inc = -1n;
        if (step > 0n) return "";
      }
      r = untilStep(start, end + inc, step);
      break;
    }
    default:
      return "";
  }
  return r.join(" ");
}

function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const [k, sv] of sortedEntries(src)) {
    const dv = dst.get(k);
    if (dv instanceof GoMap && sv instanceof GoMap && dv.type.name === sv.type.name) {
      mergeInto(dv, sv, overwrite);
    } else if (dv === undefined || empty(dv)) {
      dst.set(k, sv);
    } else if (overwrite && !empty(sv)) {
      dst.set(k, sv);
    }
  }
}

function deepCopy(v: GoValue): GoValue {
  if (v instanceof GoSlice) return new GoSlice(v.type, v.items.map(deepCopy));
  if (v instanceof GoMap) {
    const m = new GoMap(v.type);
    for (const [k, x] of v.entries.values()) m.set(k, deepCopy(x));
    return m;
  }
  return v;
}

export function listFuncs(): FuncMap {
  const [push, mustPush] = listPair("Cannot push on type", [A, A], SA, (l, v) => newAnySlice([...l, v]));
  const [prepend, mustPrepend] = listPair("Cannot prepend on type", [A, A], SA, (l, v) => newAnySlice([v, ...l]));
  const [first, mustFirst] = listPair("Cannot find first on type", [A], A, (l) => (l.length === 0 ? null : l[0]!));
  const [last, mustLast] = listPair("Cannot find last on type", [A], A, (l) => (l.length === 0 ? null : l[l.length - 1]!));
  const [rest, mustRest] = listPair("Cannot find rest on type", [A], SA, (l) => (l.length === 0 ? new GoSlice(SA, []) : newAnySlice(l.slice(1))));
  const [initial, mustInitial] = listPair("Cannot find initial on type", [A], SA, (l) => (l.length === 0 ? new GoSlice(SA, []) : newAnySlice(l.slice(0, -1))));
  const [reverse, mustReverse] = listPair("Cannot find reverse on type", [A], SA, (l) => newAnySlice([...l].reverse()));
  const [compact, mustCompact] = listPair("Cannot compact on type", [A], SA, (l) => newAnySlice(l.filter((x) => !empty(x))));
  const [uniq, mustUniq] = listPair("Cannot find uniq on type", [A], SA, (l) => {
    const d: GoValue[] = [];
    for (const x of l) if (!inList(d, x)) d.push(x);
    return newAnySlice(d);
  });
  const [without, mustWithout] = listPair("Cannot find without on type", [A], SA, (l, ...omit) => newAnySlice(l.filter((x) => !inList(omit, x))), A);
  const hasImpl = (needle: GoValue, hay: GoValue): GoValue => {
    if (hay === null) return false;
    const k = kindOrPanic(hay);
    const items = listItems(hay);
    if (!items) fail(`Cannot find has on type ${k}`);
    return inList(items!, needle);
  };
  const sliceImpl = (list: GoValue, ...idx: GoValue[]): GoValue => {
    const k = kindOrPanic(list);
    const items = listItems(list);
    if (!items) fail(`list should be type of slice or array but ${k}`);
    if (items!.length === 0) return null;
    const start = idx.length > 0 ? Number(castInt(idx[0]!)) : 0;
    const end = idx.length < 2 ? items!.length : Number(castInt(idx[1]!));
    if (start < 0 || end < start || end > items!.length) fail("reflect.Value.Slice: slice index out of bounds");
    return new GoSlice((list as GoSlice).type, items!.slice(start, end));
  };
  const chunkImpl = (size: GoValue, list: GoValue): GoValue => {
    const k = kindOrPanic(list);
    const items = listItems(list);
    if (!items) fail(`Cannot chunk type ${k}`);
    const sz = Number(num(size));
    const l = items!.length;
    const cs = Math.floor((l - 1) / sz) + 1;
    if (!Number.isFinite(cs) || cs < 0) runtimePanic("makeslice: len out of range");
    const out: GoValue[] = [];
    for (let i = 0; i < cs; i++) {
      let clen = sz;
      if (i === cs - 1) {
        clen = Math.floor(l % sz);
        if (clen === 0) clen = sz;
      }
      out.push(newAnySlice(items!.slice(i * sz, i * sz + clen)));
    }
    return new GoSlice(SSA, out);
  };
  const dictOf = (v: GoValue): GoMap => (v === null ? new GoMap(T_MAP_ANY) : (v as GoMap));
  return {
    list: fn([], SA, (...a) => newAnySlice(a), { variadic: A }),
    tuple: fn([], SA, (...a) => newAnySlice(a), { variadic: A }),
    append: push,
    push,
    mustAppend: mustPush,
    mustPush,
    prepend,
    mustPrepend,
    first,
    mustFirst,
    last,
    mustLast,
    rest,
    mustRest,
    initial,
    mustInitial,
    reverse,
    mustReverse,
    compact,
    mustCompact,
    uniq,
    mustUniq,
    without,
    mustWithout,
    has: fn([A, A], B, hasImpl),
    mustHas: fn([A, A], B, hasImpl, { err: true }),
    slice: fn([A], A, sliceImpl, { variadic: A }),
    mustSlice: fn([A], A, sliceImpl, { variadic: A, err: true }),
    chunk: fn([I, A], SSA, chunkImpl),
    mustChunk: fn([I, A], SSA, chunkImpl, { err: true }),
    concat: fn(
      [],
      A,
      (...lists) => {
        const res: GoValue[] = [];
        for (const l of lists) {
          const k = kindOrPanic(l);
          const items = listItems(l);
          if (!items) fail(`Cannot concat type ${k} as list`);
          res.push(...items!);
        }
        return newAnySlice(res);
      },
      { variadic: A },
    ),
    until: fn([I], SINT, (c) => intsSlice(untilStep(0n, num(c), num(c) < 0n ? -1n : 1n))),
    untilStep: fn([I, I, I], SINT, (a, b, c) => intsSlice(untilStep(num(a), num(b), num(c)))),
    seq: fn([], S, (...p) => seq(p.map(num)), { variadic: I }),
    // dicts
    dict: fn(
      [],
      M,
      (...v) => {
        const d = new GoMap(T_MAP_ANY);
        for (let i = 0; i < v.length; i += 2) d.set(strval(v[i]!), i + 1 >= v.length ? "" : v[i + 1]!);
        return d;
      },
      { variadic: A },
    ),
    get: fn([M, S], A, (d, k) => dictOf(d).get(k) ?? ""),
    set: fn([M, S, A], M, (d, k, v) => {
      if (d === null) fail("assignment to entry in nil map");
      (d as GoMap).set(k, v);
      return d;
    }),
    unset: fn([M, S], M, (d, k) => {
      if (d !== null) (d as GoMap).delete(k);
      return d;
    }),
    hasKey: fn([M, S], B, (d, k) => dictOf(d).has(k)),
    pluck: fn([S], SA, (k, ...ds) => newAnySlice(ds.map((d) => dictOf(d).get(k)).filter((x): x is GoValue => x !== undefined)), { variadic: M }),
    keys: fn([], SS, (...ds) => newStringSlice(ds.flatMap((d) => sortedEntries(dictOf(d)).map(([k]) => k as string))), { variadic: M }),
    values: fn([M], SA, (d) => newAnySlice(sortedEntries(dictOf(d)).map(([, v]) => v))),
    pick: fn(
      [M],
      M,
      (d, ...ks) => {
        const r = new GoMap(T_MAP_ANY);
        for (const k of ks) {
          const v = dictOf(d).get(k);
          if (v !== undefined) r.set(k, v);
        }
        return r;
      },
      { variadic: S },
    ),
    omit: fn(
      [M],
      M,
      (d, ...ks) => {
        const r = new GoMap(T_MAP_ANY);
        for (const [k, v] of dictOf(d).entries.values()) if (!ks.includes(k)) r.set(k, v);
        return r;
      },
      { variadic: S },
    ),
    merge: fn([M], A, (d, ...ss) => mergeAll(d, ss, false), { variadic: M }),
    mustMerge: fn([M], A, (d, ...ss) => mergeAll(d, ss, false), { variadic: M, err: true }),
    mergeOverwrite: fn([M], A, (d, ...ss) => mergeAll(d, ss, true), { variadic: M }),
    mustMergeOverwrite: fn([M], A, (d, ...ss) => mergeAll(d, ss, true), { variadic: M, err: true }),
    deepCopy: fn([A], A, (v) => deepCopy(v)),
    mustDeepCopy: fn([A], A, (v) => deepCopy(v), { err: true }),
    dig: fn(
      [],
      A,
      (...ps) => {
        if (ps.length < 3) fail("dig needs at least three arguments");
        let d: GoValue = ps[ps.length - 1]!;
        const def = ps[ps.length - 2]!;
        const keys = ps.slice(0, -2);
        for (let i = 0; i < keys.length; i++) {
          if (!(d instanceof GoMap) || d.type !== T_MAP_ANY)
            fail(`interface conversion: interface {} is ${d === null ? "nil" : kindOrPanic(d)}, not map[string]interface {}`);
          const k = keys[i]!;
          if (typeof k !== "string") fail(`interface conversion: interface {} is ${kindOrPanic(k)}, not string`);
          const step: GoValue | undefined = (d as GoMap).get(k);
          if (step === undefined) return def;
          if (i === keys.length - 1) return step;
          d = step;
        }
        return def;
      },
      { variadic: A, err: true },
    ),
  };
}

function mergeAll(d: GoValue, srcs: GoValue[], overwrite: boolean): GoValue {
  if (d === null) return new GoMap(T_MAP_ANY);
  for (const s of srcs) if (s !== null) mergeInto(d as GoMap, s as GoMap, overwrite);
  return d;
}

export { GoInt };
