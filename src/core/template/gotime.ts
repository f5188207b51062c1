/**
 * A model of Go's time package, enough for sprig's date functions: time.Time values, Format and
 * ParseInLocation with Go layouts, ParseDuration and Duration.String.
 *
 * Pure: there is no clock here. Location handling: time.Local is taken to be UTC (Flux's
 * controller image has no /etc/localtime), fixed zones from parsed offsets are kept.
 * Layout and value strings are processed as UTF-8 bytes (as latin1 JS strings), like Go.
 */

export type Loc =
  | { kind: "utc" }
  | { kind: "local" }
  | { kind: "fixed"; name: string; offset: number };

export interface GoTime {
  /** Seconds since the Unix epoch (UTC). */
  sec: number;
  /** Nanoseconds within the second, 0..999999999. */
  nsec: number;
  loc: Loc;
}

export const UTC: Loc = { kind: "utc" };
export const LOCAL: Loc = { kind: "local" };

/** Unix seconds of Go's zero Time (January 1, year 1, 00:00:00 UTC). */
export const ZERO_UNIX = -62135596800;
export const zeroTime = (): GoTime => ({ sec: ZERO_UNIX, nsec: 0, loc: UTC });

export function fromDate(d: Date): GoTime {
  const ms = d.getTime();
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: (ms - sec * 1000) * 1_000_000, loc: LOCAL };
}

function zoneOf(loc: Loc): { name: string; offset: number } {
  if (loc.kind === "fixed") return { name: loc.name, offset: loc.offset };
  return { name: "UTC", offset: 0 };
}

// ---------- calendar ----------
const DAY = 86400;

export function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** Days since 1970-01-01 of a proleptic Gregorian civil date (month 1..12; may overflow, like Go's Date). */
export function daysFromCivil(y: number, m: number, d: number): number {
  // normalise month
  y += Math.floor((m - 1) / 12);
  m = ((((m - 1) % 12) + 12) % 12) + 1;
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): { year: number; month: number; day: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: month <= 2 ? y + 1 : y, month, day };
}

export interface Civil {
  year: number;
  month: number;
  day: number;
  yday: number;
  hour: number;
  min: number;
  sec: number;
  weekday: number;
  nsec: number;
  zone: string;
  offset: number;
}

export function civil(t: GoTime): Civil {
  const { name, offset } = zoneOf(t.loc);
  const local = t.sec + offset;
  const days = Math.floor(local / DAY);
  const rem = local - days * DAY;
  const { year, month, day } = civilFromDays(days);
  const yday = days - daysFromCivil(year, 1, 1) + 1;
  return {
    year, month, day, yday,
    hour: Math.floor(rem / 3600), min: Math.floor((rem % 3600) / 60), sec: rem % 60,
    weekday: (((days + 4) % 7) + 7) % 7, nsec: t.nsec, zone: name, offset,
  };
}

/** time.Date(year, month, day, hour, min, sec, nsec, loc) (normalising overflowing fields). */
export function goDate(year: number, month: number, day: number, hour: number, min: number, sec: number, nsec: number, loc: Loc): GoTime {
  const extra = Math.floor(nsec / 1e9);
  nsec -= extra * 1e9;
  const days = daysFromCivil(year, month, 1) + day - 1;
  const local = days * DAY + hour * 3600 + min * 60 + sec + extra;
  return { sec: local - zoneOf(loc).offset, nsec, loc };
}

export const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));
export const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

function daysIn(month: number, year: number): number {
  if (month === 2 && isLeap(year)) return 29;
  return DAYS_BEFORE[month]! - DAYS_BEFORE[month - 1]!;
}

// ---------- layout chunks (time/format.go nextStdChunk) ----------
enum Std {
  None = 0,
  LongMonth = 1, Month, NumMonth, ZeroMonth, LongWeekDay, WeekDay, Day, UnderDay, ZeroDay, UnderYearDay, ZeroYearDay,
  Hour, Hour12, ZeroHour12, Minute, ZeroMinute, Second, ZeroSecond,
  LongYear, Year, PM, pm, TZ,
  ISO8601TZ, ISO8601SecondsTZ, ISO8601ShortTZ, ISO8601ColonTZ, ISO8601ColonSecondsTZ,
  NumTZ, NumSecondsTz, NumShortTZ, NumColonTZ, NumColonSecondsTZ,
  FracSecond0, FracSecond9,
}

interface Chunk {
  prefix: string;
  std: Std;
  /** Digits of a fractional-second element, and its separator. */
  digits: number;
  sep: string;
  suffix: string;
}

const NEED_DATE = new Set<Std>([Std.LongMonth, Std.Month, Std.NumMonth, Std.ZeroMonth, Std.LongWeekDay, Std.WeekDay, Std.Day, Std.UnderDay,
  Std.ZeroDay, Std.UnderYearDay, Std.ZeroYearDay, Std.LongYear, Std.Year]);
const STD0X = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];

const isDigitAt = (s: string, i: number): boolean => i < s.length && s[i]! >= "0" && s[i]! <= "9";
const startsWithLower = (s: string): boolean => s.length > 0 && s[0]! >= "a" && s[0]! <= "z";

function nextStdChunk(layout: string): Chunk {
  const at = (i: number, std: Std, n: number, digits = 0, sep = "."): Chunk =>
    ({ prefix: layout.slice(0, i), std, digits, sep, suffix: layout.slice(i + n) });
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
      case "3": return at(i, Std.Hour12, 1);
      case "4": return at(i, Std.Minute, 1);
      case "5": return at(i, Std.Second, 1);
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
      case ".": case ",":
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

const toBytes = (s: string): string => Buffer.from(s, "utf8").toString("latin1");
const fromBytes = (s: string): string => Buffer.from(s, "latin1").toString("utf8");

function appendInt(x: number, width: number): string {
  const neg = x < 0;
  const s = String(Math.abs(x)).padStart(width, "0");
  return neg ? "-" + s : s;
}

function formatNano(nsec: number, digits: number, sep: string, trim: boolean): string {
  const buf = String(nsec).padStart(9, "0");
  let n = Math.min(digits, 9);
  if (trim) {
    while (n > 0 && buf[n - 1] === "0") n--;
    if (n === 0) return "";
  }
  return sep + buf.slice(0, n);
}

/** time.Time.Format */
export function formatTime(t: GoTime, layoutIn: string): string {
  let layout = toBytes(layoutIn);
  const c = civil(t);
  let b = "";
  while (layout !== "") {
    const ch = nextStdChunk(layout);
    b += ch.prefix;
    if (ch.std === Std.None) break;
    layout = ch.suffix;
    const std = ch.std;
    void NEED_DATE;
    switch (std) {
      case Std.Year: b += appendInt(Math.abs(c.year) % 100, 2); break;
      case Std.LongYear: b += appendInt(c.year, 4); break;
      case Std.Month: b += SHORT_MONTHS[c.month - 1]; break;
      case Std.LongMonth: b += LONG_MONTHS[c.month - 1]; break;
      case Std.NumMonth: b += appendInt(c.month, 0); break;
      case Std.ZeroMonth: b += appendInt(c.month, 2); break;
      case Std.WeekDay: b += SHORT_DAYS[c.weekday]; break;
      case Std.LongWeekDay: b += LONG_DAYS[c.weekday]; break;
      case Std.Day: b += appendInt(c.day, 0); break;
      case Std.UnderDay: b += (c.day < 10 ? " " : "") + appendInt(c.day, 0); break;
      case Std.ZeroDay: b += appendInt(c.day, 2); break;
      case Std.UnderYearDay: b += (c.yday < 100 ? (c.yday < 10 ? "  " : " ") : "") + appendInt(c.yday, 0); break;
      case Std.ZeroYearDay: b += appendInt(c.yday, 3); break;
      case Std.Hour: b += appendInt(c.hour, 2); break;
      case Std.Hour12: b += appendInt(c.hour % 12 === 0 ? 12 : c.hour % 12, 0); break;
      case Std.ZeroHour12: b += appendInt(c.hour % 12 === 0 ? 12 : c.hour % 12, 2); break;
      case Std.Minute: b += appendInt(c.min, 0); break;
      case Std.ZeroMinute: b += appendInt(c.min, 2); break;
      case Std.Second: b += appendInt(c.sec, 0); break;
      case Std.ZeroSecond: b += appendInt(c.sec, 2); break;
      case Std.PM: b += c.hour >= 12 ? "PM" : "AM"; break;
      case Std.pm: b += c.hour >= 12 ? "pm" : "am"; break;
      case Std.ISO8601TZ: case Std.ISO8601ColonTZ: case Std.ISO8601SecondsTZ: case Std.ISO8601ShortTZ: case Std.ISO8601ColonSecondsTZ:
      case Std.NumTZ: case Std.NumColonTZ: case Std.NumSecondsTz: case Std.NumShortTZ: case Std.NumColonSecondsTZ: {
        const iso = std === Std.ISO8601TZ || std === Std.ISO8601ColonTZ || std === Std.ISO8601SecondsTZ || std === Std.ISO8601ShortTZ || std === Std.ISO8601ColonSecondsTZ;
        if (c.offset === 0 && iso) {
          b += "Z";
          break;
        }
        let zone = Math.trunc(c.offset / 60);
        let absoffset = c.offset;
        if (zone < 0) {
          b += "-";
          zone = -zone;
          absoffset = -absoffset;
        } else b += "+";
        b += appendInt(Math.trunc(zone / 60), 2);
        const colon = std === Std.ISO8601ColonTZ || std === Std.NumColonTZ || std === Std.ISO8601ColonSecondsTZ || std === Std.NumColonSecondsTZ;
        if (colon) b += ":";
        if (std !== Std.NumShortTZ && std !== Std.ISO8601ShortTZ) b += appendInt(zone % 60, 2);
        if (std === Std.ISO8601SecondsTZ || std === Std.NumSecondsTz || std === Std.NumColonSecondsTZ || std === Std.ISO8601ColonSecondsTZ) {
          if (std === Std.NumColonSecondsTZ || std === Std.ISO8601ColonSecondsTZ) b += ":";
          b += appendInt(absoffset % 60, 2);
        }
        break;
      }
      case Std.TZ: {
        if (c.zone !== "") {
          b += toBytes(c.zone);
          break;
        }
        let zone = Math.trunc(c.offset / 60);
        if (zone < 0) {
          b += "-";
          zone = -zone;
        } else b += "+";
        b += appendInt(Math.trunc(zone / 60), 2) + appendInt(zone % 60, 2);
        break;
      }
      case Std.FracSecond0: case Std.FracSecond9:
        b += formatNano(c.nsec, ch.digits, ch.sep, std === Std.FracSecond9);
        break;
    }
  }
  return fromBytes(b);
}

/** time.Time.String (no monotonic reading: sprig's times never carry one). */
export function timeString(t: GoTime): string {
  return formatTime(t, "2006-01-02 15:04:05.999999999 -0700 MST");
}

/** time.Time.GoString */
export function timeGoString(t: GoTime): string {
  const c = civil(t);
  const loc = t.loc.kind === "utc" ? "time.UTC" : t.loc.kind === "local" ? "time.Local" : `time.Location(${goTimeQuote(toBytes(t.loc.name))})`;
  return `time.Date(${c.year}, time.${LONG_MONTHS[c.month - 1]}, ${c.day}, ${c.hour}, ${c.min}, ${c.sec}, ${c.nsec}, ${loc})`;
}

/** time's quote(): escapes bytes >= 0x80 and control bytes as \xNN (input is a byte string). */
function goTimeQuote(s: string): string {
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

// ---------- parsing ----------
export class TimeParseError extends Error {}

const BAD = Symbol("bad");

function leadingInt(s: string): [bigint, string] | typeof BAD {
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

function atoi(s: string): number | typeof BAD {
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  const r = leadingInt(s);
  if (r === BAD || r[1] !== "") return BAD;
  const x = Number(BigInt.asIntN(64, r[0]));
  return neg ? -x : x;
}

function match(s1: string, s2: string): boolean {
  for (let i = 0; i < s1.length; i++) {
    let c1 = s1.charCodeAt(i);
    let c2 = s2.charCodeAt(i);
    if (c1 !== c2) {
      c1 |= 0x20;
      c2 |= 0x20;
      if (c1 !== c2 || c1 < 97 || c1 > 122) return false;
    }
  }
  return true;
}

function lookup(tab: string[], val: string): [number, string] | typeof BAD {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i]!;
    if (val.length >= v.length && match(val.slice(0, v.length), v)) return [i, val.slice(v.length)];
  }
  return BAD;
}

function getnum(s: string, fixed: boolean): [number, string] | typeof BAD {
  if (!isDigitAt(s, 0)) return BAD;
  if (!isDigitAt(s, 1)) {
    if (fixed) return BAD;
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] | typeof BAD {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + (s.charCodeAt(i) - 48);
  if (i === 0 || (fixed && i !== 3)) return BAD;
  return [n, s.slice(i)];
}

const cutspace = (s: string): string => s.replace(/^ +/, "");

function skip(value: string, prefix: string): string | typeof BAD {
  while (prefix.length > 0) {
    if (prefix[0] === " ") {
      if (value.length > 0 && value[0] !== " ") return BAD;
      prefix = cutspace(prefix);
      value = cutspace(value);
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return BAD;
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

const commaOrPeriod = (c: string | undefined): boolean => c === "." || c === ",";

function parseNanoseconds(value: string, nbytes: number): { ns: number; range: string } | typeof BAD {
  if (!commaOrPeriod(value[0])) return BAD;
  if (nbytes > 10) {
    value = value.slice(0, 10);
    nbytes = 10;
  }
  const ns = atoi(value.slice(1, nbytes));
  if (ns === BAD) return BAD;
  if (ns < 0) return { ns: 0, range: "fractional second" };
  return { ns: ns * 10 ** (10 - nbytes), range: "" };
}

function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== "-" && sign !== "+") return 0;
  const r = leadingInt(value.slice(1));
  if (r === BAD || value.slice(1) === r[1]) return 0;
  if (r[0] > 23n) return 0;
  return value.length - r[1].length;
}

function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
  if (value.startsWith("GMT")) return value.length === 3 ? 3 : 3 + parseSignedOffset(value.slice(3));
  if (value[0] === "+" || value[0] === "-") return parseSignedOffset(value);
  let n = 0;
  for (; n < 6 && n < value.length; n++) {
    const c = value[n]!;
    if (c < "A" || c > "Z") break;
  }
  switch (n) {
    case 5: return value[4] === "T" ? 5 : 0;
    case 4: return value[3] === "T" || value.startsWith("WITA") ? 4 : 0;
    case 3: return 3;
  }
  return 0;
}

/** time.ParseInLocation(layout, value, Local) — throws TimeParseError with Go's message. */
export function parseTime(layoutIn: string, valueIn: string, local: Loc = LOCAL): GoTime {
  const alayout = toBytes(layoutIn);
  const avalue = toBytes(valueIn);
  const perr = (layoutElem: string, valueElem: string, message: string): never => {
    if (message === "") {
      throw new TimeParseError(fromBytes(`parsing time ${goTimeQuote(avalue)} as ${goTimeQuote(alayout)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}`));
    }
    throw new TimeParseError(fromBytes(`parsing time ${goTimeQuote(avalue)}${message}`));
  };
  let layout = alayout;
  let value = avalue;
  let rangeErr = "";
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let z: Loc | undefined;
  let zoneOffset = -1;
  let zoneName = "";

  for (;;) {
    const ch = nextStdChunk(layout);
    const stdstr = layout.slice(ch.prefix.length, layout.length - ch.suffix.length);
    const sk = skip(value, ch.prefix);
    if (sk === BAD) return perr(ch.prefix, value, "");
    value = sk;
    if (ch.std === Std.None) {
      if (value.length !== 0) perr("", value, ": extra text: " + goTimeQuote(value));
      break;
    }
    layout = ch.suffix;
    const std = ch.std;
    let bad = false;
    const take = <T>(r: T | typeof BAD, onOk: (x: T) => void): void => {
      if (r === BAD) bad = true;
      else onOk(r);
    };
    switch (std) {
      case Std.Year: {
        if (value.length < 2) {
          bad = true;
          break;
        }
        const y = atoi(value.slice(0, 2));
        if (y === BAD) bad = true;
        else {
          value = value.slice(2);
          year = y >= 69 ? y + 1900 : y + 2000;
        }
        break;
      }
      case Std.LongYear: {
        if (value.length < 4 || !isDigitAt(value, 0)) {
          bad = true;
          break;
        }
        const p = value.slice(0, 4);
        value = value.slice(4);
        const y = atoi(p);
        if (y === BAD) bad = true;
        else year = y;
        break;
      }
      case Std.Month: take(lookup(SHORT_MONTHS, value), ([m, v]) => { month = m + 1; value = v; }); break;
      case Std.LongMonth: take(lookup(LONG_MONTHS, value), ([m, v]) => { month = m + 1; value = v; }); break;
      case Std.NumMonth: case Std.ZeroMonth:
        take(getnum(value, std === Std.ZeroMonth), ([m, v]) => {
          month = m;
          value = v;
          if (month <= 0 || month > 12) rangeErr = "month";
        });
        break;
      case Std.WeekDay: take(lookup(SHORT_DAYS, value), ([, v]) => { value = v; }); break;
      case Std.LongWeekDay: take(lookup(LONG_DAYS, value), ([, v]) => { value = v; }); break;
      case Std.Day: case Std.UnderDay: case Std.ZeroDay:
        if (std === Std.UnderDay && value[0] === " ") value = value.slice(1);
        take(getnum(value, std === Std.ZeroDay), ([d, v]) => { day = d; value = v; });
        break;
      case Std.UnderYearDay: case Std.ZeroYearDay:
        for (let i = 0; i < 2; i++) if (std === Std.UnderYearDay && value[0] === " ") value = value.slice(1);
        take(getnum3(value, std === Std.ZeroYearDay), ([d, v]) => { yday = d; value = v; });
        break;
      case Std.Hour:
        take(getnum(value, false), ([h, v]) => { hour = h; value = v; });
        if (hour < 0 || hour >= 24) rangeErr = "hour";
        break;
      case Std.Hour12: case Std.ZeroHour12:
        take(getnum(value, std === Std.ZeroHour12), ([h, v]) => { hour = h; value = v; });
        if (hour < 0 || hour > 12) rangeErr = "hour";
        break;
      case Std.Minute: case Std.ZeroMinute:
        take(getnum(value, std === Std.ZeroMinute), ([m, v]) => { min = m; value = v; });
        if (min < 0 || min >= 60) rangeErr = "minute";
        break;
      case Std.Second: case Std.ZeroSecond: {
        const r = getnum(value, std === Std.ZeroSecond);
        if (r === BAD) {
          bad = true;
          break;
        }
        [sec, value] = r;
        if (sec < 0 || sec >= 60) {
          rangeErr = "second";
          break;
        }
        if (value.length >= 2 && commaOrPeriod(value[0]) && isDigitAt(value, 1)) {
          const next = nextStdChunk(layout).std;
          if (next === Std.FracSecond0 || next === Std.FracSecond9) break;
          let n = 2;
          while (n < value.length && isDigitAt(value, n)) n++;
          const ns = parseNanoseconds(value, n);
          if (ns === BAD) bad = true;
          else {
            nsec = ns.ns;
            rangeErr = ns.range;
          }
          value = value.slice(n);
        }
        break;
      }
      case Std.PM: case Std.pm: {
        if (value.length < 2) {
          bad = true;
          break;
        }
        const p = value.slice(0, 2);
        value = value.slice(2);
        const [pm, am] = std === Std.PM ? ["PM", "AM"] : ["pm", "am"];
        if (p === pm) pmSet = true;
        else if (p === am) amSet = true;
        else bad = true;
        break;
      }
      case Std.ISO8601TZ: case Std.ISO8601ColonTZ: case Std.ISO8601SecondsTZ: case Std.ISO8601ShortTZ: case Std.ISO8601ColonSecondsTZ:
      case Std.NumTZ: case Std.NumShortTZ: case Std.NumColonTZ: case Std.NumSecondsTz: case Std.NumColonSecondsTZ: {
        if ((std === Std.ISO8601TZ || std === Std.ISO8601ShortTZ || std === Std.ISO8601ColonTZ) && value[0] === "Z") {
          value = value.slice(1);
          z = UTC;
          break;
        }
        let parts: [string, string, string, string] | undefined;
        if (std === Std.ISO8601ColonTZ || std === Std.NumColonTZ) {
          if (value.length >= 6 && value[3] === ":") {
            parts = [value[0]!, value.slice(1, 3), value.slice(4, 6), "00"];
            value = value.slice(6);
          }
        } else if (std === Std.NumShortTZ || std === Std.ISO8601ShortTZ) {
          if (value.length >= 3) {
            parts = [value[0]!, value.slice(1, 3), "00", "00"];
            value = value.slice(3);
          }
        } else if (std === Std.ISO8601ColonSecondsTZ || std === Std.NumColonSecondsTZ) {
          if (value.length >= 9 && value[3] === ":" && value[6] === ":") {
            parts = [value[0]!, value.slice(1, 3), value.slice(4, 6), value.slice(7, 9)];
            value = value.slice(9);
          }
        } else if (std === Std.ISO8601SecondsTZ || std === Std.NumSecondsTz) {
          if (value.length >= 7) {
            parts = [value[0]!, value.slice(1, 3), value.slice(3, 5), value.slice(5, 7)];
            value = value.slice(7);
          }
        } else if (value.length >= 5) {
          parts = [value[0]!, value.slice(1, 3), value.slice(3, 5), "00"];
          value = value.slice(5);
        }
        if (!parts) {
          bad = true;
          break;
        }
        const hr = atoi(parts[1]);
        const mm = hr === BAD ? BAD : atoi(parts[2]);
        const ss = mm === BAD ? BAD : atoi(parts[3]);
        if (hr === BAD || mm === BAD || ss === BAD) bad = true;
        zoneOffset = ((hr === BAD ? 0 : hr) * 60 + (mm === BAD ? 0 : mm)) * 60 + (ss === BAD ? 0 : ss);
        if (parts[0] === "-") zoneOffset = -zoneOffset;
        else if (parts[0] !== "+") bad = true;
        break;
      }
      case Std.TZ: {
        if (value.startsWith("UTC")) {
          z = UTC;
          value = value.slice(3);
          break;
        }
        const n = parseTimeZone(value);
        if (n <= 0) {
          bad = true;
          break;
        }
        zoneName = value.slice(0, n);
        value = value.slice(n);
        break;
      }
      case Std.FracSecond0: {
        const ndigit = 1 + ch.digits;
        if (value.length < ndigit) {
          bad = true;
          break;
        }
        const ns = parseNanoseconds(value, ndigit);
        if (ns === BAD) bad = true;
        else {
          nsec = ns.ns;
          rangeErr = ns.range;
        }
        value = value.slice(ndigit);
        break;
      }
      case Std.FracSecond9: {
        if (value.length < 2 || !commaOrPeriod(value[0]) || !isDigitAt(value, 1)) break;
        let i = 0;
        while (i < 9 && i + 1 < value.length && isDigitAt(value, i + 1)) i++;
        const ns = parseNanoseconds(value, 1 + i);
        if (ns === BAD) bad = true;
        else {
          nsec = ns.ns;
          rangeErr = ns.range;
        }
        value = value.slice(1 + i);
        break;
      }
    }
    if (rangeErr !== "") perr(stdstr, value, `: ${rangeErr} out of range`);
    if (bad) perr(stdstr, value, "");
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) perr("", value, ": day-of-year out of range");
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (DAYS_BEFORE[m]! < yday) m++;
      d = yday - DAYS_BEFORE[m - 1]!;
    }
    if (month >= 0 && month !== m) perr("", value, ": day-of-year does not match month");
    month = m;
    if (day >= 0 && day !== d) perr("", value, ": day-of-year does not match day");
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) perr("", value, ": day out of range");

  if (z) return goDate(year, month, day, hour, min, sec, nsec, z);
  const localZone = zoneOf(local);
  if (zoneOffset !== -1) {
    const t = goDate(year, month, day, hour, min, sec, nsec, UTC);
    t.sec -= zoneOffset;
    if (localZone.offset === zoneOffset && (zoneName === "" || localZone.name === zoneName)) return { ...t, loc: local };
    return { ...t, loc: { kind: "fixed", name: fromBytes(zoneName), offset: zoneOffset } };
  }
  if (zoneName !== "") {
    const t = goDate(year, month, day, hour, min, sec, nsec, UTC);
    if (zoneName === localZone.name) {
      t.sec -= localZone.offset;
      return { ...t, loc: local };
    }
    let offset = 0;
    if (zoneName.length > 3 && zoneName.startsWith("GMT")) offset = (atoi(zoneName.slice(3)) as number) * 3600;
    return { ...t, loc: { kind: "fixed", name: fromBytes(zoneName), offset } };
  }
  return goDate(year, month, day, hour, min, sec, nsec, local);
}

// ---------- durations ----------
const UNITS: Record<string, bigint> = {
  ns: 1n, us: 1_000n, "\u00b5s": 1_000n, "\u03bcs": 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

/** time.ParseDuration; throws TimeParseError with Go's message. */
export function parseDuration(orig: string): bigint {
  const q = goTimeQuote(toBytes(orig));
  const invalid = (): never => {
    throw new TimeParseError(fromBytes(`time: invalid duration ${q}`));
  };
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") invalid();
  while (s !== "") {
    let f = 0n;
    let scale = 1;
    if (!(s[0] === "." || (s[0]! >= "0" && s[0]! <= "9"))) invalid();
    const pl = s.length;
    const li = leadingInt(s);
    if (li === BAD) return invalid();
    let v = li[0];
    s = li[1];
    const pre = pl !== s.length;
    let post = false;
    if (s[0] === ".") {
      s = s.slice(1);
      const pl2 = s.length;
      let i = 0;
      let overflow = false;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 48 || c > 57) break;
        if (overflow) continue;
        if (f > ((1n << 63n) - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c - 48);
        if (y > 1n << 63n) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s = s.slice(i);
      post = pl2 !== s.length;
    }
    if (!pre && !post) invalid();
    let i = 0;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === "." || (c >= "0" && c <= "9")) break;
    }
    if (i === 0) throw new TimeParseError(fromBytes(`time: missing unit in duration ${q}`));
    const u = s.slice(0, i);
    s = s.slice(i);
    const unit = Object.hasOwn(UNITS, u) ? UNITS[u]! : undefined;
    if (unit === undefined) throw new TimeParseError(`time: unknown unit ${fromBytes(goTimeQuote(toBytes(u)))} in duration ${fromBytes(q)}`);
    if (v > (1n << 63n) / unit) invalid();
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > 1n << 63n) invalid();
    }
    d += v;
    if (d > 1n << 63n) invalid();
  }
  if (neg) return BigInt.asIntN(64, -d);
  if (d > (1n << 63n) - 1n) invalid();
  return d;
}

/** Go time.Duration.String() for a number of nanoseconds. */
export function durationString(ns: bigint): string {
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    const units: Array<[bigint, string]> = [[1_000_000n, "ms"], [1_000n, "µs"], [1n, "ns"]];
    const [div, unit] = units.find(([d]) => u >= d)!;
    out = fraction(u, div) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    out = fraction(u, 1_000_000_000n) + "s";
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return (neg ? "-" : "") + out;
}
function fraction(v: bigint, div: bigint): string {
  const whole = v / div;
  let frac = (v % div).toString().padStart(div.toString().length - 1, "0").replace(/0+$/, "");
  if (div === 1n) frac = "";
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** Nanoseconds between two times (t - u), saturating like Go's Time.Sub. */
export function subTimes(t: GoTime, u: GoTime): bigint {
  const d = (BigInt(t.sec) - BigInt(u.sec)) * 1_000_000_000n + BigInt(t.nsec - u.nsec);
  const max = (1n << 63n) - 1n;
  if (d > max) return max;
  if (d < -(1n << 63n)) return -(1n << 63n);
  return d;
}

/** t.Add(d) */
export function addDuration(t: GoTime, d: bigint): GoTime {
  const total = BigInt(t.nsec) + d;
  let s = total / 1_000_000_000n;
  let n = total % 1_000_000_000n;
  if (n < 0n) {
    n += 1_000_000_000n;
    s -= 1n;
  }
  return { sec: t.sec + Number(s), nsec: Number(n), loc: t.loc };
}

/** Duration.Round(m) for m > 0. */
export function roundDuration(d: bigint, m: bigint): bigint {
  let r = d % m;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    const d1 = d - m + r;
    if (d1 < d) return d1;
    return -(1n << 63n);
  }
  if (r + r < m) return d - r;
  const d1 = d + m - r;
  if (d1 > d && d1 <= (1n << 63n) - 1n) return d1;
  return (1n << 63n) - 1n;
}
