/**
 * How a new value is written into the source text (kyaml `setters2`, as
 * image-automation-controller `pkg/update/setters.go` calls it).
 *
 * Flux keeps the node's quoting style and, for plain nodes, switches to
 * double quotes when the new value would not read back as a string
 * (kyaml `FormatNonStringStyle`, which checks YAML 1.1 and 1.2 resolution).
 * We do the same, and also quote values that cannot be written plain at all.
 */

export type ScalarStyle = "plain" | "single" | "double" | "literal" | "folded";

// Scalars that YAML 1.1 (go-yaml v2 / kyaml compatibility) or YAML 1.2 core
// (go-yaml v3) resolve to something other than a string.
const NON_STRING: RegExp[] = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  // integers: decimal, octal (0o / leading 0), hex, binary, with underscores (1.1 and go-yaml v3)
  /^[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/,
  // sexagesimal (1.1)
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  // floats (1.1 and 1.2 forms, underscores allowed)
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  // timestamps (1.1)
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/,
  // merge key and 1.1 "value" key
  /^(?:<<|=)$/,
];

/** True when a plain scalar with this text would not read as a string. */
export function resolvesToNonString(value: string): boolean {
  // "." alone is a string in both schemas; the float pattern must not catch it.
  if (value === "." || value === "-" || value === "+") return false;
  return NON_STRING.some((re) => re.test(value));
}

const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** True when the text can be written as a block-context plain scalar and read back unchanged. */
export function canBePlain(value: string): boolean {
  if (value === "") return false;
  if (value !== value.trim() || /[\n\r\t]/.test(value) || CONTROL.test(value)) return false;
  if (value.includes(": ") || value.includes(" #") || value.endsWith(":")) return false;
  if (INDICATOR_START.test(value)) {
    // `-x`, `?x`, `:x` are valid plain scalars when not followed by a space
    const c = value[0];
    const plainOk = (c === "-" || c === "?" || c === ":") && value.length > 1 && value[1] !== " ";
    if (!plainOk) return false;
  }
  if (/^(?:---|\.\.\.)(?:\s|$)/.test(value)) return false;
  return !resolvesToNonString(value);
}

/** Double-quoted YAML scalar, escaping as JSON does plus YAML-only escapes. */
export function doubleQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) {
      out += cp <= 0xff ? `\\x${cp.toString(16).padStart(2, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return out + '"';
}

/** Single-quoted YAML scalar, or null when the value cannot be single-quoted on one line. */
export function singleQuote(value: string): string | null {
  if (/[\n\r]/.test(value) || CONTROL.test(value)) return null;
  return `'${value.replace(/'/g, "''")}'`;
}

/** The text for a new flow-style (non-block) scalar, given the old node's style. */
export function formatInline(value: string, style: "plain" | "single" | "double"): string {
  if (style === "double") return doubleQuote(value);
  if (style === "single") return singleQuote(value) ?? doubleQuote(value);
  if (value === "") return '""';
  return canBePlain(value) ? value : doubleQuote(value);
}

// Characters a block scalar cannot hold as they are: line breaks other than \n for
// some reader (go-yaml breaks lines on \r, NEL, LS and PS) and non-printables.
const BLOCK_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/**
 * True when `value` written by formatBlock reads back unchanged: no
 * character above, no whitespace-only line (block scalars drop those), and
 * an indentation indicator, when one is needed, within 1..9.
 */
export function fitsBlock(value: string, indent: string, parentIndent = 0): boolean {
  if (BLOCK_UNSAFE.test(value)) return false;
  if (/(?:^|\n)[ \t]+(?:\n|$)/.test(value)) return false;
  const content = value.replace(/\n*$/, "");
  if (/^[ \n]/.test(content)) {
    const n = indent.length - parentIndent;
    if (n < 1 || n > 9) return false;
  }
  return true;
}

/**
 * A new block scalar: the header indicator (`|`, `|-`, `|+`, with an
 * indentation indicator when the text starts with a space) and the body lines,
 * each indented by `indent` and ending with `eol`.
 */
export function formatBlock(value: string, style: "literal" | "folded", indent: string, eol: string, parentIndent = 0): { header: string; body: string } {
  // Folding would rewrap text with line breaks; use literal style for those.
  const ch = style === "folded" && !value.includes("\n") ? ">" : "|";
  const trailing = /\n*$/.exec(value)?.[0].length ?? 0;
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  const content = trailing > 0 ? value.slice(0, value.length - trailing) : value;
  // The indentation indicator is relative to the enclosing collection's indentation (YAML 1.2 §8.1.1.1).
  const indentIndicator = /^[ \n]/.test(content) ? String(indent.length - parentIndent) : "";
  const lines = content === "" ? [] : content.split("\n");
  let body = lines.map((l) => (l === "" ? "" : indent + l) + eol).join("");
  if (trailing > 1) body += eol.repeat(trailing - 1);
  return { header: ch + indentIndicator + chomp, body };
}
