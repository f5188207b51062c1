/**
 * ImageRepository exclusion list and stored tag order (Flux IRC
 * `imagerepository_controller.go`: filterOutTags, GetExclusionList,
 * sortTagsAndGetLatestTags). A tag is dropped when any Go regexp matches
 * anywhere in it; the survivors are stored sorted descending by bytes.
 */
import { compileGo, type GoRegexp } from "../../go/index.js";
import { sortDescending } from "./bytes.js";

/** Flux's default, used when spec.exclusionList is absent or empty. */
export const DEFAULT_EXCLUSION_LIST: readonly string[] = ["^.*\\.sig$"];

/** The list Flux applies (and reports as observedExclusionList). */
export function effectiveExclusionList(exclusionList?: readonly string[]): string[] {
  return exclusionList && exclusionList.length > 0 ? [...exclusionList] : [...DEFAULT_EXCLUSION_LIST];
}

function compileAll(patterns: readonly string[]): GoRegexp[] | string {
  const out: GoRegexp[] = [];
  for (const p of patterns) {
    try {
      out.push(compileGo(p));
    } catch (e) {
      return `failed to compile regex ${p}: ${(e as Error).message}`;
    }
  }
  return out;
}

/** Flux filterOutTags: the given patterns as they are (no default), input order kept. */
export function filterOutTags(tags: readonly string[], patterns: readonly string[]): { ok: true; tags: string[] } | { ok: false; error: string } {
  const res = compileAll(patterns);
  if (typeof res === "string") return { ok: false, error: res };
  return { ok: true, tags: tags.filter((t) => !res.some((re) => re.matchString(t))) };
}

/** Default applied, then stable descending byte sort. */
export function applyExclusionList(
  tags: readonly string[],
  exclusionList?: readonly string[],
): { ok: true; tags: string[]; excluded: number } | { ok: false; error: string } {
  const res = filterOutTags(tags, effectiveExclusionList(exclusionList));
  if (!res.ok) return res;
  return { ok: true, tags: sortDescending(res.tags), excluded: tags.length - res.tags.length };
}

/** status.lastScanResult.latestTags: the first 10 stored tags, undefined when there are none. */
export function latestTags(sortedTags: readonly string[]): string[] | undefined {
  return sortedTags.length > 0 ? sortedTags.slice(0, 10) : undefined;
}
