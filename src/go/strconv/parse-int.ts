/**
 * Go's strconv.ParseInt(s, 0, ·) (strconv/atoi.go), without the bit-size check (callers bound the result):
 * an optional sign, then `0b`/`0o`/`0x` or a leading `0` (octal) picks the base, and `_` may stand between
 * digits or after a prefix (underscoreOK). The template parser reads integer literals with it, and
 * spf13/cast's ToInt64 reads strings with it. Returns undefined where Go returns an error.
 */
import { underscoreOK } from "./parse-float.js";

const DIGITS: Record<number, RegExp> = { 2: /^[01_]*$/, 8: /^[0-7_]*$/, 10: /^[0-9_]*$/, 16: /^[0-9a-fA-F_]*$/ };
const PREFIX: Record<number, string> = { 2: "0b", 8: "0o", 10: "", 16: "0x" };

export function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith("+") || s.startsWith("-")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "") return undefined;
  let base = 10;
  let digits = s;
  if (s[0] === "0") {
    const p = s.length >= 3 ? s[1]!.toLowerCase() : "";
    base = p === "b" ? 2 : p === "x" ? 16 : 8;
    digits = p === "b" || p === "o" || p === "x" ? s.slice(2) : s.slice(1);
  }
  if (!DIGITS[base]!.test(digits)) return undefined;
  if (digits.includes("_") && !underscoreOK(s)) return undefined;
  const clean = digits.replace(/_/g, "");
  // A lone "0" (or "0_0") is octal with no digits left: zero.
  const v = clean === "" ? 0n : BigInt(PREFIX[base]! + clean);
  return neg ? -v : v;
}
