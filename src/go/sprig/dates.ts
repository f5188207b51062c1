/**
 * sprig's date functions that HermeticTxtFuncMap keeps: duration, durationRound, toDate, mustToDate,
 * unixEpoch, ago, must_date_modify/mustDateModify — with Go's time.Time, time.Duration, time.Month
 * and time.Weekday as template values (String, Format, Unix, Year, ... methods).
 *
 * `ago` and `durationRound` of a time need Go's time.Now(): the clock comes from the execution
 * options (`ExecOptions.now`); without it they fail with a clear error.
 */
import type { ExecContext, FuncMap } from "../template/exec.js";
import {
  addDuration,
  civil,
  durationString,
  formatTime,
  fromDate,
  goDate,
  type GoTime,
  LONG_DAYS,
  LONG_MONTHS,
  type Loc,
  parseDuration,
  parseTime,
  roundDuration,
  subTimes,
  timeGoString,
  timeString,
  TimeParseError,
  UTC,
  zeroTime,
} from "../time/index.js";
import { GoInt, GoStruct, type GoType, type GoValue, T_BOOL, T_INT, T_INT64, T_STRING } from "../template/value.js";
import { A, fail, fn, goint, i64, S } from "./helpers.js";

export const T_DURATION: GoType = { kind: "int64", name: "time.Duration", named: true, intStringer: (v) => durationString(v.v) };
export const T_MONTH: GoType = { kind: "int", name: "time.Month", named: true, intStringer: (v) => monthName(v.v) };
export const T_WEEKDAY: GoType = { kind: "int", name: "time.Weekday", named: true, intStringer: (v) => weekdayName(v.v) };

function monthName(m: bigint): string {
  return m >= 1n && m <= 12n ? LONG_MONTHS[Number(m) - 1]! : `%!Month(${m})`;
}
function weekdayName(d: bigint): string {
  return d >= 0n && d <= 6n ? LONG_DAYS[Number(d)]! : `%!Weekday(${d})`;
}

/** time.Time: values are [unix seconds, nanoseconds, location] (unexported, like Go's). */
export const T_TIME: GoType = {
  kind: "struct",
  name: "time.Time",
  named: true,
  fields: [
    { name: "wall", type: T_INT64 },
    { name: "ext", type: T_INT64 },
    { name: "loc", type: T_STRING },
  ],
  stringer: (v) => timeString(timeOf(v)),
  goString: (v) => timeGoString(timeOf(v as GoStruct)),
  jsonText: (v) => {
    const t = timeOf(v as GoStruct);
    const y = civil(t).year;
    if (y < 0 || y > 9999) fail("json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]");
    return JSON.stringify(formatTime(t, "2006-01-02T15:04:05.999999999Z07:00"));
  },
};

const locKey = (l: Loc): string => (l.kind === "fixed" ? `fixed:${l.offset}:${l.name}` : l.kind);
const locOf = (k: string): Loc => {
  if (k === "utc") return UTC;
  if (k === "local") return { kind: "local" };
  const m = /^fixed:(-?\d+):(.*)$/s.exec(k)!;
  return { kind: "fixed", name: m[2]!, offset: Number(m[1]) };
};

export function timeValue(t: GoTime): GoStruct {
  return new GoStruct(T_TIME, [i64(BigInt(t.sec)), i64(BigInt(t.nsec)), locKey(t.loc)]);
}
export function timeOf(v: GoStruct): GoTime {
  return { sec: Number((v.values[0] as GoInt).v), nsec: Number((v.values[1] as GoInt).v), loc: locOf(v.values[2] as string) };
}
const isTime = (v: GoValue): v is GoStruct => v instanceof GoStruct && v.type === T_TIME;
const dur = (ns: bigint): GoInt => new GoInt(BigInt.asIntN(64, ns), T_DURATION);
const recvTime = (r: GoValue): GoTime => timeOf(r as GoStruct);
const argTime = (v: GoValue): GoTime => {
  if (!isTime(v)) return fail("wrong type for value; expected time.Time");
  return timeOf(v);
};

T_TIME.methods = {
  String: { params: [], result: T_STRING, call: (r) => timeString(recvTime(r)) },
  Format: { params: [T_STRING], result: T_STRING, call: (r, [l]) => formatTime(recvTime(r), l as string) },
  Unix: { params: [], result: T_INT64, call: (r) => i64(BigInt(recvTime(r).sec)) },
  UnixMilli: { params: [], result: T_INT64, call: (r) => i64(BigInt(recvTime(r).sec) * 1000n + BigInt(Math.floor(recvTime(r).nsec / 1e6))) },
  UnixNano: { params: [], result: T_INT64, call: (r) => i64(BigInt(recvTime(r).sec) * 1_000_000_000n + BigInt(recvTime(r).nsec)) },
  Year: { params: [], result: T_INT, call: (r) => goint(civil(recvTime(r)).year) },
  Month: { params: [], result: T_MONTH, call: (r) => new GoInt(BigInt(civil(recvTime(r)).month), T_MONTH) },
  Day: { params: [], result: T_INT, call: (r) => goint(civil(recvTime(r)).day) },
  YearDay: { params: [], result: T_INT, call: (r) => goint(civil(recvTime(r)).yday) },
  Weekday: { params: [], result: T_WEEKDAY, call: (r) => new GoInt(BigInt(civil(recvTime(r)).weekday), T_WEEKDAY) },
  Hour: { params: [], result: T_INT, call: (r) => goint(civil(recvTime(r)).hour) },
  Minute: { params: [], result: T_INT, call: (r) => goint(civil(recvTime(r)).min) },
  Second: { params: [], result: T_INT, call: (r) => goint(civil(recvTime(r)).sec) },
  Nanosecond: { params: [], result: T_INT, call: (r) => goint(recvTime(r).nsec) },
  IsZero: { params: [], result: T_BOOL, call: (r) => recvTime(r).sec === zeroTime().sec && recvTime(r).nsec === 0 },
  UTC: { params: [], result: T_TIME, call: (r) => timeValue({ ...recvTime(r), loc: UTC }) },
  Local: { params: [], result: T_TIME, call: (r) => timeValue({ ...recvTime(r), loc: { kind: "local" } }) },
  Add: { params: [T_DURATION], result: T_TIME, call: (r, [d]) => timeValue(addDuration(recvTime(r), (d as GoInt).v)) },
  AddDate: {
    params: [T_INT, T_INT, T_INT],
    result: T_TIME,
    call: (r, [y, m, d]) => {
      const t = recvTime(r);
      const c = civil(t);
      const n = (x: GoValue): number => Number((x as GoInt).v);
      const out = goDate(c.year + n(y!), c.month + n(m!), c.day + n(d!), c.hour, c.min, c.sec, c.nsec, t.loc);
      return timeValue(out);
    },
  },
  Sub: { params: [T_TIME], result: T_DURATION, call: (r, [u]) => dur(subTimes(recvTime(r), argTime(u!))) },
  Before: { params: [T_TIME], result: T_BOOL, call: (r, [u]) => subTimes(recvTime(r), argTime(u!)) < 0n },
  After: { params: [T_TIME], result: T_BOOL, call: (r, [u]) => subTimes(recvTime(r), argTime(u!)) > 0n },
  Equal: { params: [T_TIME], result: T_BOOL, call: (r, [u]) => subTimes(recvTime(r), argTime(u!)) === 0n },
};
T_DURATION.methods = {
  String: { params: [], result: T_STRING, call: (r) => durationString((r as GoInt).v) },
  Hours: { params: [], result: { kind: "float64", name: "float64", named: false }, call: (r) => Number((r as GoInt).v) / 3.6e12 },
  Minutes: { params: [], result: { kind: "float64", name: "float64", named: false }, call: (r) => Number((r as GoInt).v) / 6e10 },
  Seconds: { params: [], result: { kind: "float64", name: "float64", named: false }, call: (r) => Number((r as GoInt).v) / 1e9 },
  Milliseconds: { params: [], result: T_INT64, call: (r) => i64((r as GoInt).v / 1_000_000n) },
  Round: { params: [T_DURATION], result: T_DURATION, call: (r, [m]) => ((m as GoInt).v <= 0n ? r! : dur(roundDuration((r as GoInt).v, (m as GoInt).v))) },
};
T_MONTH.methods = { String: { params: [], result: T_STRING, call: (r) => monthName((r as GoInt).v) } };
T_WEEKDAY.methods = { String: { params: [], result: T_STRING, call: (r) => weekdayName((r as GoInt).v) } };

function clock(ctx: unknown, fnName: string): GoTime {
  const now = (ctx as Partial<ExecContext> | undefined)?.options?.now;
  if (!now) return fail(`${fnName} needs the current time, but the template was executed without a clock (pass { now } to renderCommitMessage)`);
  return fromDate(now);
}

/** A time from sprig's `ago` argument, or undefined for "time.Now()". */
function agoTime(v: GoValue): GoTime | undefined {
  if (isTime(v)) return timeOf(v);
  if (v instanceof GoInt && (v.type.name === "int64" || v.type.name === "int")) return { sec: Number(v.v), nsec: 0, loc: { kind: "local" } };
  return undefined;
}

const YEAR = 3_600_000_000_000n * 24n * 365n;
const MONTH = 3_600_000_000_000n * 24n * 30n;
const DAY = 3_600_000_000_000n * 24n;
const HOUR = 3_600_000_000_000n;
const MINUTE = 60_000_000_000n;
const SECOND = 1_000_000_000n;

function roundMostSignificant(d: bigint): string {
  let u = BigInt.asUintN(64, d);
  if (d < 0n) u = BigInt.asUintN(64, -u);
  const steps: Array<[bigint, string]> = [
    [YEAR, "y"],
    [MONTH, "mo"],
    [DAY, "d"],
    [HOUR, "h"],
    [MINUTE, "m"],
    [SECOND, "s"],
  ];
  for (const [unit, suffix] of steps) if (u > unit) return `${u / unit}${suffix}`;
  return "0s";
}

export function dateFuncs(): FuncMap {
  return {
    duration: fn([A], S, (v: GoValue) => {
      let n = 0n;
      if (typeof v === "string") n = /^[+-]?\d+$/.test(v) && BigInt(v) < 2n ** 63n && BigInt(v) >= -(2n ** 63n) ? BigInt(v) : 0n;
      else if (v instanceof GoInt && v.type.name === "int64") n = v.v;
      return durationString(BigInt.asIntN(64, n * 1_000_000_000n));
    }),
    durationRound: fn([A], S, function (this: unknown, v: GoValue) {
      let d = 0n;
      if (typeof v === "string") {
        try {
          d = parseDuration(v);
        } catch {
          d = 0n;
        }
      } else if (v instanceof GoInt && v.type.name === "int64") d = v.v;
      else if (isTime(v)) d = subTimes(clock(this, "durationRound"), timeOf(v));
      return roundMostSignificant(d);
    }),
    ago: fn([A], S, function (this: unknown, v: GoValue) {
      const t = agoTime(v);
      if (!t) return "0s";
      return durationString(roundDuration(subTimes(clock(this, "ago"), t), SECOND));
    }),
    toDate: fn([S, S], T_TIME, (layout, s) => {
      try {
        return timeValue(parseTime(layout as string, s as string));
      } catch (e) {
        if (e instanceof TimeParseError) return timeValue(zeroTime());
        throw e;
      }
    }),
    mustToDate: fn([S, S], T_TIME, (layout, s) => timeValue(parseOrFail(() => parseTime(layout as string, s as string))), { err: true }),
    unixEpoch: fn([T_TIME], S, (t) => String(timeOf(t as GoStruct).sec)),
    must_date_modify: fn([S, T_TIME], T_TIME, mustDateModify, { err: true }),
    mustDateModify: fn([S, T_TIME], T_TIME, mustDateModify, { err: true }),
  };
}

function mustDateModify(mod: GoValue, t: GoValue): GoValue {
  const d = parseOrFail(() => parseDuration(mod as string));
  return timeValue(addDuration(timeOf(t as GoStruct), d));
}

function parseOrFail<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TimeParseError) return fail(e.message);
    throw e;
  }
}
