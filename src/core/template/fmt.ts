/** Go's fmt package, for the verbs templates use. */
import { formatFloat } from "./gofloat.js";
import { sortedEntries } from "./sort.js";
import {
  GoFunc, GoInt, GoMap, GoSlice, GoStruct, type GoValue, isUintKind, typeName, Uint8Bytes,
} from "./value.js";

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid?: number;
  prec?: number;
}

function newFlags(): Flags {
  return { plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false };
}

const runeLen = (s: string): number => [...s].length;

function pad(f: Flags, s: string): string {
  if (f.wid === undefined) return s;
  const n = f.wid - runeLen(s);
  if (n <= 0) return s;
  if (f.minus) return s + " ".repeat(n);
  return (f.zero ? "0" : " ").repeat(n) + s;
}

// ---------- strconv.Quote ----------
function isPrint(ch: string): boolean {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch);
}

export function quoteWith(s: string, q: string, asciiOnly: boolean): string {
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === "\\") {
      out += "\\" + ch;
      continue;
    }
    if (c === 0xfffd && ch === "\uFFFD") {
      out += asciiOnly ? "\\ufffd" : ch;
      continue;
    }
    if (asciiOnly ? c < 0x7f && isPrint(ch) : isPrint(ch)) {
      out += ch;
      continue;
    }
    switch (ch) {
      case "\x07": out += "\\a"; continue;
      case "\b": out += "\\b"; continue;
      case "\f": out += "\\f"; continue;
      case "\n": out += "\\n"; continue;
      case "\r": out += "\\r"; continue;
      case "\t": out += "\\t"; continue;
      case "\v": out += "\\v"; continue;
    }
    if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd";
    else if (c < 0x10000) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += "\\U" + c.toString(16).padStart(8, "0");
  }
  return out + q;
}

export function goQuote(s: string): string {
  return quoteWith(s, '"', false);
}

function canBackquote(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "`" || ch === "\uFEFF") return false;
    if (c < 0x20 && ch !== "\t") return false;
    if (c === 0x7f) return false;
  }
  return true;
}

// ---------- integers ----------
function fmtInteger(f: Flags, v: bigint, unsigned: boolean, verb: string): string {
  const neg = v < 0n;
  let a = neg ? -v : v;
  let digits: string;
  switch (verb) {
    case "d": case "v": digits = a.toString(10); break;
    case "b": digits = a.toString(2); break;
    case "o": case "O": digits = a.toString(8); break;
    case "x": digits = a.toString(16); break;
    case "X": digits = a.toString(16).toUpperCase(); break;
    default: digits = a.toString(10);
  }
  if (f.prec !== undefined) {
    if (f.prec === 0 && a === 0n) digits = "";
    digits = digits.padStart(f.prec, "0");
  } else if (f.zero && f.wid !== undefined && !f.minus) {
    let w = f.wid;
    if (neg || f.plus || f.space) w--;
    if (f.sharp && (verb === "x" || verb === "X")) w -= 2;
    if (verb === "O" || (f.sharp && verb === "b")) w -= 2;
    if (f.sharp && verb === "o" && !digits.startsWith("0")) w -= 1;
    digits = digits.padStart(w, "0");
  }
  if (f.sharp) {
    if (verb === "x") digits = "0x" + digits;
    else if (verb === "X") digits = "0X" + digits;
    else if (verb === "b") digits = "0b" + digits;
    else if (verb === "o" && !digits.startsWith("0")) digits = "0" + digits;
  }
  if (verb === "O") digits = "0o" + digits;
  if (neg) digits = "-" + digits;
  else if (f.plus) digits = "+" + digits;
  else if (f.space) digits = " " + digits;
  void unsigned;
  a = 0n;
  const save = f.zero;
  f.zero = false;
  const out = pad(f, digits);
  f.zero = save;
  return out;
}

function fmtIntArg(f: Flags, v: bigint, unsigned: boolean, verb: string, tname: string, shown: string): string {
  switch (verb) {
    case "v": case "d": case "b": case "o": case "O": case "x": case "X":
      return fmtInteger(f, v, unsigned, verb);
    case "c": return pad(f, String.fromCodePoint(validRune(v)));
    case "q": return pad(f, quoteWith(String.fromCodePoint(validRune(v)), "'", f.plus));
    case "U": {
      let s = "U+" + v.toString(16).toUpperCase().padStart(4, "0");
      if (f.sharp && v >= 0n && v <= 0x10ffffn && isPrint(String.fromCodePoint(Number(v)))) {
        s += ` '${String.fromCodePoint(Number(v))}'`;
      }
      return pad(f, s);
    }
  }
  return badVerb(verb, tname, shown);
}

function validRune(v: bigint): number {
  if (v < 0n || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn)) return 0xfffd;
  return Number(v);
}

function fmtFloatArg(f: Flags, x: number, verb: string): string {
  let s: string;
  switch (verb) {
    case "v": s = formatFloat(x, "g", f.prec ?? -1); break;
    case "e": case "E": case "f": case "F": s = formatFloat(x, verb, f.prec ?? 6); break;
    case "g": case "G": s = formatFloat(x, verb, f.prec ?? -1); break;
    default: return badVerb(verb, "float64", formatFloat(x, "g", -1));
  }
  if (f.sharp && verb !== "v" && !s.includes(".") && Number.isFinite(x)) {
    const e = s.search(/[eE]/);
    s = e >= 0 ? s.slice(0, e) + "." + s.slice(e) : s + ".";
  }
  if (!s.startsWith("-") && !s.startsWith("+")) {
    if (f.plus) s = "+" + s;
    else if (f.space) s = " " + s;
  } else if (s.startsWith("+") && !f.plus) {
    s = f.space ? " " + s.slice(1) : s.slice(1);
  }
  if (f.zero && !f.minus && f.wid !== undefined && Number.isFinite(x)) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : "";
    const body = sign ? s.slice(1) : s;
    const n = f.wid - runeLen(s);
    return n > 0 ? sign + "0".repeat(n) + body : s;
  }
  const save = f.zero;
  f.zero = false;
  const out = pad(f, s);
  f.zero = save;
  return out;
}

function hexBytes(f: Flags, b: Uint8Array, upper: boolean): string {
  const parts: string[] = [];
  for (const x of b) {
    let h = x.toString(16).padStart(2, "0");
    if (upper) h = h.toUpperCase();
    if (f.sharp && (f.space || parts.length === 0)) h = (upper ? "0X" : "0x") + h;
    parts.push(h);
  }
  return parts.join(f.space ? " " : "");
}

function fmtString(f: Flags, s: string, verb: string): string {
  switch (verb) {
    case "v":
      if (f.sharpV) return pad(f, goQuote(s));
      return pad(f, truncate(f, s));
    case "s": return pad(f, truncate(f, s));
    case "q": {
      const t = truncate(f, s);
      if (f.sharp && canBackquote(t)) return pad(f, "`" + t + "`");
      return pad(f, quoteWith(t, '"', f.plus));
    }
    case "x": case "X": return pad(f, hexBytes(f, new TextEncoder().encode(truncate(f, s)), verb === "X"));
  }
  return badVerb(verb, "string", s);
}

function truncate(f: Flags, s: string): string {
  if (f.prec === undefined) return s;
  return [...s].slice(0, f.prec).join("");
}

function badVerb(verb: string, tname: string, shown: string): string {
  return `%!${verb}(${tname}=${shown})`;
}

/** Formats one operand for a verb (fmt's printArg). */
export function formatArg(v: GoValue, verb: string, f: Flags = newFlags(), depth = 0): string {
  if (v === null) {
    if (verb === "T" || verb === "v") return pad(f, "<nil>");
    return `%!${verb}(<nil>)`;
  }
  if (verb === "T") return pad(f, typeName(v));
  if (verb === "p") return `%!p(${typeName(v)}=${formatArg(v, "v")})`;
  if (typeof v === "boolean") {
    if (verb === "t" || verb === "v") return pad(f, String(v));
    return badVerb(verb, "bool", String(v));
  }
  if (typeof v === "number") return fmtFloatArg(f, v, verb);
  if (typeof v === "string") return fmtString(f, v, verb);
  if (f.sharpV && (v instanceof GoInt || v instanceof GoStruct) && v.type.goString) return pad(f, v.type.goString(v));
  if (v instanceof GoInt && v.type.intStringer && !f.sharpV) {
    switch (verb) {
      case "v": case "s": case "x": case "X": case "q":
        return fmtString(f, v.type.intStringer(v), verb);
    }
  }
  if (v instanceof GoInt) {
    return fmtIntArg(f, v.v, isUintKind(v.type.kind), verb, v.type.name, v.v.toString());
  }
  if (v instanceof Uint8Bytes) {
    if (verb === "s" || verb === "q" || verb === "x" || verb === "X") {
      return fmtString(f, new TextDecoder().decode(v.bytes), verb);
    }
  }
  // methods: Stringer
  if (v instanceof GoStruct && v.type.stringer && !f.sharpV) {
    switch (verb) {
      case "v": case "s": case "x": case "X": case "q":
        return fmtString(f, v.type.stringer(v), verb);
    }
  }
  return printValue(v, verb, f, depth);
}

function printValue(v: GoValue, verb: string, f: Flags, depth: number): string {
  if (depth > 0 && v !== null && typeof v !== "object") return formatArg(v, verb, f, depth);
  if (depth > 0 && (v instanceof GoInt || v instanceof GoStruct)) {
    if (v instanceof GoInt || (v.type.stringer && !f.sharpV) || (v.type.goString && f.sharpV)) return formatArg(v, verb, f, depth);
  }
  if (v === null) return f.sharpV ? "interface {}(nil)" : "<nil>";
  if (v instanceof GoMap) {
    const parts = sortedEntries(v).map(([k, x]) => `${elem(k, verb, f, depth)}:${elem(x, verb, f, depth)}`);
    if (f.sharpV) return `${v.type.name}{${parts.join(", ")}}`;
    return `map[${parts.join(" ")}]`;
  }
  if (v instanceof GoStruct) {
    const fields = v.type.fields ?? [];
    const parts = v.values.map((x, i) => {
      const name = f.plusV || f.sharpV ? `${fields[i]!.name}:` : "";
      return name + elem(x, verb, f, depth);
    });
    return f.sharpV ? `${v.type.name}{${parts.join(", ")}}` : `{${parts.join(" ")}}`;
  }
  if (v instanceof GoSlice || v instanceof Uint8Bytes) {
    const items: GoValue[] = v instanceof GoSlice ? v.items : [...v.bytes].map((b) => new GoInt(BigInt(b), { kind: "uint8", name: "uint8", named: false }));
    const tname = v instanceof GoSlice ? v.type.name : "[]uint8";
    if (f.sharpV) return `${tname}{${items.map((x) => elem(x, verb, f, depth)).join(", ")}}`;
    return `[${items.map((x) => elem(x, verb, f, depth)).join(" ")}]`;
  }
  if (v instanceof GoFunc) return "0x0";
  return formatArg(v, verb, f, depth);
}

function elem(x: GoValue, verb: string, f: Flags, depth: number): string {
  if (x === null) return f.sharpV ? "interface {}(nil)" : "<nil>";
  if (f.sharpV && typeof x === "string") return goQuote(x);
  return printValue(x, verb, f, depth + 1);
}

/** fmt.Sprint */
export function sprint(args: GoValue[]): string {
  let out = "";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const isStr = typeof a === "string";
    if (i > 0 && !isStr && typeof args[i - 1] !== "string") out += " ";
    out += formatArg(a, "v");
  }
  return out;
}

/** fmt.Sprintln */
export function sprintln(args: GoValue[]): string {
  return args.map((a) => formatArg(a, "v")).join(" ") + "\n";
}

function parseNum(s: string, i: number): [number | undefined, number] {
  let n: number | undefined;
  while (i < s.length && s[i]! >= "0" && s[i]! <= "9") {
    n = (n ?? 0) * 10 + (s.charCodeAt(i) - 48);
    if (n > 1e6) return [undefined, i];
    i++;
  }
  return [n, i];
}

/** fmt.Sprintf (no explicit argument indexes). */
export function sprintf(format: string, args: GoValue[]): string {
  let out = "";
  let argNum = 0;
  let i = 0;
  const end = format.length;
  while (i < end) {
    const j = format.indexOf("%", i);
    if (j < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, j);
    i = j + 1;
    const f = newFlags();
    for (; i < end; i++) {
      const c = format[i];
      if (c === "#") f.sharp = true;
      else if (c === "0") f.zero = !f.minus;
      else if (c === "+") f.plus = true;
      else if (c === "-") { f.minus = true; f.zero = false; }
      else if (c === " ") f.space = true;
      else break;
    }
    if (format[i] === "*") {
      i++;
      const a = args[argNum++];
      if (a instanceof GoInt) {
        f.wid = Number(a.v);
        if (f.wid < 0) { f.minus = true; f.zero = false; f.wid = -f.wid; }
      } else out += "%!(BADWIDTH)";
    } else {
      [f.wid, i] = parseNum(format, i);
    }
    if (format[i] === ".") {
      i++;
      if (format[i] === "*") {
        i++;
        const a = args[argNum++];
        if (a instanceof GoInt && a.v >= 0n) f.prec = Number(a.v);
        else out += "%!(BADPREC)";
      } else {
        [f.prec, i] = parseNum(format, i);
        if (f.prec === undefined) f.prec = 0;
      }
    }
    if (i >= end) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if (verb === "v") {
      f.sharpV = f.sharp;
      f.sharp = false;
      f.plusV = f.plus;
      f.plus = false;
    }
    out += formatArg(args[argNum++]!, verb, f);
  }
  if (argNum < args.length) {
    out += "%!(EXTRA " + args.slice(argNum).map((a) => (a === null ? "<nil>" : `${typeName(a)}=${formatArg(a, "v")}`)).join(", ") + ")";
  }
  return out;
}
