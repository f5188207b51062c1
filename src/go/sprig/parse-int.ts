/** strconv.ParseInt(s, 0, 64)-style parsing (base prefixes, underscores with a prefix). */
export function parseGoIntLiteral(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith("+") || s.startsWith("-")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s.length === 0) return undefined;
  let base = 10;
  let digits = s;
  let prefixed = false;
  if (/^0[xX]/.test(s)) {
    base = 16;
    digits = s.slice(2);
    prefixed = true;
  } else if (/^0[oO]/.test(s)) {
    base = 8;
    digits = s.slice(2);
    prefixed = true;
  } else if (/^0[bB]/.test(s)) {
    base = 2;
    digits = s.slice(2);
    prefixed = true;
  } else if (s.length > 1 && s[0] === "0") {
    base = 8;
    digits = s.slice(1);
    prefixed = true;
  }
  if (digits.includes("_")) {
    if (!prefixed && base === 10) return undefined;
    if (!/^(_?[0-9a-zA-Z]+)+$/.test(digits) || digits.endsWith("_") || digits.includes("__")) return undefined;
    digits = digits.replace(/_/g, "");
  }
  const re = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!re.test(digits)) return undefined;
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : base === 2 ? "0b" : "";
  const v = BigInt(prefix + digits);
  return neg ? -v : v;
}
