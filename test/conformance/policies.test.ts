import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { applyExclusionList, compilePolicy, rankCandidates, selectLatest } from "../../src/core/policy/index.js";
import type { FilterTags, PolicyChoice } from "../../src/core/types.js";
import { conformanceDir } from "../helpers/conformance.js";

const load = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(conformanceDir(), name), "utf8")) as T;

interface PolicyCase {
  name: string;
  tags: string[];
  policy: PolicyChoice;
  filterTags?: FilterTags;
  expected: string | null;
  expectError: boolean;
}
const cases = load<PolicyCase[]>("policies.json");

function stored(tags: string[]): string[] {
  const r = applyExclusionList(tags);
  if (!r.ok) throw new Error(r.error);
  return r.tags;
}

/** Deterministic shuffle (mulberry32) so failures reproduce. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("conformance: policies.json", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const spec = { policy: c.policy, filterTags: c.filterTags };
    const out = selectLatest(stored(c.tags), spec);
    if (c.expectError) {
      expect(out.ok).toBe(false);
    } else {
      expect(out).toEqual({ ok: true, tag: c.expected });
      const ranked = rankCandidates(stored(c.tags), spec, 3);
      expect(ranked.ok && ranked.tags[0]).toBe(c.expected);
    }
  });

  it.each(cases.filter((c) => !c.expectError && !c.filterTags).map((c) => [c.name, c] as const))(
    "%s: the policy itself does not depend on input order",
    (_name, c) => {
      const compiled = compilePolicy({ policy: c.policy });
      if (!compiled.ok) throw new Error(compiled.error);
      for (let seed = 1; seed <= 10; seed++) {
        expect(compiled.value.policer.latest(shuffled(c.tags, seed))).toEqual({ ok: true, value: c.expected });
      }
    },
  );

  it("reports Flux's messages and what to fix", () => {
    const msg = (tags: string[], spec: Parameters<typeof selectLatest>[1]): string => {
      const r = selectLatest(tags, spec);
      return r.ok ? "" : `${r.code}: ${r.error}`;
    };
    expect(msg([], { policy: { semver: { range: "1.0.x" } } })).toMatch(/^policy\.no-match: version list argument cannot be empty/);
    expect(msg(["1.2.0"], { policy: { semver: { range: "1.0.x" } } })).toMatch(/^policy\.no-match: unable to determine latest version from provided list/);
    expect(msg(["0", "1a"], { policy: { numerical: {} } })).toMatch(/failed to parse invalid numeric value '1a'/);
    expect(msg(["1.0.0"], { policy: {} })).toMatch(/^policy\.invalid: given ImagePolicyChoice object is invalid/);
    expect(msg(["1.0.0"], { policy: { semver: { range: "*-*" } } })).toMatch(/^policy\.invalid: invalid semver range '\*-\*'/);
    expect(msg(["1.0.0"], { policy: { semver: { range: "1.0.x" } }, filterTags: { pattern: "^test-(.*" } })).toMatch(
      /^policy\.invalid: invalid regular expression pattern '\^test-\(\.\*': error parsing regexp: missing closing \)/,
    );
  });
});
