/**
 * Regenerates test/fixtures/differential/gostd.json: Go's regexp (match,
 * ExpandString, ReplaceAllString, FindAllString, Split) and
 * strconv.ParseFloat answers for hand-picked and random inputs.
 *
 *   npx tsx test/differential/gostd/generate.ts
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Rng } from "../../helpers/gen-prng.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");

const rng = new Rng(7);
const rnd = (): number => rng.next();
const pick = <T>(xs: readonly T[]): T => rng.pick(xs);

const FLOAT_EDGE = [
  "-62",
  "+5",
  "01",
  "1.",
  ".5",
  "1e3",
  "1_000",
  "1__0",
  "_1",
  "1_",
  "0x1p4",
  "0x10",
  "0b101",
  "0o17",
  "NaN",
  "nan",
  "+nan",
  "-nan",
  "Inf",
  "+Inf",
  "-inf",
  "infinity",
  "-Infinity",
  "infin",
  "INF",
  " 1",
  "1 ",
  "1.0.0",
  "v1",
  "1e400",
  "-1e400",
  "1e-400",
  "4.9e-324",
  "2.4e-324",
  "1.7976931348623157e308",
  "1.7976931348623159e308",
  "0x1.fffffffffffffp1023",
  "0x1.fffffffffffff8p1023",
  "0x1p-1074",
  "0x1p-1075",
  "0x1.8p-1075",
  "0x_1p4",
  "0x1_0p0",
  "0x1p1_0",
  "1e1_0",
  "1_.5",
  "1._5",
  "",
  "-",
  "+",
  ".",
  "e5",
  "1e",
  "1e+",
  "1e-5",
  "0x",
  "0xp1",
  "0x.8p1",
  "0X1P-2",
  "1E5",
  "00000000000000000000001",
  "123456789012345678901234567890",
  "0.1",
  "-0",
  "0x1.123456789abcdefp0",
  "1e99999999999",
  "9007199254740993",
];
const floats = [...FLOAT_EDGE];
const FLOAT_CHARS = ["0", "1", "5", "9", ".", "e", "E", "-", "+", "_", "x", "p", "a", "f"];
for (let i = 0; i < 800; i++) {
  const n = 1 + Math.floor(rnd() * 7);
  floats.push(Array.from({ length: n }, () => pick(FLOAT_CHARS)).join(""));
}

const PATTERNS: Array<[string, string]> = [
  ["ver(\\d+)", "$1"],
  ["^test-(.*)$", "$1"],
  ["(?P<num>[0-9]+)", "$num"],
  ["(?P<num>[0-9]+)", "${num}x"],
  ["(\\d+)", "$1x"],
  ["(\\d+)", "${1}x"],
  ["(\\d+)", "$$1"],
  ["(\\d+)", "$"],
  ["(\\d+)", "${1"],
  ["(\\d+)", "$2"],
  ["(\\d+)", "$01"],
  ["(\\d+)", "$0"],
  ["(a)|(b)", "[$1|$2]"],
  ["a*", "<$0>"],
  ["", "-"],
  ["x*", "."],
  ["b*", "X"],
  ["^", "S"],
  ["$", "E"],
  ["(?i)ABC", "$0$0"],
  ["[^-debug]", "_"],
  ["(?<n>\\w+)", "$n"],
  ["\\bfoo\\b", "bar"],
  ["(?s).", "."],
  ["é+", "E"],
  ["(\\p{L}+)-(\\d+)", "$2.$1"],
  ["[=", ""],
  ["(?=a)", ""],
  ["\\1", ""],
  ["a{1001}", ""],
  ["(a|ab)(c|bcd)(d*)", "$1/$2/$3"],
  ["(?U)a+", "<$0>"],
  ["main-(?P<ts>\\d+)-(?P<sha>[a-f0-9]+)", "$ts"],
  ["^(?P<tag>123-[0-9]+\\.[0-9]+\\.[a-z0-9]+[^-debug])", "$tag"],
  ["(\\d)(\\d)?", "${2}${1}"],
  ["(é)(x)?", "$é$1"],
];
const INPUTS = [
  "",
  "a",
  "ab",
  "abcd",
  "ver1",
  "ver22",
  "rel1",
  "test-0.1.0",
  "dev-0.2.0",
  "123-123.123.abcd123-debug",
  "main-1700000000-abc123",
  "foo bar foo",
  "éé-12",
  "ABCabc",
  "baaac",
  "a\nb",
  "x1y22z333",
  "1.0.0-rc.3",
  "ééé",
];
const reqs: unknown[] = [];
for (let i = 0; i < floats.length; i += 50) reqs.push({ kind: "float", inputs: floats.slice(i, i + 50) });
for (const [pattern, template] of PATTERNS) reqs.push({ kind: "regexp", pattern, template, inputs: INPUTS });

const env = { ...process.env, GO111MODULE: "off", GOCACHE: process.env.GOCACHE ?? "/tmp/gocache" };
const input = reqs.map((r) => JSON.stringify(r)).join("\n") + "\n";
const stdout = execFileSync("go", ["run", path.join(here, "main.go")], { input, env, maxBuffer: 1 << 28 }).toString();
const answers = stdout
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as unknown);
const goVersion = execFileSync("go", ["version"], { env }).toString().trim();
const out = path.join(root, "test/fixtures/differential/gostd.json");
fs.writeFileSync(out, JSON.stringify({ about: "Go stdlib regexp and strconv.ParseFloat answers", go: goVersion, answers }, null, 0) + "\n");
console.log(`wrote ${answers.length} answers to ${path.relative(root, out)}`);
