/** sprig string functions. */
import { goQuote } from "../strconv/quote.js";
import { GoMap, type GoValue, T_STRING, mapOf } from "../template/value.js";
import { A, B, fn, I, listItems, newStringSlice, num, runtimePanic, S, SS, MSS, strval, fail } from "./helpers.js";
import type { FuncMap } from "../template/exec.js";
import { isSpaceRune as isSpace, title, toLower, toLowerRune, toTitleRune, toUpper, toUpperRune } from "../unicode/case.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string): Uint8Array => enc.encode(s);

/** Go s[lo:hi] on the UTF-8 bytes of s, with Go's panics. */
export function sliceBytes(s: string, lo: number | undefined, hi: number | undefined): string {
  const b = bytes(s);
  const l = lo ?? 0;
  const h = hi ?? b.length;
  if (hi !== undefined && (h < 0 || h > b.length)) runtimePanic(`slice bounds out of range [:${h}] with length ${b.length}`);
  if (l < 0 || l > h) runtimePanic(`slice bounds out of range [${l}:${h}]`);
  return dec.decode(b.slice(l, h));
}

const isSpaceRune = (c: string): boolean => isSpace(c.codePointAt(0)!);
const upperRune = (c: string): string => String.fromCodePoint(toUpperRune(c.codePointAt(0)!));
const lowerRune = (c: string): string => String.fromCodePoint(toLowerRune(c.codePointAt(0)!));

/** strings.TrimSpace */
function trimSpace(s: string): string {
  const r = [...s];
  let lo = 0;
  let hi = r.length;
  while (lo < hi && isSpaceRune(r[lo]!)) lo++;
  while (hi > lo && isSpaceRune(r[hi - 1]!)) hi--;
  return r.slice(lo, hi).join("");
}

function abbreviate(s: string, offset: number, maxWidth: number): string {
  const r = [...s];
  if (maxWidth < 4) return s;
  if (r.length <= maxWidth) return s;
  if (offset > r.length) offset = r.length;
  if (r.length - offset < maxWidth - 3) offset = r.length - (maxWidth - 3);
  const abrev = "...";
  if (offset <= 4) return r.slice(0, maxWidth - 3).join("") + abrev;
  if (maxWidth < 7) return s;
  if (offset + maxWidth - 3 < r.length) return abrev + abbreviate(r.slice(offset).join(""), 0, maxWidth - 3);
  return abrev + r.slice(r.length - (maxWidth - 3)).join("");
}

function initials(s: string): string {
  let out = "";
  let lastSpace = true;
  for (const ch of s) {
    if (isSpaceRune(ch)) lastSpace = true;
    else if (lastSpace) {
      out += ch;
      lastSpace = false;
    }
  }
  return out;
}

/** goutils.SwapCase: upper and title case lowered, lower case raised (to title case after a space). */
function swapcase(s: string): string {
  let out = "";
  let ws = true;
  for (const ch of s) {
    if (/^[\p{Lu}\p{Lt}]$/u.test(ch)) out += lowerRune(ch);
    else if (/^\p{Ll}$/u.test(ch)) out += ws ? String.fromCodePoint(toTitleRune(ch.codePointAt(0)!)) : upperRune(ch);
    else out += ch;
    ws = isSpaceRune(ch);
  }
  return out;
}

function wrapCustom(s: string, width: number, nl: string, wrapLong: boolean): string {
  if (s === "") return "";
  if (nl === "") nl = "\n";
  if (width < 1) width = 1;
  const r = [...s];
  let out = "";
  let offset = 0;
  while (r.length - offset > width) {
    if (r[offset] === " ") {
      offset++;
      continue;
    }
    const seg = r.slice(offset, offset + width + 1);
    let spaceAt = seg.lastIndexOf(" ");
    if (spaceAt >= 0) {
      out += r.slice(offset, offset + spaceAt).join("") + nl;
      offset += spaceAt + 1;
    } else if (wrapLong) {
      out += r.slice(offset, offset + width).join("") + nl;
      offset += width;
    } else {
      const rest = r.slice(offset + width);
      spaceAt = rest.indexOf(" ");
      if (spaceAt >= 0) {
        out += r.slice(offset, offset + width + spaceAt).join("") + nl;
        offset += width + spaceAt + 1;
      } else {
        out += r.slice(offset).join("");
        offset = r.length;
      }
    }
  }
  return out + r.slice(offset).join("");
}

const isConnector = (c: string): boolean => c === "-" || c === "_" || isSpaceRune(c);

function camelcase(s: string): string {
  const r = [...s];
  if (r.length === 0) return "";
  let out = "";
  let i = 0;
  let r0 = "";
  for (; i < r.length; i++) {
    r0 = r[i]!;
    if (!isConnector(r0)) {
      r0 = upperRune(r0);
      i++;
      break;
    }
    out += r0;
    if (i === r.length - 1) return out;
  }
  for (; i < r.length; i++) {
    const r1 = r0;
    r0 = r[i]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = upperRune(r0);
    else {
      r0 = lowerRune(r0);
      out += r1;
    }
  }
  return out + r0;
}

function toLowerWords(s: string, sep: string): string {
  const words = s
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1\u0000$2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1\u0000$2")
    .split(/[\s_\-\u0000]+/u)
    .filter((w) => w.length > 0);
  return words.map(toLower).join(sep);
}

function stringsSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === "") {
    const r = [...s];
    if (n < 0 || n >= r.length) return r;
    return [...r.slice(0, n - 1), r.slice(n - 1).join("")];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function splitMap(parts: string[]): GoMap {
  const m = new GoMap(mapOf(T_STRING, T_STRING));
  parts.forEach((p, i) => {
    m.set(`_${i}`, p);
  });
  return m;
}

function trimCutset(s: string, cutset: string, left: boolean, right: boolean): string {
  const set = new Set([...cutset]);
  const r = [...s];
  let a = 0;
  let b = r.length;
  if (left) while (a < b && set.has(r[a]!)) a++;
  if (right) while (b > a && set.has(r[b - 1]!)) b--;
  return r.slice(a, b).join("");
}

export function stringFuncs(): FuncMap {
  const n = (v: GoValue): number => Number(num(v));
  return {
    hello: fn([], S, () => "Hello!"),
    abbrev: fn([I, S], S, (w, s) => (n(w) < 4 ? (s as string) : abbreviate(s as string, 0, n(w)))),
    abbrevboth: fn([I, I, S], S, (l, r, s) => {
      if (n(r) < 4 || (n(l) > 0 && n(r) < 7)) return s as string;
      return abbreviate(s as string, n(l), n(r));
    }),
    trunc: fn([I, S], S, (c, s) => {
      const len = bytes(s as string).length;
      const k = n(c);
      if (k < 0 && len + k > 0) return sliceBytes(s as string, len + k, undefined);
      if (k >= 0 && len > k) return sliceBytes(s as string, 0, k);
      return s as string;
    }),
    trim: fn([S], S, (s) => trimSpace(s as string)),
    upper: fn([S], S, (s) => toUpper(s as string)),
    lower: fn([S], S, (s) => toLower(s as string)),
    title: fn([S], S, (s) => title(s as string)),
    untitle: fn([S], S, (s) => {
      let ws = true;
      let out = "";
      for (const ch of s as string) {
        out += ws ? lowerRune(ch) : ch;
        ws = isSpaceRune(ch);
      }
      return out;
    }),
    substr: fn([I, I, S], S, (a, b, s) => {
      const st = n(a);
      const en = n(b);
      const len = bytes(s as string).length;
      if (st < 0) return sliceBytes(s as string, 0, en);
      if (en < 0 || en > len) return sliceBytes(s as string, st, undefined);
      return sliceBytes(s as string, st, en);
    }),
    repeat: fn([I, S], S, (c, s) => {
      const k = n(c);
      if (k < 0) throw new Error("strings: negative Repeat count");
      if ((s as string).length * k > 1 << 20) fail("strings: Repeat output too large");
      return (s as string).repeat(k);
    }),
    trimall: fn([S, S], S, (a, b) => trimCutset(b as string, a as string, true, true)),
    trimAll: fn([S, S], S, (a, b) => trimCutset(b as string, a as string, true, true)),
    trimSuffix: fn([S, S], S, (a, b) =>
      (b as string).endsWith(a as string) && (a as string) !== "" ? (b as string).slice(0, -(a as string).length) : (b as string),
    ),
    trimPrefix: fn([S, S], S, (a, b) => ((b as string).startsWith(a as string) ? (b as string).slice((a as string).length) : (b as string))),
    nospace: fn([S], S, (s) => [...(s as string)].filter((c) => !isSpaceRune(c)).join("")),
    initials: fn([S], S, (s) => initials(s as string)),
    swapcase: fn([S], S, (s) => swapcase(s as string)),
    shuffle: fn([S], S, (s) => {
      const r = [...(s as string)];
      for (let i = r.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [r[i], r[j]] = [r[j]!, r[i]!];
      }
      return r.join("");
    }),
    snakecase: fn([S], S, (s) => toLowerWords(s as string, "_")),
    camelcase: fn([S], S, (s) => camelcase(s as string)),
    kebabcase: fn([S], S, (s) => toLowerWords(s as string, "-")),
    wrap: fn([I, S], S, (l, s) => wrapCustom(s as string, n(l), "\n", false)),
    wrapWith: fn([I, S, S], S, (l, sep, s) => wrapCustom(s as string, n(l), sep as string, true)),
    contains: fn([S, S], B, (a, b) => (b as string).includes(a as string)),
    hasPrefix: fn([S, S], B, (a, b) => (b as string).startsWith(a as string)),
    hasSuffix: fn([S, S], B, (a, b) => (b as string).endsWith(a as string)),
    quote: fn(
      [],
      S,
      (...a) =>
        a
          .filter((x) => x !== null)
          .map((x) => goQuote(strval(x)))
          .join(" "),
      { variadic: A },
    ),
    squote: fn(
      [],
      S,
      (...a) =>
        a
          .filter((x) => x !== null)
          .map((x) => `'${strval(x)}'`)
          .join(" "),
      { variadic: A },
    ),
    cat: fn(
      [],
      S,
      (...a) =>
        a
          .filter((x) => x !== null)
          .map((x) => strval(x))
          .join(" "),
      { variadic: A },
    ),
    indent: fn([I, S], S, (k, s) => {
      const pad = " ".repeat(Math.max(n(k), 0));
      return pad + (s as string).split("\n").join("\n" + pad);
    }),
    nindent: fn([I, S], S, (k, s) => {
      const pad = " ".repeat(Math.max(n(k), 0));
      return "\n" + pad + (s as string).split("\n").join("\n" + pad);
    }),
    replace: fn([S, S, S], S, (o, nw, src) => replaceAll(src as string, o as string, nw as string)),
    plural: fn([S, S, I], S, (one, many, c) => (n(c) === 1 ? one : many)),
    toString: fn([A], S, (v) => strval(v)),
    split: fn([S, S], MSS, (sep, s) => splitMap(stringsSplitN(s as string, sep as string, -1))),
    splitList: fn([S, S], SS, (sep, s) => newStringSlice(stringsSplitN(s as string, sep as string, -1))),
    splitn: fn([S, I, S], MSS, (sep, k, s) => splitMap(stringsSplitN(s as string, sep as string, n(k)))),
    toStrings: fn([A], SS, (v) => newStringSlice(strslice(v))),
    join: fn([S, A], S, (sep, v) => strslice(v).join(sep as string)),
    sortAlpha: fn([A], SS, (v) => {
      const items = listItems(v);
      if (!items) return newStringSlice([strval(v)]);
      return newStringSlice(strslice(v).sort(byteCompare));
    }),
  };
}

export function byteCompare(a: string, b: string): number {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return Buffer.compare(x, y);
}

function replaceAll(s: string, old: string, nw: string): string {
  if (old === "") {
    const r = [...s];
    return nw + r.map((c) => c + nw).join("");
  }
  return s.split(old).join(nw);
}

/** sprig strslice */
export function strslice(v: GoValue): string[] {
  if (v === null) return [];
  const items = listItems(v);
  if (items) {
    if (v !== null && typeof v === "object" && "type" in v && v.type.name === "[]string") return items as string[];
    return items.filter((x) => x !== null).map(strval);
  }
  return [strval(v)];
}
