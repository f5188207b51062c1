/**
 * The bot's own annotations on Flux objects. Flux ignores annotations it
 * does not know, so these change nothing for the controllers; each one is
 * off unless set. Invalid values are Problems naming the accepted forms.
 */
import { Cron } from "croner";
import { durationMs } from "../duration.js";
import { problem, type Problem } from "../errors.js";
import type { ImagePolicy, ImageUpdateAutomation } from "../types.js";
import { objectKey } from "../types.js";

export const MINIMUM_RELEASE_AGE = "flux-image-bot/minimum-release-age";
export const APPROVE = "flux-image-bot/approve";
export const SCHEDULE = "flux-image-bot/schedule";
export const TIMEZONE = "flux-image-bot/timezone";
export const DEBOUNCE = "flux-image-bot/debounce";

/** Longest value read from an annotation; longer ones are refused. */
const MAX_VALUE = 200;

export interface PolicyGates {
  /** candidates younger than this (by their image's creation time) are not adopted */
  minimumAgeMs?: number;
  /** updates of these kinds wait for approval on the dashboard */
  approve?: "major" | "all";
}

export interface AutomationGates {
  /** a five-field cron expression: commits happen only in the minutes it matches */
  schedule?: string;
  /** IANA time zone of the schedule; UTC when absent */
  timezone?: string;
  /** quiet time after the last change of the pending updates before committing */
  debounceMs?: number;
}

const where = (o: ImagePolicy | ImageUpdateAutomation) => ({ file: o.file, line: o.line, object: objectKey(o) });

function duration(o: ImagePolicy | ImageUpdateAutomation, key: string, problems: Problem[]): number | undefined {
  const v = o.annotations[key];
  if (v === undefined) return undefined;
  const ms = v.length <= MAX_VALUE ? durationMs(v.trim()) : null;
  if (ms === null || ms <= 0) {
    problems.push(
      problem(
        "annotation.invalid",
        `${key}: "${v.slice(0, 60)}" is not a duration; write a Go duration with units h, m, s or ms, such as "72h" or "1h30m"`,
        where(o),
      ),
    );
    return undefined;
  }
  return ms;
}

export function policyGates(p: ImagePolicy): { gates: PolicyGates; problems: Problem[] } {
  const problems: Problem[] = [];
  const gates: PolicyGates = {};
  const age = duration(p, MINIMUM_RELEASE_AGE, problems);
  if (age !== undefined) gates.minimumAgeMs = age;
  const approve = p.annotations[APPROVE];
  if (approve !== undefined) {
    const v = approve.trim();
    if (v === "major" || v === "all") gates.approve = v;
    else
      problems.push(
        problem(
          "annotation.invalid",
          `${APPROVE}: "${approve.slice(0, 60)}" is not accepted; write "major" (major updates wait for approval) or "all" (every update waits)`,
          where(p),
        ),
      );
  }
  return { gates, problems };
}

/** Whether `tz` is an IANA time zone name this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz.length <= 64;
  } catch {
    return false;
  }
}

/** The cron of a schedule, or the reason it is refused. Only five-field expressions (minute hour day month weekday). */
export function parseSchedule(expr: string, timezone?: string): { ok: true; cron: Cron } | { ok: false; error: string } {
  const v = expr.trim();
  if (v.length > MAX_VALUE || v.split(/\s+/).length !== 5)
    return { ok: false, error: "a schedule has five fields: minute hour day-of-month month day-of-week" };
  try {
    return { ok: true, cron: new Cron(v, { paused: true, ...(timezone ? { timezone } : {}) }) };
  } catch (e) {
    return { ok: false, error: (e as Error).message.replace(/^CronPattern: /, "") };
  }
}

export function automationGates(a: ImageUpdateAutomation): { gates: AutomationGates; problems: Problem[] } {
  const problems: Problem[] = [];
  const gates: AutomationGates = {};
  const tz = a.annotations[TIMEZONE];
  let tzOk = true;
  if (tz !== undefined) {
    tzOk = isTimeZone(tz.trim());
    if (tzOk) gates.timezone = tz.trim();
    else
      problems.push(
        problem(
          "annotation.invalid",
          `${TIMEZONE}: "${tz.slice(0, 60)}" is not an IANA time zone; write a name such as "Europe/Berlin", "America/New_York" or "UTC"`,
          where(a),
        ),
      );
  }
  const schedule = a.annotations[SCHEDULE];
  if (schedule !== undefined) {
    const s = parseSchedule(schedule, gates.timezone);
    if (s.ok && tzOk) gates.schedule = schedule.trim();
    else if (!s.ok)
      problems.push(
        problem(
          "annotation.invalid",
          `${SCHEDULE}: "${schedule.slice(0, 60)}" is not a cron expression (${s.error}); write five fields, minute hour day-of-month month day-of-week, such as "* 22-23 * * 1-5" for weekday nights`,
          where(a),
        ),
      );
  } else if (tz !== undefined && tzOk) {
    problems.push({ ...problem("annotation.unused", `${TIMEZONE} is set without ${SCHEDULE}; it only applies to a schedule`, where(a)), severity: "warning" });
  }
  const debounce = duration(a, DEBOUNCE, problems);
  if (debounce !== undefined) gates.debounceMs = debounce;
  return { gates, problems };
}
