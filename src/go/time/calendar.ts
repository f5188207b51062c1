/**
 * Calendar part of a model of Go's time package, enough for sprig's date functions: time.Time values, Format and
 * ParseInLocation with Go layouts, ParseDuration and Duration.String.
 *
 * Pure: there is no clock here. Location handling: time.Local is taken to be UTC (Flux's
 * controller image has no /etc/localtime), fixed zones from parsed offsets are kept.
 * Layout and value strings are processed as UTF-8 bytes (as latin1 JS strings), like Go.
 */

export type Loc = { kind: "utc" } | { kind: "local" } | { kind: "fixed"; name: string; offset: number };

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

export function zoneOf(loc: Loc): { name: string; offset: number } {
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
    year,
    month,
    day,
    yday,
    hour: Math.floor(rem / 3600),
    min: Math.floor((rem % 3600) / 60),
    sec: rem % 60,
    weekday: (((days + 4) % 7) + 7) % 7,
    nsec: t.nsec,
    zone: name,
    offset,
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
export const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));
export const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
export const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));
export const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

export function daysIn(month: number, year: number): number {
  if (month === 2 && isLeap(year)) return 29;
  return DAYS_BEFORE[month]! - DAYS_BEFORE[month - 1]!;
}
