/**
 * Alphabetical policy (Flux `internal/policy/alphabetical.go`): byte-wise
 * string order; ASC returns the greatest string, DESC the smallest.
 */
import { compareBytes } from "./bytes.js";
import { parseOrder, type OrderArg } from "./order.js";
import { EMPTY_LIST, type Build, type LatestResult, type Policer, type RankResult } from "./policer.js";

export class AlphabeticalPolicer implements Policer {
  constructor(readonly order: OrderArg) {}

  private better(a: string, b: string): number {
    return this.order === "ASC" ? compareBytes(b, a) : compareBytes(a, b);
  }

  latest(candidates: readonly string[]): LatestResult {
    if (candidates.length === 0) return { ok: false, error: EMPTY_LIST };
    let best = candidates[0]!;
    for (const c of candidates) if (this.better(c, best) < 0) best = c;
    return { ok: true, value: best };
  }

  rank(candidates: readonly string[], n: number): RankResult {
    if (candidates.length === 0) return { ok: false, error: EMPTY_LIST };
    return { ok: true, values: [...candidates].sort((a, b) => this.better(a, b)).slice(0, n) };
  }
}

export function newAlphabeticalPolicer(order: string | undefined): Build<AlphabeticalPolicer> {
  const o = parseOrder(order);
  return o.ok ? { ok: true, value: new AlphabeticalPolicer(o.value) } : o;
}
