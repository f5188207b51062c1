/**
 * The minimum release age as a step after the policy's selection
 * (evaluatePolicies calls ageGate when it is given a ReleaseInput), and
 * which images the caller must read for it and for the change texts.
 */
import { applyExclusionList, rankCandidates } from "../policy/index.js";
import type { ImagePolicy, ImageRepository } from "../types.js";
import { applyMinimumAge, MAX_AGE_CANDIDATES, type AgeGateResult } from "./age.js";
import { policyGates } from "./annotations.js";
import type { ImageInfo } from "./info.js";

export interface ReleaseInput {
  now: Date;
  /** what was read of `image:tag` (spec.image as written); undefined: not asked, null: could not be read */
  info: (image: string, tag: string) => ImageInfo | undefined | null;
}

/** The tag to adopt and the age record, or undefined when the policy has no minimum age. */
export function ageGate(policy: ImagePolicy, repo: ImageRepository, tags: readonly string[], release: ReleaseInput): AgeGateResult | undefined {
  const min = policyGates(policy).gates.minimumAgeMs;
  if (min === undefined) return undefined;
  const ranked = rankCandidates(tags, { policy: policy.spec.policy, filterTags: policy.spec.filterTags }, MAX_AGE_CANDIDATES);
  if (!ranked.ok) return undefined;
  return applyMinimumAge(ranked.tags, (t) => release.info(repo.spec.image, t), min, release.now);
}

/**
 * The tags to read for one policy: its best MAX_AGE_CANDIDATES candidates
 * when it has a minimum age, else its selected tag.
 */
export function tagsToInspect(policy: ImagePolicy, repo: ImageRepository, scanTags: readonly string[], selected: string | undefined): string[] {
  if (policyGates(policy).gates.minimumAgeMs === undefined) return selected ? [selected] : [];
  const excluded = applyExclusionList(scanTags, repo.spec.exclusionList);
  if (!excluded.ok) return [];
  const ranked = rankCandidates(excluded.tags, { policy: policy.spec.policy, filterTags: policy.spec.filterTags }, MAX_AGE_CANDIDATES);
  return ranked.ok ? ranked.tags : [];
}
