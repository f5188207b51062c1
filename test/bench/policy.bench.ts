/**
 * selectLatest for one semver policy over 10,000 distinct stored tags
 * (realistic mix: v-prefixed and bare semver, prereleases, build metadata,
 * CalVer, commit-sha tags, PR builds, `latest-*`).
 * Prints the warm median of several runs. Target: <= 20 ms.
 *
 *   npx tsx test/bench/policy.bench.ts
 */
import { applyExclusionList, selectLatest } from "../../src/core/policy/index.js";
import { Rng } from "../helpers/gen-prng.js";

function makeTags(n: number): string[] {
  const rng = new Rng(42);
  const rnd = (): number => rng.next();
  const int = (k: number): number => Math.floor(rnd() * k);
  const tags = new Set<string>();
  while (tags.size < n) {
    const r = rnd();
    const ver = `${int(8)}.${int(40)}.${int(60)}`;
    if (r < 0.35) tags.add(ver);
    else if (r < 0.55) tags.add(`v${ver}`);
    else if (r < 0.7) tags.add(`${ver}-${["rc", "alpha", "beta"][int(3)]}.${int(20)}`);
    else if (r < 0.75) tags.add(`${ver}+build.${int(1000)}`);
    else if (r < 0.85) tags.add(`main-${int(1e9).toString(16)}-${1700000000 + int(1e7)}`);
    else if (r < 0.9) tags.add(`${2020 + int(6)}.${String(1 + int(12)).padStart(2, "0")}.${String(1 + int(28)).padStart(2, "0")}`);
    else if (r < 0.95) tags.add(`pr-${int(1e7)}`);
    else tags.add(`latest-${int(1e6)}`);
  }
  return [...tags];
}

export async function run(): Promise<void> {
  const raw = makeTags(10_000);
  const storedRes = applyExclusionList(raw);
  if (!storedRes.ok) throw new Error(storedRes.error);
  const tags = storedRes.tags;
  const spec = { policy: { semver: { range: ">=1.0.0 <5.0.0-0" } } };
  for (let i = 0; i < 5; i++) selectLatest(tags, spec); // warm-up
  const times: number[] = [];
  let winner = "";
  for (let i = 0; i < 21; i++) {
    const t0 = process.hrtime.bigint();
    const r = selectLatest(tags, spec);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    winner = r.ok ? r.tag : r.error;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`policy.bench: selectLatest semver '${spec.policy.semver.range}' over ${tags.length} stored tags (${raw.length} before exclusion)`);
  console.log(
    `policy.bench: winner ${winner}; median ${median.toFixed(2)} ms, min ${times[0]!.toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms (target <= 20 ms)`,
  );
  const t0 = process.hrtime.bigint();
  applyExclusionList(raw);
  console.log(`policy.bench: applyExclusionList over ${raw.length} tags ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(2)} ms`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  await run();
}
