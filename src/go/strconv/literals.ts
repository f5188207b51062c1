/** Go literal syntax for the template parser: strconv.Unquote. Numbers: parse-int.ts and parse-float.ts. */

/** strconv.Unquote for "..." and `...` literals. */
export function unquote(s: string): string {
  if (s.startsWith("`")) return s.slice(1, -1).replace(/\r/g, "");
  let out = "";
  const body = s.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const [ch, n] = unescapeChar(body, i + 1, '"');
    out += ch;
    i = n - 1;
  }
  return out;
}

/** One escape sequence of a Go literal (strconv.UnquoteChar) starting after the backslash at s[i - 1]. */
export function unescapeChar(s: string, i: number, quote: string): [string, number] {
  const c = s[i];
  const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
  if (c !== undefined && simple[c] !== undefined) return [simple[c]!, i + 1];
  if (c === quote) return [c, i + 1];
  const hex = (len: number): [string, number] => {
    const h = s.slice(i + 1, i + 1 + len);
    if (h.length !== len || !/^[0-9a-fA-F]+$/.test(h)) throw new SyntaxError("invalid syntax");
    const cp = parseInt(h, 16);
    if (len === 2) return [String.fromCharCode(cp), i + 1 + len];
    if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw new SyntaxError("invalid syntax");
    return [String.fromCodePoint(cp), i + 1 + len];
  };
  if (c === "x") return hex(2);
  if (c === "u") return hex(4);
  if (c === "U") return hex(8);
  if (c !== undefined && c >= "0" && c <= "7") {
    const o = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) throw new SyntaxError("invalid syntax");
    return [String.fromCharCode(parseInt(o, 8)), i + 3];
  }
  throw new SyntaxError("invalid syntax");
}
