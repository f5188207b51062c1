/**
 * A model of Go's time package, enough for sprig's date functions: time.Time values, Format and
 * ParseInLocation with Go layouts, ParseDuration and Duration.String.
 *
 * Pure: there is no clock here. Location handling: time.Local is taken to be UTC (Flux's
 * controller image has no /etc/localtime), fixed zones from parsed offsets are kept.
 * Layout and value strings are processed as UTF-8 bytes (as latin1 JS strings), like Go.
 */

export * from "./calendar.js";
export { formatTime, timeGoString, timeString } from "./format.js";
export { parseTime, TimeParseError } from "./parse.js";
export { addDuration, durationString, parseDuration, roundDuration, subTimes } from "./duration.js";
