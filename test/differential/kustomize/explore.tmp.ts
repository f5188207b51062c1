import { Rng, caseSeed } from "../../helpers/gen-prng.js";
import { genCase } from "./gen.js";
import { builderOutcome, kubectlOutcome, mapPool, difference, showCase } from "./oracle.js";
import fs from "node:fs";
const N = Number(process.argv[2] ?? 100);
const seed = 20261207;
const cases = Array.from({ length: N }, (_, i) => genCase(new Rng(caseSeed(seed, i))));
const t0 = Date.now();
let kms = 0;
const res = await mapPool(cases, 2, async (c, i) => { const t = Date.now(); const k = await kubectlOutcome(c); kms += Date.now() - t; return { i, k, b: builderOutcome(c) }; });
let agree = 0, bothFail = 0; const bad: any[] = [];
for (const r of res) { const d = difference(r.b, r.k); if (!d) { agree++; if (!r.k.ok) bothFail++; } else bad.push({ i: r.i, d, feat: cases[r.i].features, kerr: r.k.ok ? "" : r.k.error }); }
console.log(`cases ${N} agree ${agree} bothFail ${bothFail} wall ${Date.now() - t0}ms kubectl ${kms}ms`);
const fails = res.filter(r => !r.k.ok).map(r => r.k.ok ? "" : r.k.error.split("\n")[0].slice(0, 150));
fs.writeFileSync("/tmp/kd/kfails.txt", fails.join("\n"));
fs.writeFileSync("/tmp/kd/bad.json", JSON.stringify(bad.map(b => ({ ...b, case: showCase(cases[b.i]) })), null, 1));
for (const b of bad.slice(0, 40)) console.log(`#${b.i} ${b.d.slice(0, 600)}\n   features: ${b.feat.join(",")}`);
