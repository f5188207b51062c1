/**
 * filterTags (Flux `internal/policy/filter.go`): keep the tags the Go regexp
 * matches anywhere; the candidate is the tag itself, or the `extract`
 * template expanded with Go's Regexp.ExpandString when extract is non-empty.
 * Candidates are keyed in a map candidate -> original where the last tag
 * processed wins, so over the stored (descending) list a shared candidate maps
 * to the byte-wise smallest original tag, as in Flux.
 *
 * Flux then hands the map keys to the policy in Go map order (random). Here
 * they come ordered by their original tag, descending (the order an
 * unfiltered evaluation would see); selectLatest adapts the order per policy
 * so that ties between candidates go to the byte-wise greatest original tag.
 */
import { compileGo, type GoRegexp } from "../../go/index.js";
import { compareBytes } from "./bytes.js";
import type { Build } from "./policer.js";

export interface Filtered {
  candidates: string[];
  originalOf: Map<string, string>;
}

export class RegexFilter {
  constructor(
    readonly pattern: string,
    readonly extract: string,
    private readonly re: GoRegexp,
  ) {}

  apply(tags: readonly string[]): Filtered {
    const originalOf = new Map<string, string>();
    for (const tag of tags) {
      const m = this.re.findStringSubmatchIndex(tag);
      if (m === null) continue;
      const candidate = this.extract !== "" ? this.re.expandString(this.extract, tag, m) : tag;
      originalOf.set(candidate, tag);
    }
    const candidates = [...originalOf.keys()].sort((a, b) => compareBytes(originalOf.get(b)!, originalOf.get(a)!));
    return { candidates, originalOf };
  }
}

export function newRegexFilter(pattern: string, extract: string): Build<RegexFilter> {
  try {
    return { ok: true, value: new RegexFilter(pattern, extract, compileGo(pattern)) };
  } catch (e) {
    return { ok: false, error: `invalid regular expression pattern '${pattern}': ${(e as Error).message}` };
  }
}
