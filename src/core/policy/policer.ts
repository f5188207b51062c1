/**
 * The Policer contract (Flux `internal/policy/policer.go`): candidates in,
 * the chosen candidate out. `rank` adds the preference order behind the
 * choice, for `policy --json`.
 */
export type LatestResult = { ok: true; value: string } | { ok: false; error: string };
export type RankResult = { ok: true; values: string[] } | { ok: false; error: string };

export interface Policer {
  /** Flux's Latest over the candidates, in the order given. */
  latest(candidates: readonly string[]): LatestResult;
  /** The best `n` candidates, winner first (the winner equals latest()). */
  rank(candidates: readonly string[], n: number): RankResult;
}

export const EMPTY_LIST = "version list argument cannot be empty";

export type Build<T> = { ok: true; value: T } | { ok: false; error: string };
