/**
 * Masterminds/semver v3.5.0 (the version Flux pins): the limits it added and
 * cases transcribed from Masterminds' own test tables (constraints_test.go
 * TestNewConstraint / TestConstraintsCheck, version_test.go, and the corpora of
 * its constraint/version differential fuzz tests).
 */
import { describe, expect, it } from "@jest/globals";
import {
  CONSTRAINT_ERRORS,
  MAX_CONSTRAINT_GROUPS,
  MAX_CONSTRAINT_LEN,
  MAX_VERSION_LEN,
  newConstraint,
  newVersion,
  strictNewVersion,
  tryNewVersion,
} from "../../../src/go/index.js";
import { parseFluxVersion } from "../../../src/core/policy/flux-version.js";

const err = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

describe("v3.5 limits", () => {
  it("exports Masterminds' constants", () => {
    expect([MAX_VERSION_LEN, MAX_CONSTRAINT_LEN, MAX_CONSTRAINT_GROUPS]).toEqual([256, 512, 32]);
  });

  it("NewVersion accepts 256 bytes and refuses 257", () => {
    const ok = `1.0.0-${"a".repeat(250)}`;
    expect(ok.length).toBe(256);
    expect(newVersion(ok).prerelease).toHaveLength(250);
    expect(err(() => newVersion(`${ok}b`))).toBe("version string is too long (max 256 bytes)");
    expect(tryNewVersion(`${ok}b`)).toBeNull();
    expect(parseFluxVersion(`${ok}b`)).toBeNull();
  });

  it("the length is checked before the syntax, and counted in UTF-8 bytes", () => {
    expect(err(() => newVersion("x".repeat(257)))).toBe("version string is too long (max 256 bytes)");
    // 128 two-byte characters are 256 bytes: invalid, not too long.
    expect(err(() => newVersion("é".repeat(128)))).toBe("invalid semantic version");
    expect(err(() => newVersion("é".repeat(129)))).toBe("version string is too long (max 256 bytes)");
  });

  it("StrictNewVersion: empty first, then the limit", () => {
    expect(err(() => strictNewVersion(""))).toBe("version string empty");
    expect(err(() => strictNewVersion(`1.0.0+${"m".repeat(251)}`))).toBe("version string is too long (max 256 bytes)");
    expect(strictNewVersion(`1.0.0+${"m".repeat(250)}`).metadata).toHaveLength(250);
  });

  it("NewConstraint accepts 512 bytes and refuses 513 (before any parsing)", () => {
    const ok = `>=1.0.0${" ".repeat(MAX_CONSTRAINT_LEN - 7)}`;
    expect(ok.length).toBe(512);
    expect(newConstraint(ok).check(newVersion("1.2.3"))).toBe(true);
    expect(err(() => newConstraint(`${ok} `))).toBe(CONSTRAINT_ERRORS.tooLong);
    expect(CONSTRAINT_ERRORS.tooLong).toBe("constraint string is too long (max 512 bytes)");
    // Even garbage is "too long" rather than "improper" once over the limit.
    expect(err(() => newConstraint("!".repeat(513)))).toBe("constraint string is too long (max 512 bytes)");
  });

  it("at most 32 OR groups (counted after the hyphen-range rewrite)", () => {
    const groups = (n: number): string => Array.from({ length: n }, () => ">=1.0.0").join(" || ");
    expect(newConstraint(groups(32)).check(newVersion("1.0.0"))).toBe(true);
    expect(err(() => newConstraint(groups(33)))).toBe("too many constraint groups (max 32)");
    // Empty groups count too: 32 separators make 33 groups.
    expect(err(() => newConstraint("||".repeat(32)))).toBe("too many constraint groups (max 32)");
    expect(err(() => newConstraint("||".repeat(31)))).toMatch(/^improper constraint: /);
    // Hyphen ranges do not add groups.
    expect(newConstraint(Array.from({ length: 32 }, () => "1 - 2").join(" || ")).check(newVersion("1.5.0"))).toBe(true);
  });

  it("the limit applies before the group count", () => {
    expect(err(() => newConstraint("1||".repeat(200)))).toBe("constraint string is too long (max 512 bytes)");
  });

  it("a constraint's version over 256 bytes is a parser error (it goes through NewVersion)", () => {
    const pre = "a".repeat(260);
    expect(err(() => newConstraint(`>=1.0.0-${pre}`))).toBe("constraint parser error");
    // With a wildcard the version is rebuilt as 1.0.0-<pre>; 250 bytes of prerelease still fit.
    expect(newConstraint(`1.x-${"a".repeat(250)}`).check(newVersion(`1.2.0-${"b".repeat(10)}`))).toBe(true);
    expect(err(() => newConstraint(`1.x-${"a".repeat(251)}`))).toBe("constraint parser error");
  });

  it("legacy (v3.2) mode has no limits", () => {
    expect(newConstraint(`>=1.0.0${" ".repeat(600)}`, { legacy: true }).check(newVersion("1.0.0"))).toBe(true);
    expect(newConstraint(Array.from({ length: 40 }, () => "1.0.0").join(" || "), { legacy: true })).toBeDefined();
  });
});

describe("TestNewConstraint (ors / constraints in the first group / error)", () => {
  it.each<{ input: string; ors: number; count: number; ok: boolean }>`
    input                                  | ors  | count | ok
    ${">= 1.1"}                            | ${1} | ${1}  | ${true}
    ${">40.50.60, < 50.70"}                | ${1} | ${2}  | ${true}
    ${"2.0"}                               | ${1} | ${1}  | ${true}
    ${"v2.3.5-20161202202307-sha.e8fc5e5"} | ${1} | ${1}  | ${true}
    ${">= bar"}                            | ${0} | ${0}  | ${false}
    ${"BAR >= 1.2.3"}                      | ${0} | ${0}  | ${false}
    ${">= 1.2.3 < 2.0"}                    | ${1} | ${2}  | ${true}
    ${">= 1.2.3 < 2.0 || => 3.0 < 4"}      | ${2} | ${2}  | ${true}
    ${">= 1.2.3, < 2.0"}                   | ${1} | ${2}  | ${true}
    ${">= 1.2.3, < 2.0 || => 3.0, < 4"}    | ${2} | ${2}  | ${true}
    ${"3 - 4 || => 3.0, < 4"}              | ${2} | ${2}  | ${true}
    ${"12.3.4.1234"}                       | ${0} | ${0}  | ${false}
    ${"12.23.4.1234"}                      | ${0} | ${0}  | ${false}
    ${"12.3.34.1234"}                      | ${0} | ${0}  | ${false}
    ${"12.3.34 ~1.2.3"}                    | ${1} | ${2}  | ${true}
    ${"12.3.34~ 1.2.3"}                    | ${0} | ${0}  | ${false}
    ${"1.0.0 - 2.0.0, <=2.0.0"}            | ${1} | ${3}  | ${true}
  `("$input", ({ input, ors, count, ok }: { input: string; ors: number; count: number; ok: boolean }) => {
    if (!ok) {
      expect(err(() => newConstraint(input))).toMatch(/^improper constraint: /);
      return;
    }
    const printed = newConstraint(input).toString().split(" || ");
    expect(printed).toHaveLength(ors);
    expect(printed[0]!.split(" ")).toHaveLength(count);
  });
});

describe("TestConstraintsCheck (selection, incl. range + space-separated AND)", () => {
  it.each<{ constraint: string; version: string; ok: boolean }>`
    constraint                      | version            | ok
    ${"*"}                          | ${"1.2.3"}         | ${true}
    ${"~0.0.0"}                     | ${"1.2.3"}         | ${true}
    ${"0.x.x"}                      | ${"1.2.3"}         | ${false}
    ${"^0.0.0"}                     | ${"1.2.3"}         | ${false}
    ${"!=4.1-alpha"}                | ${"4.1.0"}         | ${true}
    ${"!=4.2.x"}                    | ${"4.2.3"}         | ${false}
    ${"<1.x"}                       | ${"2.0.0"}         | ${false}
    ${"<1.1.x"}                     | ${"1.0.500"}       | ${true}
    ${">=1.1"}                      | ${"4.1.0-beta"}    | ${false}
    ${"<=1.1-a"}                    | ${"0.1.0-alpha"}   | ${true}
    ${">=1.1    <2    !=1.2.3"}     | ${"1.2.3"}         | ${false}
    ${">= 1.1, <2, !=1.2.3 || > 3"} | ${"4.1.2"}         | ${true}
    ${">=1.1 < 2 !=1.2.3 || > 3"}   | ${"1.2.3"}         | ${false}
    ${"1.5.0 - 4.5"}                | ${"3.7.0"}         | ${true}
    ${"1.1-3"}                      | ${"4.3.2"}         | ${false}
    ${"^1.2.x-alpha"}               | ${"1.1.1-beta1"}   | ${false}
    ${"~1.1.1-beta"}                | ${"1.1.1-alpha"}   | ${false}
    ${"1.0.0 - 2.0.0 <=2.0.0"}      | ${"1.5.0"}         | ${true}
    ${"1.0.0 - 2.0.0, <=2.0.0"}     | ${"1.5.0"}         | ${true}
    ${">=0-0"}                      | ${"0.0.1-alpha"}   | ${true}
    ${"<0-z"}                       | ${"0.0.0-alpha"}   | ${true}
    ${"*-0"}                        | ${"1.2.3-alpha.1"} | ${true}
  `("$constraint admits $version: $ok", ({ constraint, version, ok }: { constraint: string; version: string; ok: boolean }) => {
    expect(newConstraint(constraint).check(newVersion(version))).toBe(ok);
  });
});

// Inputs from the corpora of Masterminds' constraint differential fuzz tests
// (regex parser vs. its hand-written replacement). Answers are the regex
// grammar's: "2.1 = 3.2" is the AND of "2.1" and "=3.2"; "1.x-2.x" is 1.x with
// the prerelease "2.x"; a lone "|" is a segment character that only fails when
// the version is built ("constraint parser error").
describe("parser edge cases (the differential-fuzz corpora of the v3.5 line)", () => {
  it.each<{ input: string; result: string }>`
    input                         | result
    ${"\f0"}                      | ${"ok"}
    ${"\t>=1.0\r\n"}              | ${"ok"}
    ${"\v1.0"}                    | ${"improper"}
    ${"\u00a01.0"}                | ${"improper"}
    ${"==1.2.3"}                  | ${"improper"}
    ${"> = 1.2"}                  | ${"improper"}
    ${"V1.2.3"}                   | ${"improper"}
    ${"1.0<2.0"}                  | ${"improper"}
    ${",1.0"}                     | ${"improper"}
    ${"1.0,"}                     | ${"improper"}
    ${"1.0,,2.0"}                 | ${"improper"}
    ${"1.2.3 "}                   | ${"ok"}
    ${" 1.2.3"}                   | ${"ok"}
    ${"1.2.3-"}                   | ${"improper"}
    ${"1.2.3+"}                   | ${"improper"}
    ${"1.2.3-alpha."}             | ${"improper"}
    ${"1.2.3.4.5.6"}              | ${"improper"}
    ${"1.2.3 +build"}             | ${"improper"}
    ${"> 1.3 > 2.4"}              | ${"ok"}
    ${"2.1 2.1"}                  | ${"ok"}
    ${"2.1 = 3.2"}                | ${"ok"}
    ${"~* "}                      | ${"ok"}
    ${"* - 2"}                    | ${"ok"}
    ${"1.x-2.x"}                  | ${"ok"}
    ${"x.2.3"}                    | ${"ok"}
    ${"1.*.3"}                    | ${"ok"}
    ${"*.*.*"}                    | ${"ok"}
    ${"|| 1.2.3"}                 | ${"improper"}
    ${"1.2.3 ||"}                 | ${"improper"}
    ${"1|2"}                      | ${"parser"}
    ${"1.2|3"}                    | ${"parser"}
    ${"01.2.3"}                   | ${"ok"}
    ${"1.2.3-01"}                 | ${"parser"}
    ${"18446744073709551616.0.0"} | ${"parser"}
    ${"1.18446744073709551616"}   | ${"parser"}
    ${"x.18446744073709551616"}   | ${"ok"}
    ${"18446744073709551615.0.0"} | ${"ok"}
  `("$input → $result", ({ input, result }: { input: string; result: string }) => {
    const e = err(() => newConstraint(input));
    const got = e === null ? "ok" : e === CONSTRAINT_ERRORS.parser ? "parser" : e.startsWith("improper constraint: ") ? "improper" : e;
    expect(got).toBe(result);
  });

  it("the improper-constraint message names the whole OR group after the range rewrite", () => {
    expect(err(() => newConstraint("1.0.0 || foo"))).toBe(CONSTRAINT_ERRORS.improper(" foo"));
    expect(err(() => newConstraint("1 - 2 bar"))).toBe(CONSTRAINT_ERRORS.improper(">= 1, <= 2 bar"));
  });

  it("a wildcard drops the segments after it and metadata is ignored", () => {
    expect(newConstraint("x.2.3").check(newVersion("9.9.9"))).toBe(true);
    expect(newConstraint("1.*.3").check(newVersion("1.7.0"))).toBe(true);
    expect(newConstraint("1.2.x+meta").check(newVersion("1.2.9"))).toBe(true);
  });
});

describe("version_test.go: NewVersion (coerce, the default) and StrictNewVersion", () => {
  it.each<{ input: string; coerce: boolean; strict: boolean }>`
    input                                       | coerce   | strict
    ${"1.2.3"}                                  | ${true}  | ${true}
    ${"v1.2.3"}                                 | ${true}  | ${false}
    ${"1.0"}                                    | ${true}  | ${false}
    ${"v1.0"}                                   | ${true}  | ${false}
    ${"1"}                                      | ${true}  | ${false}
    ${"v1"}                                     | ${true}  | ${false}
    ${"1.2.beta"}                               | ${false} | ${false}
    ${"v1.2.beta"}                              | ${false} | ${false}
    ${"foo"}                                    | ${false} | ${false}
    ${"1.2-5"}                                  | ${true}  | ${false}
    ${"v1.2-5"}                                 | ${true}  | ${false}
    ${"1.2-beta.5"}                             | ${true}  | ${false}
    ${"\n1.2"}                                  | ${false} | ${false}
    ${"1.2.0-x.Y.0+metadata"}                   | ${true}  | ${true}
    ${"1.2.0-x.Y.0+metadata-width-hypen"}       | ${true}  | ${true}
    ${"1.2.3-rc1-with-hypen"}                   | ${true}  | ${true}
    ${"1.2.3.4"}                                | ${false} | ${false}
    ${"v1.2.3.4"}                               | ${false} | ${false}
    ${"1.1.1-ABC"}                              | ${true}  | ${true}
    ${"1.2.31----RC-SNAPSHOT.12.09.1--.12+788"} | ${false} | ${false}
    ${"9.8.7+meta+meta"}                        | ${false} | ${false}
    ${"1.2.3-alpha.01"}                         | ${false} | ${false}
    ${"01.2.3"}                                 | ${true}  | ${false}
    ${"1.02.3"}                                 | ${true}  | ${false}
    ${"20221209-update-renovatejson-v4"}        | ${true}  | ${false}
    ${"vv1.2.3"}                                | ${false} | ${false}
    ${"1.2.3-alpha_beta"}                       | ${false} | ${false}
    ${"18446744073709551615.0.0"}               | ${true}  | ${true}
    ${"18446744073709551616.0.0"}               | ${false} | ${false}
  `("$input: NewVersion $coerce, StrictNewVersion $strict", ({ input, coerce, strict }: { input: string; coerce: boolean; strict: boolean }) => {
    expect(err(() => newVersion(input)) === null).toBe(coerce);
    expect(err(() => strictNewVersion(input)) === null).toBe(strict);
  });

  it("keeps Masterminds' error texts", () => {
    expect(err(() => newVersion("1.2.3-alpha.01"))).toBe("version segment starts with 0");
    expect(err(() => newVersion("1.2.3+meta..x"))).toBe("invalid semantic version");
    expect(err(() => newVersion("18446744073709551616.0.0"))).toBe(
      'error parsing version segment: strconv.ParseUint: parsing "18446744073709551616": value out of range',
    );
    expect(err(() => strictNewVersion("1.2"))).toBe("invalid semantic version");
    expect(err(() => strictNewVersion("01.2.3"))).toBe("version segment starts with 0");
    expect(err(() => strictNewVersion("1.2.3-alpha_beta"))).toBe("invalid prerelease string");
  });
});
