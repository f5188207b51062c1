/** encoding/json Marshal/Unmarshal over the Go value model. */
import { formatFloat } from "../strconv/format-float.js";
import { sortedEntries } from "../template/sort.js";
import { GoFunc, GoInt, GoMap, GoSlice, GoStruct, type GoValue, T_MAP_ANY, Uint8Bytes } from "../template/value.js";
import { newAnySlice, strval } from "./helpers.js";

function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20) out += "\\u00" + c.toString(16).padStart(2, "0");
    else if (escapeHTML && (ch === "<" || ch === ">" || ch === "&")) out += "\\u00" + c.toString(16).padStart(2, "0");
    else if (c === 0x2028 || c === 0x2029) out += "\\u" + c.toString(16);
    else if (c >= 0xd800 && c <= 0xdfff) out += "\ufffd";
    else out += ch;
  }
  return out + '"';
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${formatFloat(f, "g", -1)}`);
  const a = Math.abs(f);
  let fmt = "f";
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) fmt = "e";
  let s = formatFloat(f, fmt, -1);
  if (fmt === "e") {
    const n = s.length;
    if (n >= 4 && s[n - 4] === "e" && s[n - 3] === "-" && s[n - 2] === "0") s = s.slice(0, n - 2) + s.slice(n - 1);
  }
  return s;
}

export function marshal(v: GoValue, escapeHTML: boolean, indent: string | undefined, level = 0): string {
  const nl = (l: number): string => (indent === undefined ? "" : "\n" + indent.repeat(l));
  const colon = indent === undefined ? ":" : ": ";
  if (v === null) return "null";
  if (typeof v === "string") return jsonString(v, escapeHTML);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return jsonFloat(v);
  if ((v instanceof GoInt || v instanceof GoStruct) && v.type.jsonText) return v.type.jsonText(v);
  if (v instanceof GoInt) return v.v.toString();
  if (v instanceof Uint8Bytes) return `"${Buffer.from(v.bytes).toString("base64")}"`;
  if ((v instanceof GoSlice || v instanceof GoMap) && v.nil) return "null";
  if (v instanceof GoSlice) {
    if (v.items.length === 0) return "[]";
    return "[" + v.items.map((x) => nl(level + 1) + marshal(x, escapeHTML, indent, level + 1)).join(",") + nl(level) + "]";
  }
  if (v instanceof GoMap) {
    const kt = v.type.key!.kind;
    if (kt !== "string" && !kt.startsWith("int") && !kt.startsWith("uint")) throw new Error(`json: unsupported type: ${v.type.name}`);
    if (v.size === 0) return "{}";
    const entries = sortedEntries(v)
      .map(([k, x]) => [strval(k), x] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return (
      "{" + entries.map(([k, x]) => nl(level + 1) + jsonString(k, escapeHTML) + colon + marshal(x, escapeHTML, indent, level + 1)).join(",") + nl(level) + "}"
    );
  }
  if (v instanceof GoStruct) {
    if (v.type.kind === "ptr" && v.type.stringer) return jsonString(v.type.stringer(v), escapeHTML);
    const fields = flattenFields(v);
    if (fields.length === 0) return "{}";
    return (
      "{" + fields.map(([k, x]) => nl(level + 1) + jsonString(k, escapeHTML) + colon + marshal(x, escapeHTML, indent, level + 1)).join(",") + nl(level) + "}"
    );
  }
  if (v instanceof GoFunc) throw new Error(`json: unsupported type: ${v.sig.result.name}`);
  return "null";
}

function flattenFields(v: GoStruct): Array<[string, GoValue]> {
  const out: Array<[string, GoValue]> = [];
  (v.type.fields ?? []).forEach((f, i) => {
    const x = v.values[i]!;
    if (f.embedded && x instanceof GoStruct) out.push(...flattenFields(x));
    else if (/^\p{Lu}/u.test(f.name) && !(f.omitEmpty && x === "")) out.push([f.json ?? f.name, x]);
  });
  return out;
}

/** json.Unmarshal into interface{}; throws Go-like syntax errors. */
export function unmarshal(s: string): GoValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch (e) {
    if (s.trim() === "") throw new Error("unexpected end of JSON input");
    throw new Error(goJsonError(s, e));
  }
  return fromJS(parsed);
}

function goJsonError(s: string, e: unknown): string {
  const t = /Unexpected token '?(.)'?/.exec(String(e));
  if (t && !/position/.test(String(e))) return `invalid character '${t[1]}' looking for beginning of value`;
  const m = /position (\d+)/.exec(String(e));
  if (m) {
    const i = Number(m[1]);
    const ch = s[i];
    if (ch !== undefined) return `invalid character '${ch}' looking for beginning of value`;
  }
  return "unexpected end of JSON input";
}

function fromJS(x: unknown): GoValue {
  if (x === null) return null;
  if (typeof x === "string" || typeof x === "boolean" || typeof x === "number") return x;
  if (Array.isArray(x)) return newAnySlice(x.map(fromJS));
  const m = new GoMap(T_MAP_ANY);
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) m.set(k, fromJS(v));
  return m;
}
