/** time.ParseInLocation with Go layouts. */
import {
  DAYS_BEFORE,
  daysIn,
  goDate,
  type GoTime,
  isLeap,
  LOCAL,
  type Loc,
  LONG_DAYS,
  LONG_MONTHS,
  SHORT_DAYS,
  SHORT_MONTHS,
  UTC,
  zoneOf,
} from "./calendar.js";
import { BAD, fromBytes, goTimeQuote, isDigitAt, leadingInt, nextStdChunk, Std, toBytes } from "./layout.js";

export class TimeParseError extends Error {}

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
    case 5:
      return value[4] === "T" ? 5 : 0;
    case 4:
      return value[3] === "T" || value.startsWith("WITA") ? 4 : 0;
    case 3:
      return 3;
  }
  return 0;
}

/** time.ParseInLocation(layout, value, Local) — throws TimeParseError with Go's message. */
export function parseTime(layoutIn: string, valueIn: string, local: Loc = LOCAL): GoTime {
  const alayout = toBytes(layoutIn);
  const avalue = toBytes(valueIn);
  const perr = (layoutElem: string, valueElem: string, message: string): never => {
    if (message === "") {
      throw new TimeParseError(
        fromBytes(`parsing time ${goTimeQuote(avalue)} as ${goTimeQuote(alayout)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}`),
      );
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
      case Std.Month:
        take(lookup(SHORT_MONTHS, value), ([m, v]) => {
          month = m + 1;
          value = v;
        });
        break;
      case Std.LongMonth:
        take(lookup(LONG_MONTHS, value), ([m, v]) => {
          month = m + 1;
          value = v;
        });
        break;
      case Std.NumMonth:
      case Std.ZeroMonth:
        take(getnum(value, std === Std.ZeroMonth), ([m, v]) => {
          month = m;
          value = v;
          if (month <= 0 || month > 12) rangeErr = "month";
        });
        break;
      case Std.WeekDay:
        take(lookup(SHORT_DAYS, value), ([, v]) => {
          value = v;
        });
        break;
      case Std.LongWeekDay:
        take(lookup(LONG_DAYS, value), ([, v]) => {
          value = v;
        });
        break;
      case Std.Day:
      case Std.UnderDay:
      case Std.ZeroDay:
        if (std === Std.UnderDay && value[0] === " ") value = value.slice(1);
        take(getnum(value, std === Std.ZeroDay), ([d, v]) => {
          day = d;
          value = v;
        });
        break;
      case Std.UnderYearDay:
      case Std.ZeroYearDay:
        for (let i = 0; i < 2; i++) if (std === Std.UnderYearDay && value[0] === " ") value = value.slice(1);
        take(getnum3(value, std === Std.ZeroYearDay), ([d, v]) => {
          yday = d;
          value = v;
        });
        break;
      case Std.Hour:
        take(getnum(value, false), ([h, v]) => {
          hour = h;
          value = v;
        });
        if (hour < 0 || hour >= 24) rangeErr = "hour";
        break;
      case Std.Hour12:
      case Std.ZeroHour12:
        take(getnum(value, std === Std.ZeroHour12), ([h, v]) => {
          hour = h;
          value = v;
        });
        if (hour < 0 || hour > 12) rangeErr = "hour";
        break;
      case Std.Minute:
      case Std.ZeroMinute:
        take(getnum(value, std === Std.ZeroMinute), ([m, v]) => {
          min = m;
          value = v;
        });
        if (min < 0 || min >= 60) rangeErr = "minute";
        break;
      case Std.Second:
      case Std.ZeroSecond: {
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
      case Std.PM:
      case Std.pm: {
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
      case Std.ISO8601TZ:
      case Std.ISO8601ColonTZ:
      case Std.ISO8601SecondsTZ:
      case Std.ISO8601ShortTZ:
      case Std.ISO8601ColonSecondsTZ:
      case Std.NumTZ:
      case Std.NumShortTZ:
      case Std.NumColonTZ:
      case Std.NumSecondsTz:
      case Std.NumColonSecondsTZ: {
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
