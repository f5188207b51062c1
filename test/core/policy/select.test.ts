import { describe, expect, it } from "@jest/globals";
import { applyExclusionList, compareBytes, rankCandidates, selectLatest, sortDescending, validatePolicy } from "../../../src/core/policy/index.js";
import type { FilterTags, PolicyChoice } from "../../../src/core/types.js";

const stored = (tags: string[]): string[] => {
  const r = applyExclusionList(tags);
  if (!r.ok) throw new Error(r.error);
  return r.tags;
};
const pick = (tags: string[], policy: PolicyChoice, filterTags?: FilterTags): string | null => {
  const r = selectLatest(stored(tags), { policy, filterTags });
  return r.ok ? r.tag : null;
};

describe("lab observations of image-reflector-controller", () => {
  const pre = ["1.0.0", "1.1.0-rc.1", "2.0.0-rc.1"];
  it.each<{ range: string; tags: string[]; want: string }>`
    range                    | tags                                                        | want
    ${"1.0.x"}               | ${["1.0.0", "v1.0.0"]}                                      | ${"v1.0.0"}
    ${"1.0.x"}               | ${["1.0.0", "1.0.0+b2", "1.0.0+b1"]}                        | ${"1.0.0+b2"}
    ${">=1.0.0"}             | ${pre}                                                      | ${"1.0.0"}
    ${">=1.0.0-0"}           | ${pre}                                                      | ${"2.0.0-rc.1"}
    ${">=1.0.0-0 <2.0.0"}    | ${pre}                                                      | ${"2.0.0-rc.1"}
    ${"^1.x-0"}              | ${pre}                                                      | ${"1.1.0-rc.1"}
    ${">1.0.0-rc <2.0.0-rc"} | ${[...pre, "2.0.0-alpha"]}                                  | ${"2.0.0-alpha"}
    ${"*"}                   | ${["1.0.0", "2.0.0-rc.1", "latest"]}                        | ${"1.0.0"}
    ${"1.2 - 1.4.5"}         | ${["1.4.5", "1.4.6", "1.1.0"]}                              | ${"1.4.5"}
    ${">1.2"}                | ${["1.2.9", "1.3.0"]}                                       | ${"1.3.0"}
    ${"<=1.2"}               | ${["1.2.9", "1.3.0"]}                                       | ${"1.2.9"}
    ${"1.2.3 || 2.x"}        | ${["1.2.3", "2.5.0", "3.0.0"]}                              | ${"2.5.0"}
    ${"1.2.3-rc.1"}          | ${["1.2.3-rc.1", "1.2.3"]}                                  | ${"1.2.3-rc.1"}
    ${">= 1.2.3-alpha.10"}   | ${["1.2.3-alpha.9", "1.2.3-alpha.10", "1.2.3-alpha.beta"]}  | ${"1.2.3-alpha.beta"}
    ${">=1.0.0-0"}           | ${["1.0.0-rc.1", "1.0.0-rc.1.1", "1.0.0-rc", "1.0.0-RC.2"]} | ${"1.0.0-rc.1.1"}
  `("semver $range over $tags -> $want", ({ range, tags, want }: { range: string; tags: string[]; want: string }) => {
    expect(pick(tags, { semver: { range } })).toBe(want);
  });

  it.each<{ policy: PolicyChoice; tags: string[]; want: string | null }>`
    policy                                 | tags                    | want
    ${{ numerical: { order: "asc" } }}     | ${["1", "1.0", "01"]}   | ${"01"}
    ${{ numerical: { order: "asc" } }}     | ${["1e3", "999"]}       | ${"1e3"}
    ${{ numerical: { order: "asc" } }}     | ${["1_000", "999"]}     | ${"1_000"}
    ${{ numerical: { order: "asc" } }}     | ${["5", "abc"]}         | ${null}
    ${{ numerical: { order: "desc" } }}    | ${["-5", "Inf", "3"]}   | ${"-5"}
    ${{ alphabetical: { order: "asc" } }}  | ${["a", "B", "b", "Z"]} | ${"b"}
    ${{ alphabetical: { order: "asc" } }}  | ${["9", "10"]}          | ${"9"}
    ${{ alphabetical: { order: "asc" } }}  | ${["z", "é"]}           | ${"é"}
    ${{ alphabetical: { order: "desc" } }} | ${["b", "a", "c"]}      | ${"a"}
  `("$policy over $tags -> $want", ({ policy, tags, want }: { policy: PolicyChoice; tags: string[]; want: string | null }) => {
    expect(pick(tags, policy)).toBe(want);
  });
});

describe("filterTags", () => {
  it("reports the original tag and maps a shared candidate to the smallest original (Flux map order)", () => {
    const tags = ["main-abc-100", "dev-xyz-100", "main-abc-99"];
    expect(pick(tags, { numerical: { order: "asc" } }, { pattern: "-(\\d+)$", extract: "$1" })).toBe("dev-xyz-100");
  });

  it("breaks ties between equal candidates towards the byte-wise greatest original", () => {
    const tags = ["a-1.0.0", "b-v1.0.0", "c-01.0.0"];
    expect(pick(tags, { semver: { range: "1.x" } }, { pattern: "^[a-z]-(.*)$", extract: "$1" })).toBe("c-01.0.0");
    expect(pick(["x-1", "y-01", "z-1.0"], { numerical: {} }, { pattern: "-(.*)", extract: "$1" })).toBe("z-1.0");
  });

  it("an empty pattern keeps everything; a missing group makes every candidate empty", () => {
    expect(pick(["b", "a"], { alphabetical: {} }, { pattern: "" })).toBe("b");
    expect(pick(["1.0.0", "2.0.0"], { alphabetical: {} }, { pattern: "(\\d)", extract: "$2" })).toBe("1.0.0");
  });

  it("says what to fix when nothing matches", () => {
    const r = selectLatest(["1.0.0"], { policy: { semver: { range: "*" } }, filterTags: { pattern: "^rel-" } });
    expect(r).toEqual({
      ok: false,
      code: "policy.no-match",
      error: "version list argument cannot be empty (no tag matched filterTags.pattern '^rel-')",
    });
  });
});

describe("rankCandidates", () => {
  const tags = stored(["1.0.0", "1.2.0", "v1.2.0", "1.3.0-rc.1", "2.0.0", "latest"]);
  it("orders semver winners first, ties in stored order", () => {
    expect(rankCandidates(tags, { policy: { semver: { range: "1.x" } } }, 3)).toEqual({ ok: true, tags: ["v1.2.0", "1.2.0", "1.0.0"] });
  });
  it("orders numerical and alphabetical like their winner", () => {
    expect(rankCandidates(["3", "10", "2"], { policy: { numerical: { order: "asc" } } }, 5)).toEqual({ ok: true, tags: ["10", "3", "2"] });
    expect(rankCandidates(["3", "10", "2"], { policy: { numerical: { order: "desc" } } }, 2)).toEqual({ ok: true, tags: ["2", "3"] });
    expect(rankCandidates(["3", "10", "2"], { policy: { alphabetical: {} } }, 5)).toEqual({ ok: true, tags: ["3", "2", "10"] });
  });
  it("fails like selectLatest", () => {
    expect(rankCandidates(tags, { policy: { semver: { range: "9.x" } } }, 3)).toMatchObject({ ok: false, code: "policy.no-match" });
    expect(rankCandidates(tags, { policy: {} }, 3)).toMatchObject({ ok: false, code: "policy.invalid" });
  });
});

describe("validatePolicy", () => {
  it.each<{ spec: { policy: PolicyChoice; filterTags?: FilterTags }; fragment: string }>`
    spec                                                                  | fragment
    ${{ policy: { semver: { range: "" } } }}                              | ${"invalid semver range ''"}
    ${{ policy: { numerical: { order: "up" } } }}                         | ${"invalid order argument provided: 'UP', must be one of: ASC, DESC"}
    ${{ policy: {} }}                                                     | ${"given ImagePolicyChoice object is invalid"}
    ${{ policy: { alphabetical: {} }, filterTags: { pattern: "(?=x)" } }} | ${"invalid regular expression pattern '(?=x)'"}
  `("$spec -> $fragment", ({ spec, fragment }: { spec: { policy: PolicyChoice; filterTags?: FilterTags }; fragment: string }) => {
    expect(validatePolicy(spec)).toContain(fragment);
  });
  it("accepts valid specs", () => {
    expect(validatePolicy({ policy: { semver: { range: ">=1.0.0 <2.0.0-0" } }, filterTags: { pattern: "^v(?P<v>.*)", extract: "$v" } })).toBeNull();
  });
});

describe("byte order", () => {
  it("sorts by UTF-8 bytes, not UTF-16 units", () => {
    expect(compareBytes("\u{1F600}", "\uFFFD")).toBeGreaterThan(0);
    expect(sortDescending(["a", "B", "é", "z", "10", "9"])).toEqual(["é", "z", "a", "B", "9", "10"]);
  });
});
