/**
 * Go `regexp.(*Regexp).Expand` / `ExpandString`, written from the behaviour
 * of Go's `expand` and `extract` (regexp/regexp.go):
 *
 * - `$$` is a literal `$`;
 * - `$name` / `${name}` where name is the longest non-empty run of Unicode
 *   letters, Unicode decimal digits and `_` (so `$1x` names the group `1x`);
 * - a name made only of ASCII digits (no leading zero, below 1e8) is a group
 *   number; anything else is looked up among the named groups (first match);
 * - a group that does not exist or did not participate expands to "";
 * - a `$` not followed by a valid reference (or `${` without `}`) is copied
 *   as a literal `$` and the text after it is kept.
 *
 * Indices in `match` are JS string offsets (UTF-16 code units).
 */

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

interface Ref {
  name: string;
  /** Group number, or -1 when the reference is by name. */
  num: number;
  rest: string;
}

function extract(str: string): Ref | null {
  if (str === "") return null;
  let brace = false;
  let s = str;
  if (s[0] === "{") {
    brace = true;
    s = s.slice(1);
  }
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === 0) return null;
  const name = s.slice(0, i);
  if (brace) {
    if (i >= s.length || s[i] !== "}") return null;
    i++;
  }
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 48 || c > 57 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (c - 48);
  }
  if (name[0] === "0" && name.length > 1) num = -1;
  return { name, num, rest: s.slice(i) };
}

/** Expands `template` for one match of a regexp with the given subexpression names. */
export function expandTemplate(template: string, src: string, match: readonly number[], subexpNames: readonly string[]): string {
  let out = "";
  let t = template;
  const group = (i: number): string => {
    const a = match[2 * i];
    const b = match[2 * i + 1];
    return 2 * i + 1 < match.length && a !== undefined && b !== undefined && a >= 0 ? src.slice(a, b) : "";
  };
  for (;;) {
    const at = t.indexOf("$");
    if (at < 0) break;
    out += t.slice(0, at);
    t = t.slice(at + 1);
    if (t !== "" && t[0] === "$") {
      out += "$";
      t = t.slice(1);
      continue;
    }
    const ref = extract(t);
    if (ref === null) {
      out += "$";
      continue;
    }
    t = ref.rest;
    if (ref.num >= 0) {
      out += group(ref.num);
    } else {
      const idx = subexpNames.findIndex((n, i) => i > 0 && n === ref.name && 2 * i + 1 < match.length && (match[2 * i] ?? -1) >= 0);
      if (idx > 0) out += group(idx);
    }
  }
  return out + t;
}
