/**
 * Go's unicode.ToUpper/ToLower/ToTitle against src/go/unicode for every rune (the fixture lists the runes
 * Go changes; every other rune must map to itself), and strings.Title's separators.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { title, toLower, toLowerRune, toTitleRune, toUpper, toUpperRune } from "../../src/go/unicode/case.js";

const lines = readFileSync(path.resolve(process.cwd(), "test/fixtures/differential/unicode-case.txt"), "utf8").trim().split("\n");
const version = lines[0]!.replace(/^# unicode /, "");
const go = new Map(
  lines.slice(1).map((l) => {
    const [r, u, lo, t] = l.split(" ").map((x) => parseInt(x, 16)) as [number, number, number, number];
    return [r, [u, lo, t] as const];
  }),
);

/**
 * The fixture comes from Debian's Go 1.19 (Unicode 13.0); Flux builds with Go 1.21 or later (Unicode 15.0),
 * which also maps the case pairs Unicode 14 added: Glagolitic Ⱟ/ⱟ, Latin Ꟁ/ꟁ, Ꟑ/ꟑ, Ꟗ/ꟗ, Ꟙ/ꟙ, and Vithkuqi.
 */
const UNICODE_14_PAIRS: Array<[number, number, number]> = [
  [0x2c2f, 0x2c5f, 1],
  [0xa7c0, 0xa7c1, 1],
  [0xa7d0, 0xa7d1, 1],
  [0xa7d6, 0xa7d7, 1],
  [0xa7d8, 0xa7d9, 1],
  [0x10570, 0x10597, 11],
  [0x1057c, 0x105a3, 15],
  [0x1058c, 0x105b3, 7],
  [0x10594, 0x105bb, 2],
];
const newer = new Map<number, readonly [number, number, number]>();
if (version === "13.0.0") {
  for (const [up, low, n] of UNICODE_14_PAIRS) {
    for (let i = 0; i < n; i++) {
      newer.set(up + i, [up + i, low + i, up + i]);
      newer.set(low + i, [up + i, low + i, up + i]);
    }
  }
}

describe(`differential: Go unicode case mappings (fixture: Unicode ${version})`, () => {
  it("fixture is present", () => expect(go.size).toBeGreaterThan(2500));

  it("maps every rune as Go does", () => {
    const bad: string[] = [];
    for (let r = 0; r <= 0x10ffff; r++) {
      if (r >= 0xd800 && r < 0xe000) continue;
      const want = newer.get(r) ?? go.get(r) ?? [r, r, r];
      const got = [toUpperRune(r), toLowerRune(r), toTitleRune(r)];
      if (got.some((g, i) => g !== want[i])) bad.push(`${r.toString(16)}: got ${got.map((g) => g.toString(16))} want ${want.map((g) => g.toString(16))}`);
    }
    expect(bad).toEqual([]);
  });

  it.each([
    ["ToUpper", toUpper, "ß straße ﬃ ŉ ǰ ǆ ǅ ı ſ µ ÿ ᾳ", "ß STRAßE ﬃ ŉ ǰ Ǆ Ǆ I S Μ Ÿ ᾼ"],
    ["ToLower", toLower, "İSTANBUL ΣΑΣ ẞ Ǆ ǅ Ω K", "istanbul σασ ß ǆ ǆ ω k"],
    ["Title", title, "ǆemal ǳ ǉubljana ßtraße ﬃx", "ǅemal ǲ ǈubljana ßtraße ﬃx"],
    ["Title", title, "hello wORLD-foo_bar o'neil x—y «a» b\u00a0c\u2003d", "Hello WORLD-Foo_bar O'Neil X—y «a» B\u00a0C\u2003D"],
  ])("strings.%s", (_name, f, input, want) => {
    expect(f(input)).toBe(want);
  });
});
