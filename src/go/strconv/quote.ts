/** strconv.Quote and friends. */
export function isPrint(ch: string): boolean {
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
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\v":
        out += "\\v";
        continue;
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

export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "`" || ch === "\uFEFF") return false;
    if (c < 0x20 && ch !== "\t") return false;
    if (c === 0x7f) return false;
  }
  return true;
}
