/** time.Time.Format, String and GoString. */
import { civil, type GoTime, LONG_DAYS, LONG_MONTHS, SHORT_DAYS, SHORT_MONTHS } from "./calendar.js";
import { fromBytes, goTimeQuote, nextStdChunk, Std, toBytes } from "./layout.js";

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
    switch (std) {
      case Std.Year:
        b += appendInt(Math.abs(c.year) % 100, 2);
        break;
      case Std.LongYear:
        b += appendInt(c.year, 4);
        break;
      case Std.Month:
        b += SHORT_MONTHS[c.month - 1];
        break;
      case Std.LongMonth:
        b += LONG_MONTHS[c.month - 1];
        break;
      case Std.NumMonth:
        b += appendInt(c.month, 0);
        break;
      case Std.ZeroMonth:
        b += appendInt(c.month, 2);
        break;
      case Std.WeekDay:
        b += SHORT_DAYS[c.weekday];
        break;
      case Std.LongWeekDay:
        b += LONG_DAYS[c.weekday];
        break;
      case Std.Day:
        b += appendInt(c.day, 0);
        break;
      case Std.UnderDay:
        b += (c.day < 10 ? " " : "") + appendInt(c.day, 0);
        break;
      case Std.ZeroDay:
        b += appendInt(c.day, 2);
        break;
      case Std.UnderYearDay:
        b += (c.yday < 100 ? (c.yday < 10 ? "  " : " ") : "") + appendInt(c.yday, 0);
        break;
      case Std.ZeroYearDay:
        b += appendInt(c.yday, 3);
        break;
      case Std.Hour:
        b += appendInt(c.hour, 2);
        break;
      case Std.Hour12:
        b += appendInt(c.hour % 12 === 0 ? 12 : c.hour % 12, 0);
        break;
      case Std.ZeroHour12:
        b += appendInt(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
        break;
      case Std.Minute:
        b += appendInt(c.min, 0);
        break;
      case Std.ZeroMinute:
        b += appendInt(c.min, 2);
        break;
      case Std.Second:
        b += appendInt(c.sec, 0);
        break;
      case Std.ZeroSecond:
        b += appendInt(c.sec, 2);
        break;
      case Std.PM:
        b += c.hour >= 12 ? "PM" : "AM";
        break;
      case Std.pm:
        b += c.hour >= 12 ? "pm" : "am";
        break;
      case Std.ISO8601TZ:
      case Std.ISO8601ColonTZ:
      case Std.ISO8601SecondsTZ:
      case Std.ISO8601ShortTZ:
      case Std.ISO8601ColonSecondsTZ:
      case Std.NumTZ:
      case Std.NumColonTZ:
      case Std.NumSecondsTz:
      case Std.NumShortTZ:
      case Std.NumColonSecondsTZ: {
        const iso =
          std === Std.ISO8601TZ ||
          std === Std.ISO8601ColonTZ ||
          std === Std.ISO8601SecondsTZ ||
          std === Std.ISO8601ShortTZ ||
          std === Std.ISO8601ColonSecondsTZ;
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
      case Std.FracSecond0:
      case Std.FracSecond9:
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
