/**
 * A seeded PRNG and a small fuzz runner for the fuzz and hostile-input
 * suites (no property-testing library: the checkout must not grow deps).
 *
 * Every case gets its own seed derived from the run seed and its index, so a
 * failure message names both and one case can be replayed alone:
 * `FUZZ_SEED=<run seed> FUZZ_CASE=<index> jest test/fuzz`.
 */

/** mulberry32: tiny, fast, good enough to spread inputs around. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** float in [0, 1) */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** integer in [lo, hi] */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  /** a string of `n` characters drawn from `alphabet` (code points) */
  stringOf(alphabet: string, n: number): string {
    const cps = [...alphabet];
    let s = "";
    for (let i = 0; i < n; i++) s += cps[this.int(cps.length)];
    return s;
  }
}

/** The run seed: FUZZ_SEED when set (to replay), else a fixed default so CI is deterministic. */
export function runSeed(fallback: number): number {
  const env = process.env.FUZZ_SEED;
  return env && /^\d+$/.test(env) ? Number(env) >>> 0 : fallback;
}

/** Seed of case `i` of a run: a 32-bit mix of both (splitmix-like). */
export function caseSeed(seed: number, i: number): number {
  let x = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

export interface FuzzFailure {
  index: number;
  caseSeed: number;
  input: string;
  error: string;
}

export interface FuzzOptions<T> {
  name: string;
  seed: number;
  count: number;
  /** builds the input of one case from its own Rng */
  gen: (rng: Rng, index: number) => T;
  /** runs the code under test; throws (or returns a string) to report a failure */
  check: (input: T) => undefined | string;
  /** per-case hang detector (wall clock, includes generation-free check only) */
  maxMs?: number;
  /** how an input is shown in a failure message */
  show?: (input: T) => string;
}

function preview(s: string, max = 300): string {
  const j = JSON.stringify(s) ?? String(s);
  return j.length > max ? `${j.slice(0, max)}… (${s.length} chars)` : j;
}

/**
 * Runs `count` cases and returns a report; `expectNoFailures` turns it into
 * one assertion whose message carries the seed. FUZZ_CASE=<i> runs only case i.
 */
export function fuzz<T>(o: FuzzOptions<T>): { failures: FuzzFailure[]; slowest: { index: number; ms: number }; cases: number } {
  const failures: FuzzFailure[] = [];
  let slowest = { index: -1, ms: 0 };
  const only = process.env.FUZZ_CASE && /^\d+$/.test(process.env.FUZZ_CASE) ? Number(process.env.FUZZ_CASE) : undefined;
  let cases = 0;
  for (let i = 0; i < o.count; i++) {
    if (only !== undefined && i !== only) continue;
    const cs = caseSeed(o.seed, i);
    const input = o.gen(new Rng(cs), i);
    const show = (): string => (o.show ? o.show(input) : typeof input === "string" ? preview(input) : preview(JSON.stringify(input) ?? ""));
    const t0 = performance.now();
    let error: string | undefined;
    try {
      const r = o.check(input);
      if (typeof r === "string") error = r;
    } catch (e) {
      error = `threw ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}` : String(e)}`;
    }
    const ms = performance.now() - t0;
    cases++;
    if (ms > slowest.ms) slowest = { index: i, ms };
    if (!error && o.maxMs !== undefined && ms > o.maxMs) error = `took ${Math.round(ms)} ms (bound ${o.maxMs} ms)`;
    if (error) failures.push({ index: i, caseSeed: cs, input: show(), error });
    if (failures.length >= 5) break;
  }
  return { failures, slowest, cases };
}

/** A failure message that says how to replay. */
export function describeFailures(name: string, seed: number, failures: FuzzFailure[]): string {
  if (!failures.length) return "";
  return [
    `fuzz "${name}" failed with FUZZ_SEED=${seed} (replay one case with FUZZ_SEED=${seed} FUZZ_CASE=<index>):`,
    ...failures.map((f) => `  case ${f.index} (case seed ${f.caseSeed}): ${f.error}\n    input: ${f.input}`),
  ].join("\n");
}
