/**
 * Numerical policy (Flux `internal/policy/numerical.go`): every candidate must
 * parse as a Go float64 or the evaluation fails. ASC keeps the largest value,
 * DESC the smallest; a candidate replaces the current best unless it is
 * strictly worse, so among equal values the last one wins (and NaN, which
 * compares false both ways, always replaces and is always replaced).
 */
import { parseGoFloat } from "../../go/index.js";
import { parseOrder, type OrderArg } from "./order.js";
import { EMPTY_LIST, type Build, type LatestResult, type Policer, type RankResult } from "./policer.js";

const invalid = (tag: string): string => `failed to parse invalid numeric value '${tag}'`;

export class NumericalPolicer implements Policer {
  constructor(readonly order: OrderArg) {}

  private parseAll(candidates: readonly string[]): number[] | string {
    const values: number[] = [];
    for (const c of candidates) {
      const v = parseGoFloat(c);
      if (v === null) return invalid(c);
      values.push(v);
    }
    return values;
  }

  private winnerIndex(values: readonly number[]): number {
    let best = 0;
    for (let i = 1; i < values.length; i++) {
      const cv = values[i]!;
      const pv = values[best]!;
      if ((this.order === "ASC" && cv < pv) || (this.order === "DESC" && cv > pv)) continue;
      best = i;
    }
    return best;
  }

  latest(candidates: readonly string[]): LatestResult {
    if (candidates.length === 0) return { ok: false, error: EMPTY_LIST };
    const values = this.parseAll(candidates);
    if (typeof values === "string") return { ok: false, error: values };
    return { ok: true, value: candidates[this.winnerIndex(values)]! };
  }

  rank(candidates: readonly string[], n: number): RankResult {
    if (candidates.length === 0) return { ok: false, error: EMPTY_LIST };
    const values = this.parseAll(candidates);
    if (typeof values === "string") return { ok: false, error: values };
    const win = this.winnerIndex(values);
    const sign = this.order === "ASC" ? -1 : 1;
    const rest = candidates
      .map((c, i) => ({ c, v: values[i]!, i }))
      .filter((x) => x.i !== win)
      // Better value first; among equal values the later input first (last wins); NaN last.
      .sort((a, b) => nanLast(a.v, b.v) || (a.v === b.v || Number.isNaN(a.v) ? b.i - a.i : sign * (a.v < b.v ? -1 : 1)));
    return { ok: true, values: [candidates[win]!, ...rest.map((x) => x.c)].slice(0, n) };
  }
}

function nanLast(a: number, b: number): number {
  return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
}

export function newNumericalPolicer(order: string | undefined): Build<NumericalPolicer> {
  const o = parseOrder(order);
  return o.ok ? { ok: true, value: new NumericalPolicer(o.value) } : o;
}
