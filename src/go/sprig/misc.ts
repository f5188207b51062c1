/** sprig math, type conversion, defaults, JSON and reflection functions. */
import type { FuncMap } from "../template/exec.js";
import { sprint } from "../template/fmt.js";
import { deepEqual, type GoValue, kindName, typeName } from "../template/value.js";
import { A, B, castFloat64, castInt64, decimalArith, empty, F, fail, fn, goint, I, i64, I64, num, S } from "./helpers.js";
import { marshal, unmarshal } from "./json.js";
import { parseGoInt } from "../strconv/parse-int.js";

const bigMax = (a: bigint, b: bigint): bigint => (b > a ? b : a);
const bigMin = (a: bigint, b: bigint): bigint => (b < a ? b : a);

function decimalOp(a: GoValue, bs: GoValue[], op: (x: number, y: number) => number): number {
  let acc = castFloat64(a);
  for (const b of bs) acc = op(acc, castFloat64(b));
  return acc;
}

export function miscFuncs(): FuncMap {
  const round = (a: GoValue, p: GoValue, ...opt: GoValue[]): number => {
    const roundOn = opt.length > 0 ? (opt[0] as number) : 0.5;
    const val = castFloat64(a);
    const pow = 10 ** Number(num(p));
    const digit = pow * val;
    const frac = digit - Math.trunc(digit);
    const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
    return r / pow;
  };
  const divI = (a: bigint, b: bigint, op: "/" | "%"): GoValue => {
    if (b === 0n) throw new Error("runtime error: integer divide by zero");
    return i64(op === "/" ? a / b : a % b);
  };
  return {
    atoi: fn([S], I, (s) => {
      const t = s as string;
      if (!/^[+-]?\d+$/.test(t)) return goint(0);
      const v = BigInt(t);
      return goint(v >= 2n ** 63n || v < -(2n ** 63n) ? 0n : v);
    }),
    int64: fn([A], I64, (v) => i64(castInt64(v))),
    int: fn([A], I, (v) => goint(castInt64(v))),
    float64: fn([A], F, (v) => castFloat64(v)),
    toDecimal: fn([A], I64, (v) => {
      const s = sprint([v]);
      if (!/^[+-]?[0-7]+$/.test(s)) return i64(0n);
      const n = parseGoInt(s.replace(/^([+-]?)/, "$10o"));
      return i64(n === undefined || n >= 2n ** 63n || n < -(2n ** 63n) ? 0n : n);
    }),
    add1: fn([A], I64, (v) => i64(castInt64(v) + 1n)),
    add: fn([], I64, (...v) => i64(v.reduce<bigint>((s, x) => BigInt.asIntN(64, s + castInt64(x)), 0n)), { variadic: A }),
    sub: fn([A, A], I64, (a, b) => i64(castInt64(a) - castInt64(b))),
    div: fn([A, A], I64, (a, b) => divI(castInt64(a), castInt64(b), "/")),
    mod: fn([A, A], I64, (a, b) => divI(castInt64(a), castInt64(b), "%")),
    mul: fn([A], I64, (a, ...v) => i64(v.reduce<bigint>((s, x) => BigInt.asIntN(64, s * castInt64(x)), castInt64(a))), { variadic: A }),
    randInt: fn([I, I], I, (a, b) => {
      const span = Number(num(b) - num(a));
      if (span <= 0) fail("invalid argument to Intn");
      return goint(BigInt(Math.floor(Math.random() * span)) + num(a));
    }),
    add1f: fn([A], F, (v) => decimalOp(v, [1], (x, y) => decimalArith(x, y, "+"))),
    addf: fn([], F, (...v) => decimalOp(0, v, (x, y) => decimalArith(x, y, "+")), { variadic: A }),
    subf: fn([A], F, (a, ...v) => decimalOp(a, v, (x, y) => decimalArith(x, y, "-")), { variadic: A }),
    divf: fn(
      [A],
      F,
      (a, ...v) =>
        decimalOp(a, v, (x, y) => {
          if (y === 0) throw new Error("decimal division by 0");
          return x / y;
        }),
      { variadic: A },
    ),
    mulf: fn([A], F, (a, ...v) => decimalOp(a, v, (x, y) => decimalArith(x, y, "*")), { variadic: A }),
    biggest: fn([A], I64, (a, ...v) => i64(v.reduce<bigint>((m, x) => bigMax(m, castInt64(x)), castInt64(a))), { variadic: A }),
    max: fn([A], I64, (a, ...v) => i64(v.reduce<bigint>((m, x) => bigMax(m, castInt64(x)), castInt64(a))), { variadic: A }),
    min: fn([A], I64, (a, ...v) => i64(v.reduce<bigint>((m, x) => bigMin(m, castInt64(x)), castInt64(a))), { variadic: A }),
    maxf: fn([A], F, (a, ...v) => v.reduce<number>((m, x) => Math.max(m, castFloat64(x)), castFloat64(a)), { variadic: A }),
    minf: fn([A], F, (a, ...v) => v.reduce<number>((m, x) => Math.min(m, castFloat64(x)), castFloat64(a)), { variadic: A }),
    ceil: fn([A], F, (a) => Math.ceil(castFloat64(a))),
    floor: fn([A], F, (a) => Math.floor(castFloat64(a))),
    round: fn([A, I], F, round, { variadic: F }),
    // defaults
    default: fn([A], A, (d, ...g) => (g.length === 0 || empty(g[0]!) ? d : g[0]!), { variadic: A }),
    empty: fn([A], B, (v) => empty(v)),
    coalesce: fn([], A, (...v) => v.find((x) => !empty(x)) ?? null, { variadic: A }),
    all: fn([], B, (...v) => v.every((x) => !empty(x)), { variadic: A }),
    any: fn([], B, (...v) => v.some((x) => !empty(x)), { variadic: A }),
    ternary: fn([A, A, B], A, (t, f, c) => (c ? t : f)),
    fail: fn([S], S, (msg) => fail(msg as string), { err: true }),
    fromJson: fn([S], A, (s) => {
      try {
        return unmarshal(s as string);
      } catch {
        return null;
      }
    }),
    mustFromJson: fn([S], A, (s) => unmarshal(s as string), { err: true }),
    toJson: fn([A], S, (v) => {
      try {
        return marshal(v, true, undefined);
      } catch {
        return "";
      }
    }),
    mustToJson: fn([A], S, (v) => marshal(v, true, undefined), { err: true }),
    toPrettyJson: fn([A], S, (v) => {
      try {
        return marshal(v, true, "  ");
      } catch {
        return "";
      }
    }),
    mustToPrettyJson: fn([A], S, (v) => marshal(v, true, "  "), { err: true }),
    toRawJson: fn([A], S, (v) => marshal(v, false, undefined)),
    mustToRawJson: fn([A], S, (v) => marshal(v, false, undefined), { err: true }),
    // reflection
    typeOf: fn([A], S, (v) => typeName(v)),
    typeIs: fn([S, A], B, (t, v) => t === typeName(v)),
    typeIsLike: fn([S, A], B, (t, v) => t === typeName(v) || `*${t}` === typeName(v)),
    kindOf: fn([A], S, (v) => kindName(v)),
    kindIs: fn([S, A], B, (t, v) => t === kindName(v)),
    deepEqual: fn([A, A], B, (a, b) => deepEqual(a, b)),
  };
}
