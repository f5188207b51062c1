/** Go's fmt package, for the verbs templates use. */
import { formatFloat } from "../strconv/format-float.js";
import { canBackquote, goQuote, isPrint, quoteWith } from "../strconv/quote.js";
import { sortedEntries } from "./sort.js";
import { GoFunc, GoInt, GoMap, GoSlice, GoStruct, type GoValue, isUintKind, typeName, Uint8Bytes } from "./value.js";

export interface Flags {
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

export function newFlags(): Flags {
  return { plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false };
}

const runeLen = (s: string): number => [...s].length;

export function pad(f: Flags, s: string): string {
  if (f.wid === undefined) return s;
  const n = f.wid - runeLen(s);
  if (n <= 0) return s;
  if (f.minus) return s + " ".repeat(n);
  return (f.zero ? "0" : " ").repeat(n) + s;
}

// ---------- integers ----------
function fmtInteger(f: Flags, v: bigint, unsigned: boolean, verb: string): string {
  const neg = v < 0n;
  let a = neg ? -v : v;
  let digits: string;
  switch (verb) {
    case "d":
    case "v":
      digits = a.toString(10);
      break;
    case "b":
      digits = a.toString(2);
      break;
    case "o":
    case "O":
      digits = a.toString(8);
      break;
    case "x":
      digits = a.toString(16);
      break;
    case "X":
      digits = a.toString(16).toUpperCase();
      break;
    default:
      digits = a.toString(10);
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
    case "v":
    case "d":
    case "b":
    case "o":
    case "O":
    case "x":
    case "X":
      return fmtInteger(f, v, unsigned, verb);
    case "c":
      return pad(f, String.fromCodePoint(validRune(v)));
    case "q":
      return pad(f, quoteWith(String.fromCodePoint(validRune(v)), "'", f.plus));
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

/** fmt's pp.fmtFloat + fmt.fmtFloat. */
function fmtFloatArg(f: Flags, x: number, verb: string): string {
  let fverb: string;
  let prec: number;
  switch (verb) {
    case "v":
      fverb = "g";
      prec = -1;
      break;
    case "b":
    case "g":
    case "G":
    case "x":
    case "X":
      fverb = verb;
      prec = -1;
      break;
    case "f":
    case "e":
    case "E":
      fverb = verb;
      prec = 6;
      break;
    case "F":
      fverb = "f";
      prec = 6;
      break;
    default:
      return badVerb(verb, "float64", formatFloat(x, "g", -1));
  }
  if (f.prec !== undefined) prec = f.prec;
  let num = formatFloat(x, fverb, prec);
  if (num[0] !== "-" && num[0] !== "+") num = "+" + num;
  if (f.space && num[0] === "+" && !f.plus) num = " " + num.slice(1);
  if (num[1] === "I" || num[1] === "N") {
    const oldZero = f.zero;
    f.zero = false;
    if (num[1] === "N" && !f.space && !f.plus) num = num.slice(1);
    const r = pad(f, num);
    f.zero = oldZero;
    return r;
  }
  if (f.sharp && fverb !== "b") {
    let digits = 0;
    if (fverb === "v" || fverb === "g" || fverb === "G" || fverb === "x") digits = prec === -1 ? 6 : prec;
    let tail = "";
    let hasDecimalPoint = false;
    let sawNonzeroDigit = false;
    for (let i = 1; i < num.length; i++) {
      const c = num[i]!;
      if (c === ".") hasDecimalPoint = true;
      else if (c === "p" || c === "P") {
        tail += num.slice(i);
        num = num.slice(0, i);
      } else if ((c === "e" || c === "E") && fverb !== "x" && fverb !== "X") {
        tail += num.slice(i);
        num = num.slice(0, i);
      } else {
        if (c !== "0") sawNonzeroDigit = true;
        if (sawNonzeroDigit) digits--;
      }
    }
    if (!hasDecimalPoint) {
      if (num.length === 2 && num[1] === "0") digits--;
      num += ".";
    }
    while (digits > 0) {
      num += "0";
      digits--;
    }
    num += tail;
  }
  if (f.plus || num[0] !== "+") {
    if (f.zero && f.wid !== undefined && f.wid > num.length) return num[0] + "0".repeat(f.wid - num.length) + num.slice(1);
    return pad(f, num);
  }
  return pad(f, num.slice(1));
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
    case "s":
      return pad(f, truncate(f, s));
    case "q": {
      const t = truncate(f, s);
      if (f.sharp && canBackquote(t)) return pad(f, "`" + t + "`");
      return pad(f, quoteWith(t, '"', f.plus));
    }
    case "x":
    case "X":
      return pad(f, hexBytes(f, new TextEncoder().encode(truncate(f, s)), verb === "X"));
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
      case "v":
      case "s":
      case "x":
      case "X":
      case "q":
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
      case "v":
      case "s":
      case "x":
      case "X":
      case "q":
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
  if (f.sharpV && (v instanceof GoMap || v instanceof GoSlice) && v.nil) return `${v.type.name}(nil)`;
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
