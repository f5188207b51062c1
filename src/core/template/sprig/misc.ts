/** sprig math, conversion, reflection, defaults, encoding, hashes, paths, regex, semver, url. */
import { createHash } from "node:crypto";
import { compileGo, quoteMeta } from "../../regex/index.js";
import { newConstraint, newVersion, type Version } from "../../semver/index.js";
import type { FuncMap } from "../exec.js";
import { formatArg, sprint } from "../fmt.js";
import {
  deepEqual, GoInt, GoMap, GoStruct, type GoType, type GoValue, kindName, T_MAP_ANY, T_UINT64, typeName,
} from "../value.js";
import {
  A, B, castFloat64, castInt64, decimalArith, empty, F, fail, fn, goint, I, i64, I64, M, MSS, newStringSlice, num, S, SS, strval,
} from "./helpers.js";
import { marshal, unmarshal } from "./json.js";
import { parseGoIntLiteral } from "./parse-int.js";
import { pathBase, pathClean, pathDir, pathExt } from "./paths.js";

function decimalOp(a: GoValue, bs: GoValue[], op: (x: number, y: number) => number): number {
  let acc = castFloat64(a);
  for (const b of bs) acc = op(acc, castFloat64(b));
  return acc;
}

function mustCompile(re: string): ReturnType<typeof compileGo> {
  try {
    return compileGo(re);
  } catch (e) {
    return fail(`regexp: Compile(${/^[^`\x00-\x08\x0a-\x1f\x7f\ufeff]*$/.test(re) ? "`" + re + "`" : formatArg(re, "q")}): ${(e as Error).message}`);
  }
}
function compileOrErr(re: string): ReturnType<typeof compileGo> {
  try {
    return compileGo(re);
  } catch (e) {
    return fail((e as Error).message);
  }
}

const T_VERSION: GoType = {
  kind: "ptr", name: "*semver.Version", named: false,
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

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const b32alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function b32enc(data: Uint8Array): string {
  let out = "";
  let bits = 0;
  let val = 0;
  for (const x of data) {
    val = (val << 8) | x;
    bits += 8;
    while (bits >= 5) {
      out += b32alpha[(val >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += b32alpha[(val << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += "=";
  return out;
}
function b32dec(s: string): string {
  if (s.length % 8 !== 0) {
    return `illegal base32 data at input byte ${Math.floor(s.length / 8) * 8}`;
  }
  let bits = 0;
  let val = 0;
  const out: number[] = [];
  const body = s.replace(/=+$/, "");
  for (let i = 0; i < body.length; i++) {
    const k = b32alpha.indexOf(body[i]!);
    if (k < 0) return `illegal base32 data at input byte ${i}`;
    val = ((val << 5) | k) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((val >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return new TextDecoder().decode(Uint8Array.from(out));
}
function b64dec(s: string): string {
  const clean = s.replace(/[\r\n]/g, "");
  const bad = clean.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return `illegal base64 data at input byte ${bad}`;
  if (clean.length % 4 !== 0) return `illegal base64 data at input byte ${clean.length - (clean.length % 4)}`;
  const pad = clean.indexOf("=");
  if (pad >= 0 && !/^=*$/.test(clean.slice(pad))) return `illegal base64 data at input byte ${pad}`;
  return Buffer.from(clean, "base64").toString("utf8");
}

const hash = (alg: string) => (s: GoValue): string => createHash(alg).update(s as string, "utf8").digest("hex");

export function miscFuncs(): FuncMap {
  const round = (a: GoValue, p: GoValue, ...opt: GoValue[]): number => {
    const roundOn = opt.length > 0 ? (opt[0] as number) : 0.5;
    const val = castFloat64(a);
    const pow = Math.pow(10, Number(num(p)));
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
      const n = parseGoIntLiteral(s.replace(/^([+-]?)/, "$10o"));
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
    divf: fn([A], F, (a, ...v) => decimalOp(a, v, (x, y) => {
      if (y === 0) throw new Error("decimal division by 0");
      return x / y;
    }), { variadic: A }),
    mulf: fn([A], F, (a, ...v) => decimalOp(a, v, (x, y) => decimalArith(x, y, "*")), { variadic: A }),
    biggest: fn([A], I64, (a, ...v) => i64(v.reduce<bigint>((m, x) => (castInt64(x) > m ? castInt64(x) : m), castInt64(a))), { variadic: A }),
    max: fn([A], I64, (a, ...v) => i64(v.reduce<bigint>((m, x) => (castInt64(x) > m ? castInt64(x) : m), castInt64(a))), { variadic: A }),
    min: fn([A], I64, (a, ...v) => i64(v.reduce<bigint>((m, x) => (castInt64(x) < m ? castInt64(x) : m), castInt64(a))), { variadic: A }),
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
    // encoding & hashes
    b64enc: fn([S], S, (s) => Buffer.from(s as string, "utf8").toString("base64")),
    b64dec: fn([S], S, (s) => b64dec(s as string)),
    b32enc: fn([S], S, (s) => b32enc(new TextEncoder().encode(s as string))),
    b32dec: fn([S], S, (s) => b32dec(s as string)),
    sha1sum: fn([S], S, hash("sha1")),
    sha256sum: fn([S], S, hash("sha256")),
    sha512sum: fn([S], S, hash("sha512")),
    adler32sum: fn([S], S, (s) => String(adler32(new TextEncoder().encode(s as string)))),
    // paths
    base: fn([S], S, (s) => pathBase(s as string)),
    dir: fn([S], S, (s) => pathDir(s as string)),
    clean: fn([S], S, (s) => pathClean(s as string)),
    ext: fn([S], S, (s) => pathExt(s as string)),
    isAbs: fn([S], B, (s) => (s as string).startsWith("/")),
    osBase: fn([S], S, (s) => pathBase(s as string)),
    osDir: fn([S], S, (s) => pathDir(s as string)),
    osClean: fn([S], S, (s) => pathClean(s as string)),
    osExt: fn([S], S, (s) => pathExt(s as string)),
    osIsAbs: fn([S], B, (s) => (s as string).startsWith("/")),
    // regex
    regexMatch: fn([S, S], B, (re, s) => {
      try {
        return compileGo(re as string).matchString(s as string);
      } catch {
        return false;
      }
    }),
    mustRegexMatch: fn([S, S], B, (re, s) => compileOrErr(re as string).matchString(s as string), { err: true }),
    regexFindAll: fn([S, S, I], SS, (re, s, n) => newStringSlice(mustCompile(re as string).findAllString(s as string, Number(num(n))) ?? [])),
    mustRegexFindAll: fn([S, S, I], SS, (re, s, n) => newStringSlice(compileOrErr(re as string).findAllString(s as string, Number(num(n))) ?? []), { err: true }),
    regexFind: fn([S, S], S, (re, s) => mustCompile(re as string).findString(s as string)),
    mustRegexFind: fn([S, S], S, (re, s) => compileOrErr(re as string).findString(s as string), { err: true }),
    regexReplaceAll: fn([S, S, S], S, (re, s, r) => mustCompile(re as string).replaceAllString(s as string, r as string)),
    mustRegexReplaceAll: fn([S, S, S], S, (re, s, r) => compileOrErr(re as string).replaceAllString(s as string, r as string), { err: true }),
    regexReplaceAllLiteral: fn([S, S, S], S, (re, s, r) => mustCompile(re as string).replaceAllLiteralString(s as string, r as string)),
    mustRegexReplaceAllLiteral: fn([S, S, S], S, (re, s, r) => compileOrErr(re as string).replaceAllLiteralString(s as string, r as string), { err: true }),
    regexSplit: fn([S, S, I], SS, (re, s, n) => newStringSlice(mustCompile(re as string).split(s as string, Number(num(n))))),
    mustRegexSplit: fn([S, S, I], SS, (re, s, n) => newStringSlice(compileOrErr(re as string).split(s as string, Number(num(n)))), { err: true }),
    regexQuoteMeta: fn([S], S, (s) => quoteMeta(s as string)),
    // semver
    semver: fn([S], T_VERSION, (s) => semverOf(s as string), { err: true }),
    semverCompare: fn([S, S], B, (c, v) => {
      let cs;
      try {
        cs = newConstraint(c as string);
      } catch (e) {
        return fail((e as Error).message);
      }
      let ver;
      try {
        ver = newVersion(v as string);
      } catch (e) {
        return fail((e as Error).message);
      }
      return cs.check(ver);
    }, { err: true }),
    // url
    urlParse: fn([S], M, (s) => urlParse(s as string)),
    urlJoin: fn([M], S, (d) => urlJoin(d as GoMap)),
  };
}

function urlParse(s: string): GoMap {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/(?:([^@/?#]*)@)?([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(s);
  if (!m) return fail(`unable to parse url: parse ${JSON.stringify(s)}: invalid URL`);
  const d = new GoMap(T_MAP_ANY);
  const host = m[3] ?? "";
  d.set("scheme", m[1] ?? "");
  d.set("host", host);
  d.set("hostname", host.replace(/:\d*$/, "").replace(/^\[(.*)\]$/, "$1"));
  d.set("path", decodeURIComponentSafe(m[4] ?? ""));
  d.set("query", m[5] ?? "");
  d.set("opaque", "");
  d.set("fragment", m[6] !== undefined ? decodeURIComponentSafe(m[6]) : "");
  d.set("userinfo", m[2] ?? "");
  return d;
}
function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
function urlJoin(d: GoMap): string {
  const get = (k: string): string => {
    const v = d.get(k);
    if (v === undefined) return "";
    if (typeof v !== "string") fail(`unable to parse ${k} key, must be of type string, but ${kindName(v)} found`);
    return v as string;
  };
  let out = "";
  const scheme = get("scheme");
  if (scheme) out += scheme + ":";
  const host = get("host");
  const user = get("userinfo");
  if (scheme || host || user) {
    out += "//";
    if (user) out += user + "@";
    out += host;
  }
  let path = get("path");
  if (path && !path.startsWith("/") && host) path = "/" + path;
  out += encodeURI(path).replace(/%25/g, "%");
  const q = get("query");
  if (q) out += "?" + q;
  const f = get("fragment");
  if (f) out += "#" + encodeURI(f);
  return out;
}

export { MSS, M, I64 };
