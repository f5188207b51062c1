/**
 * Regenerates test/fixtures/differential/semver.json: random and edge-case
 * versions and ranges, answered by the real Masterminds/semver through
 * main.go (Debian's golang-github-masterminds-semver-dev, offline).
 *
 *   npx tsx test/differential/semver/generate.ts
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Rng } from "../../helpers/gen-prng.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");

const rng = new Rng(20240611);
const rnd = (): number => rng.next();
const pick = <T>(xs: readonly T[]): T => rng.pick(xs);
const chance = (p: number): boolean => rnd() < p;

const NUMS = ["0", "1", "2", "3", "10", "01", "00", "007", "99", "18446744073709551615", "18446744073709551616", "9007199254740993"];
const PRE_IDS = ["alpha", "beta", "rc", "RC", "0", "1", "2", "10", "01", "x", "X", "a-b", "-", "9a", "rc1", "alpha-1"];

function randPre(): string {
  const n = 1 + Math.floor(rnd() * 3);
  return Array.from({ length: n }, () => pick(PRE_IDS)).join(".");
}

function randVersion(): string {
  let s = chance(0.2) ? pick(["v", "V", "=", " "]) : "";
  s += pick(NUMS.slice(0, 9));
  const parts = chance(0.8) ? (chance(0.8) ? 2 : 1) : 0;
  for (let i = 0; i < parts; i++) s += "." + pick(NUMS.slice(0, 9));
  if (chance(0.35)) s += "-" + randPre();
  if (chance(0.15)) s += "+" + pick(["build", "b1", "001", "x.y", "sha-abc", "a..b", ""]);
  if (chance(0.03)) s += pick([".", " ", "-", "+", ".4", "_"]);
  return s;
}

const EDGE_VERSIONS = [
  "1.2.3",
  "v1.2.3",
  "V1.2.3",
  "1.2",
  "1",
  "v1",
  "01.02.03",
  "2025.02.03",
  "1.2.3.4",
  "1.2.3-",
  "1.2.3+",
  "1.2.3-01",
  "1.2.3-rc.01",
  "1.2.3-rc_1",
  " 1.2.3",
  "1.2.3 ",
  "1.2-rc.1",
  "1.2+build.1",
  "1.2.3-rc.1+b",
  "18446744073709551615.0.0",
  "18446744073709551616.0.0",
  "1.2.3-18446744073709551616",
  "1.2.3-0",
  "1.2.3-alpha.beta",
  "1.2.3-alpha.10",
  "1.2.3-alpha.9",
  "1.2.3--",
  "1.2.3-a..b",
  "",
  "v",
  "x",
  "1.x",
  "1.2.3+01",
  "0.0.0",
  "1.0.0-0",
  "9007199254740993.9007199254740992.1",
  "1.2.3-é",
  "１.2.3",
];

const OPS = ["", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^"];
const CV_MAJ = ["0", "1", "2", "3", "x", "X", "*", "10", "01"];

function randCv(): string {
  let s = chance(0.1) ? "v" : "";
  s += pick(CV_MAJ);
  const parts = Math.floor(rnd() * 3);
  for (let i = 0; i < parts; i++) s += "." + pick(CV_MAJ);
  if (chance(0.3)) s += "-" + pick(["0", "alpha", "rc.1", "beta.2", "01", "rc"]);
  if (chance(0.05)) s += "+" + pick(["b", "meta.1"]);
  return s;
}

function randRange(): string {
  const groups = 1 + (chance(0.25) ? 1 : 0) + (chance(0.05) ? 1 : 0);
  const out: string[] = [];
  for (let g = 0; g < groups; g++) {
    if (chance(0.12)) {
      out.push(`${randCv()} - ${randCv()}`);
      continue;
    }
    const n = 1 + Math.floor(rnd() * 3);
    const cs: string[] = [];
    for (let i = 0; i < n; i++) cs.push(pick(OPS) + (chance(0.2) ? " " : "") + randCv());
    out.push(cs.join(pick([" ", ", ", ",", "  "])));
  }
  let r = out.join(pick([" || ", "||", " ||"]));
  if (chance(0.04)) r += pick(["p", " x1", ",", " -", "|", "!"]);
  return r;
}

const EDGE_RANGES = [
  "1.0.x",
  "^1.0",
  "=1.0.0",
  "~1.0",
  ">=1.0",
  ">0,<2.0",
  "1.0.0p",
  "1x",
  "x1",
  "-1",
  "a",
  "",
  "*-*",
  "*",
  "x",
  "X",
  ">=1.0.0-0",
  ">=1.0.0-0 <2.0.0",
  "^1.x-0",
  ">1.2",
  "<=1.2",
  "1.2 - 1.4.5",
  "1.2.3 || 2.x",
  "1.2.3-rc.1",
  ">= 1.2.3-alpha.10",
  ">=1.0.0, <2.0.0-0",
  "!=1.2.x",
  "~1.2.3",
  "~1",
  "~0.0.0",
  "~*",
  "^0.2.3",
  "^0.0.3",
  "^0",
  "^0.0",
  "v1.0.x",
  "=v1.1.1",
  ">1.0.0-rc <2.0.0-rc",
  "1.0 - 2.0 3.0",
  "1 - 2 || 3 - 4",
  ">=1 <=2 !=1.5",
  "1.2.3 - 2.3.4-beta",
  ">=01.2.3",
  "~> 1.2",
  "=> 1",
  "=< 2",
  "> 1.x",
  "< 1.x",
  ">= *",
  "<= *",
  "!= *",
  "^*",
  "~x",
  "1.2.3+meta",
  ">1.2.3+meta",
  "1||2",
  "||",
  "1 ||",
  ">=1.0.0 ,<2.0.0",
  ">=1.0.0,,<2.0.0",
  "1.2.3-01",
  ">=18446744073709551616",
  "1|2",
  ">=1.0.0\t<2.0.0",
];

const VERSION_POOL = [
  "0.0.0",
  "0.0.1",
  "0.0.3",
  "0.1.0",
  "0.2.3",
  "0.2.9",
  "0.3.0",
  "1.0.0",
  "1.0.1",
  "1.1.0",
  "1.2.0",
  "1.2.3",
  "1.2.9",
  "1.3.0",
  "1.4.5",
  "1.4.6",
  "1.5.0",
  "2.0.0",
  "2.3.4",
  "2.5.0",
  "3.0.0",
  "10.0.0",
  "1.0.0-rc.1",
  "1.1.0-rc.1",
  "2.0.0-rc.1",
  "2.0.0-alpha",
  "1.2.3-alpha.9",
  "1.2.3-alpha.10",
  "1.2.3-alpha.beta",
  "1.2.3-rc.1",
  "1.2.3-beta",
  "2.3.4-beta",
  "0.0.0-0",
  "1.0.0-0",
  "v1.0.0",
  "v2.0.0",
  "1.2.3+meta",
  "01.02.03",
  "1.2",
  "1",
  "18446744073709551615.0.0",
];

interface Req {
  kind: "parse" | "compare" | "range";
  range?: string;
  versions?: string[];
  a?: string;
  b?: string;
}

const reqs: Req[] = [];
const parseInputs = [...EDGE_VERSIONS];
for (let i = 0; i < 1500; i++) parseInputs.push(randVersion());
for (let i = 0; i < parseInputs.length; i += 50) reqs.push({ kind: "parse", versions: parseInputs.slice(i, i + 50) });

const cmpPool = [...VERSION_POOL, ...EDGE_VERSIONS.filter((v) => !/\s/.test(v))];
for (let i = 0; i < 1500; i++) {
  const a = chance(0.5) ? pick(cmpPool) : randVersion();
  const b = chance(0.5) ? pick(cmpPool) : randVersion();
  reqs.push({ kind: "compare", a, b });
}

const ranges = [...EDGE_RANGES];
for (let i = 0; i < 1500; i++) ranges.push(randRange());
for (const r of ranges) {
  const vs = new Set<string>();
  while (vs.size < 12) vs.add(chance(0.6) ? pick(VERSION_POOL) : randVersion());
  reqs.push({ kind: "range", range: r, versions: [...vs] });
}

const input = reqs.map((r) => JSON.stringify(r)).join("\n") + "\n";
const env = { ...process.env, GO111MODULE: "off", GOPATH: "/usr/share/gocode", GOCACHE: process.env.GOCACHE ?? "/tmp/gocache" };
const stdout = execFileSync("go", ["run", path.join(here, "main.go")], { input, env, maxBuffer: 1 << 28 }).toString();
const answers = stdout
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as unknown);
const goVersion = execFileSync("go", ["version"], { env }).toString().trim();
const pkg = execFileSync("dpkg-query", ["-W", "-f", "${Version}", "golang-github-masterminds-semver-dev"]).toString().trim();

const fixture = {
  about:
    "Answers of the real Masterminds/semver (Debian golang-github-masterminds-semver-dev) for generated inputs; regenerate with test/differential/semver/generate.ts",
  oracle: { library: "github.com/Masterminds/semver/v3", debianPackage: pkg, go: goVersion },
  answers,
};
const out = path.join(root, "test/fixtures/differential/semver.json");
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(fixture) + "\n");
console.log(`wrote ${answers.length} answers to ${path.relative(root, out)}`);
