/** Go time layouts: nextStdChunk, byte-string helpers and time's quote(). */

// ---------- layout chunks (time/format.go nextStdChunk) ----------
export enum Std {
  None = 0,
  LongMonth = 1,
  Month,
  NumMonth,
  ZeroMonth,
  LongWeekDay,
  WeekDay,
  Day,
  UnderDay,
  ZeroDay,
  UnderYearDay,
  ZeroYearDay,
  Hour,
  Hour12,
  ZeroHour12,
  Minute,
  ZeroMinute,
  Second,
  ZeroSecond,
  LongYear,
  Year,
  PM,
  pm,
  TZ,
  ISO8601TZ,
  ISO8601SecondsTZ,
  ISO8601ShortTZ,
  ISO8601ColonTZ,
  ISO8601ColonSecondsTZ,
  NumTZ,
  NumSecondsTz,
  NumShortTZ,
  NumColonTZ,
  NumColonSecondsTZ,
  FracSecond0,
  FracSecond9,
}

export interface Chunk {
  prefix: string;
  std: Std;
  /** Digits of a fractional-second element, and its separator. */
  digits: number;
  sep: string;
  suffix: string;
}

const STD0X = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];

export const isDigitAt = (s: string, i: number): boolean => i < s.length && s[i]! >= "0" && s[i]! <= "9";
const startsWithLower = (s: string): boolean => s.length > 0 && s[0]! >= "a" && s[0]! <= "z";

export function nextStdChunk(layout: string): Chunk {
  const at = (i: number, std: Std, n: number, digits = 0, sep = "."): Chunk => ({ prefix: layout.slice(0, i), std, digits, sep, suffix: layout.slice(i + n) });
  const has = (i: number, s: string): boolean => layout.startsWith(s, i);
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    switch (c) {
      case "J":
        if (has(i, "Jan")) {
          if (has(i, "January")) return at(i, Std.LongMonth, 7);
          if (!startsWithLower(layout.slice(i + 3))) return at(i, Std.Month, 3);
        }
        break;
      case "M":
        if (has(i, "Mon")) {
          if (has(i, "Monday")) return at(i, Std.LongWeekDay, 6);
          if (!startsWithLower(layout.slice(i + 3))) return at(i, Std.WeekDay, 3);
        }
        if (has(i, "MST")) return at(i, Std.TZ, 3);
        break;
      case "0":
        if (i + 1 < layout.length && layout[i + 1]! >= "1" && layout[i + 1]! <= "6") return at(i, STD0X[layout.charCodeAt(i + 1) - 49]!, 2);
        if (has(i, "002")) return at(i, Std.ZeroYearDay, 3);
        break;
      case "1":
        if (has(i, "15")) return at(i, Std.Hour, 2);
        return at(i, Std.NumMonth, 1);
      case "2":
        if (has(i, "2006")) return at(i, Std.LongYear, 4);
        return at(i, Std.Day, 1);
      case "_":
        if (has(i, "_2")) {
          if (has(i + 1, "2006")) return { prefix: layout.slice(0, i + 1), std: Std.LongYear, digits: 0, sep: ".", suffix: layout.slice(i + 5) };
          return at(i, Std.UnderDay, 2);
        }
        if (has(i, "__2")) return at(i, Std.UnderYearDay, 3);
        break;
      case "3":
        return at(i, Std.Hour12, 1);
      case "4":
        return at(i, Std.Minute, 1);
      case "5":
        return at(i, Std.Second, 1);
      case "P":
        if (has(i, "PM")) return at(i, Std.PM, 2);
        break;
      case "p":
        if (has(i, "pm")) return at(i, Std.pm, 2);
        break;
      case "-":
        if (has(i, "-070000")) return at(i, Std.NumSecondsTz, 7);
        if (has(i, "-07:00:00")) return at(i, Std.NumColonSecondsTZ, 9);
        if (has(i, "-0700")) return at(i, Std.NumTZ, 5);
        if (has(i, "-07:00")) return at(i, Std.NumColonTZ, 6);
        if (has(i, "-07")) return at(i, Std.NumShortTZ, 3);
        break;
      case "Z":
        if (has(i, "Z070000")) return at(i, Std.ISO8601SecondsTZ, 7);
        if (has(i, "Z07:00:00")) return at(i, Std.ISO8601ColonSecondsTZ, 9);
        if (has(i, "Z0700")) return at(i, Std.ISO8601TZ, 5);
        if (has(i, "Z07:00")) return at(i, Std.ISO8601ColonTZ, 6);
        if (has(i, "Z07")) return at(i, Std.ISO8601ShortTZ, 3);
        break;
      case ".":
      case ",":
        if (i + 1 < layout.length && (layout[i + 1] === "0" || layout[i + 1] === "9")) {
          const ch = layout[i + 1];
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return at(i, ch === "9" ? Std.FracSecond9 : Std.FracSecond0, j - i, (j - (i + 1)) & 0xfff, c);
          }
        }
        break;
    }
  }
  return { prefix: layout, std: Std.None, digits: 0, sep: ".", suffix: "" };
}

export const toBytes = (s: string): string => Buffer.from(s, "utf8").toString("latin1");
export const fromBytes = (s: string): string => Buffer.from(s, "latin1").toString("utf8");

/** time's quote(): escapes bytes >= 0x80 and control bytes as \xNN (input is a byte string). */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c < 0x20) out += "\\x" + c.toString(16).padStart(2, "0");
    else {
      if (c === 0x22 || c === 0x5c) out += "\\";
      out += s[i];
    }
  }
  return out + '"';
}

export const BAD = Symbol("bad");

export function leadingInt(s: string): [bigint, string] | typeof BAD {
  let x = 0n;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    if (x > (1n << 63n) / 10n) return BAD;
    x = x * 10n + BigInt(c - 48);
    if (x > 1n << 63n) return BAD;
  }
  return [x, s.slice(i)];
}
