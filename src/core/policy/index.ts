/**
 * Tag selection as Flux's ImagePolicy does it (IRC applyPolicy): optional
 * filterTags, then the policy; the ORIGINAL tag is reported. Plus the
 * ImageRepository exclusion list and stored order. Pure functions.
 */
import type { FilterTags, PolicyChoice } from "../types.js";
import { compilePolicy, type CompiledPolicy, type PolicySpec } from "./from-spec.js";
import { NumericalPolicer } from "./numerical.js";
import { EMPTY_LIST } from "./policer.js";
import { NO_MATCH } from "./semver.js";

export { applyExclusionList, filterOutTags, effectiveExclusionList, latestTags, DEFAULT_EXCLUSION_LIST } from "./exclusion.js";
export { compareBytes, sortDescending } from "./bytes.js";
export { compilePolicy, policerFromSpec } from "./from-spec.js";
export type { CompiledPolicy, PolicySpec } from "./from-spec.js";
export type { Policer } from "./policer.js";

export type PolicyOutcome = { ok: true; tag: string } | { ok: false; code: "policy.invalid" | "policy.no-match"; error: string };

/** null when the spec builds (range, orders, regex, one policy kind), else what to fix. */
export function validatePolicy(spec: { policy: PolicyChoice; filterTags?: FilterTags }): string | null {
  const c = compilePolicy(spec);
  return c.ok ? null : c.error;
}

function candidatesOf(tags: readonly string[], c: CompiledPolicy): { candidates: readonly string[]; original: (s: string) => string } {
  if (c.filter === null) return { candidates: tags, original: (s) => s };
  const f = c.filter.apply(tags);
  // Candidates come by original tag, descending. Semver keeps the first of
  // equal versions, numerical the last of equal values: reverse for the
  // latter so that ties always go to the byte-wise greatest original tag.
  const candidates = c.policer instanceof NumericalPolicer ? [...f.candidates].reverse() : f.candidates;
  return { candidates, original: (s) => f.originalOf.get(s) ?? s };
}

function explain(error: string, tags: readonly string[], c: CompiledPolicy): string {
  if (error === EMPTY_LIST) {
    return c.filter !== null && tags.length > 0
      ? `${error} (no tag matched filterTags.pattern '${c.filter.pattern}')`
      : `${error} (the image repository has no tags)`;
  }
  if (error === NO_MATCH) return `${error} (no tag satisfies ${c.describe})`;
  if (error.startsWith("failed to parse invalid numeric value")) {
    return `${error} (a numerical policy needs every candidate to be a number: add a filterTags.pattern that only admits numeric tags)`;
  }
  return error;
}

/**
 * Flux applyPolicy. `tags` is the stored list (exclusions applied, sorted
 * descending by bytes). With filterTags, ties are deterministic: the
 * byte-wise greatest original tag wins.
 */
export function selectLatest(tags: readonly string[], spec: PolicySpec): PolicyOutcome {
  const c = compilePolicy(spec);
  if (!c.ok) return { ok: false, code: "policy.invalid", error: c.error };
  const { candidates, original } = candidatesOf(tags, c.value);
  const r = c.value.policer.latest(candidates);
  if (!r.ok) return { ok: false, code: "policy.no-match", error: explain(r.error, tags, c.value) };
  return { ok: true, tag: original(r.value) };
}

/** The best `n` original tags in the policy's preference order, winner first. */
export function rankCandidates(
  tags: readonly string[],
  spec: PolicySpec,
  n: number,
): { ok: true; tags: string[] } | { ok: false; code: string; error: string } {
  const c = compilePolicy(spec);
  if (!c.ok) return { ok: false, code: "policy.invalid", error: c.error };
  const { candidates, original } = candidatesOf(tags, c.value);
  const r = c.value.policer.rank(candidates, Math.max(0, n));
  if (!r.ok) return { ok: false, code: "policy.no-match", error: explain(r.error, tags, c.value) };
  return { ok: true, tags: r.values.map(original) };
}
