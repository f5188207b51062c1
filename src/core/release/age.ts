/**
 * The minimum release age (`flux-image-bot/minimum-release-age`): a step
 * after the policy's own ranking. The policy's order is kept; the first
 * candidate that is old enough wins. Renovate calls this minimumReleaseAge.
 */
import type { ImageInfo } from "./info.js";

/** At most this many candidates are inspected per policy per scan. */
export const MAX_AGE_CANDIDATES = 10;

export interface AgeCandidate {
  tag: string;
  created?: string;
  /** old-enough; too-young (waits until `waitsUntil`); unknown-age: no creation time, counted as old enough; unread: the image could not be read */
  age: "old-enough" | "too-young" | "unknown-age" | "unread";
  waitsUntil?: string;
}

export interface AgeGateResult {
  /** the adopted tag, or undefined when every inspected candidate is too young */
  tag?: string;
  /** the inspected candidates in the policy's order, winner included */
  candidates: AgeCandidate[];
  /** the best candidate when it waits, with when it may be adopted */
  waiting?: AgeCandidate;
}

/**
 * `ranked` is the policy's order, best first (at most MAX_AGE_CANDIDATES are
 * looked at); `info` gives what was read of each tag (undefined: not read).
 */
export function applyMinimumAge(
  ranked: readonly string[],
  info: (tag: string) => ImageInfo | undefined | null,
  minimumAgeMs: number,
  now: Date,
): AgeGateResult {
  const candidates: AgeCandidate[] = [];
  for (const tag of ranked.slice(0, MAX_AGE_CANDIDATES)) {
    const i = info(tag);
    const c: AgeCandidate = { tag, age: "old-enough" };
    if (!i) c.age = i === null ? "unread" : "unknown-age";
    else if (!i.created) c.age = "unknown-age";
    else {
      c.created = i.created;
      const ready = Date.parse(i.created) + minimumAgeMs;
      if (ready > now.getTime()) [c.age, c.waitsUntil] = ["too-young", new Date(ready).toISOString()];
    }
    candidates.push(c);
    if (c.age !== "too-young") break;
  }
  const winner = candidates.find((c) => c.age !== "too-young");
  const waiting = candidates[0]?.age === "too-young" ? candidates[0] : undefined;
  return { tag: winner?.tag, candidates, ...(waiting ? { waiting } : {}) };
}

// Days at most (no weeks or months), the units the dashboard's relative-time filter knows.
const UNITS: Array<[number, string]> = [
  [86_400_000, "day"],
  [3_600_000, "hour"],
  [60_000, "minute"],
];

/** "3 days ago" style text for a past time; "just now" under a minute; "in the future" for clock skew. */
export function relativeAge(created: string, now: Date): string {
  const ms = now.getTime() - Date.parse(created);
  if (!Number.isFinite(ms)) return "at an unknown time";
  if (ms < -60_000) return "in the future";
  for (const [size, unit] of UNITS) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"} ago`;
  }
  return "just now";
}

/** "published 3 days ago", or "publication time unknown" when the image carries no creation time. */
export function ageText(created: string | undefined, now: Date): string {
  return created ? `published ${relativeAge(created, now)}` : "publication time unknown";
}
