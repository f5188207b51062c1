/**
 * SemVer policy (Flux `internal/policy/semver.go`): keep tags that parse with
 * fluxcd/pkg's ParseVersion and satisfy the Masterminds range; the first
 * strictly greatest one in input order wins and its original text is returned.
 */
import { newConstraint, type Constraints, type Version } from "../../go/index.js";
import { parseFluxVersion } from "./flux-version.js";
import { EMPTY_LIST, type Build, type LatestResult, type Policer, type RankResult } from "./policer.js";

export const NO_MATCH = "unable to determine latest version from provided list";

export class SemVerPolicer implements Policer {
  constructor(
    readonly range: string,
    private readonly constraint: Constraints,
  ) {}

  latest(candidates: readonly string[]): LatestResult {
    if (candidates.length === 0) return { ok: false, error: EMPTY_LIST };
    let best: Version | null = null;
    for (const tag of candidates) {
      const v = parseFluxVersion(tag);
      if (v !== null && this.constraint.check(v) && (best === null || v.compare(best) > 0)) best = v;
    }
    return best ? { ok: true, value: best.original } : { ok: false, error: NO_MATCH };
  }

  rank(candidates: readonly string[], n: number): RankResult {
    if (candidates.length === 0) return { ok: false, error: EMPTY_LIST };
    const eligible: Version[] = [];
    for (const tag of candidates) {
      const v = parseFluxVersion(tag);
      if (v !== null && this.constraint.check(v)) eligible.push(v);
    }
    if (eligible.length === 0) return { ok: false, error: NO_MATCH };
    // Stable: equal versions keep input order, so the first one wins as in latest().
    eligible.sort((a, b) => b.compare(a));
    return { ok: true, values: eligible.slice(0, n).map((v) => v.original) };
  }
}

export function newSemVerPolicer(range: string): Build<SemVerPolicer> {
  try {
    return { ok: true, value: new SemVerPolicer(range, newConstraint(range)) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
