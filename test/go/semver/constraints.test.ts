import { describe, expect, it } from "@jest/globals";
import { newConstraint, newVersion } from "../../../src/go/index.js";

const check = (range: string, v: string): boolean => newConstraint(range).check(newVersion(v));

describe("newConstraint / check (Masterminds v3.3+, as Flux)", () => {
  it.each<{ range: string; version: string; ok: boolean }>`
    range                     | version         | ok
    ${"1.2.x"}                | ${"1.2.9"}      | ${true}
    ${"1.2.x"}                | ${"1.3.0"}      | ${false}
    ${"1.x"}                  | ${"1.9.0"}      | ${true}
    ${"*"}                    | ${"2.0.0-rc.1"} | ${false}
    ${"~1.2.3"}               | ${"1.2.9"}      | ${true}
    ${"~1.2.3"}               | ${"1.3.0"}      | ${false}
    ${"~1"}                   | ${"1.9.9"}      | ${true}
    ${"^1.2.3"}               | ${"1.9.0"}      | ${true}
    ${"^1.2.3"}               | ${"2.0.0"}      | ${false}
    ${"^0.2.3"}               | ${"0.2.9"}      | ${true}
    ${"^0.2.3"}               | ${"0.3.0"}      | ${false}
    ${"^0.0.3"}               | ${"0.0.4"}      | ${false}
    ${"^0"}                   | ${"0.9.9"}      | ${true}
    ${">1.2"}                 | ${"1.2.9"}      | ${false}
    ${">1.2"}                 | ${"1.3.0"}      | ${true}
    ${"<=1.2"}                | ${"1.2.9"}      | ${true}
    ${"!=1.2.x"}              | ${"1.2.5"}      | ${false}
    ${"!=1.2.x"}              | ${"1.3.0"}      | ${true}
    ${"1.2 - 1.4.5"}          | ${"1.4.5"}      | ${true}
    ${"1.2 - 1.4.5"}          | ${"1.4.6"}      | ${false}
    ${">=1.0.0"}              | ${"1.1.0-rc.1"} | ${false}
    ${">=1.0.0-0"}            | ${"2.0.0-rc.1"} | ${true}
    ${">=1.0.0-0 <2.0.0"}     | ${"2.0.0-rc.1"} | ${true}
    ${"^1.x-0"}               | ${"2.0.0-rc.1"} | ${false}
    ${">=1.0.0, <2.0.0-0"}    | ${"1.9.9"}      | ${true}
    ${"1.2.3 || 2.x"}         | ${"2.5.0"}      | ${true}
    ${">=1.0.0-0 || >=3.0.0"} | ${"3.1.0-rc.1"} | ${true}
    ${">=1.0.0 || >=3.0.0"}   | ${"3.1.0-rc.1"} | ${false}
    ${"v1.0.x"}               | ${"1.0.1"}      | ${true}
    ${"1.0.x"}                | ${"v1.0.1"}     | ${true}
    ${"1.0.0"}                | ${"1.0.0+b1"}   | ${true}
  `("$range admits $version: $ok", ({ range, version, ok }: { range: string; version: string; ok: boolean }) => {
    expect(check(range, version)).toBe(ok);
  });

  it("legacy (v3.2) mode admits prereleases per constraint only", () => {
    const c = newConstraint(">=1.0.0-0 <2.0.0", { legacy: true });
    expect(c.check(newVersion("2.0.0-rc.1"))).toBe(false);
  });

  it.each<{ range: string; message: string }>`
    range       | message
    ${""}       | ${"improper constraint: "}
    ${"1.0.0p"} | ${'improper constraint: "1.0.0p"'}
    ${"*-*"}    | ${'improper constraint: "*-*"'}
    ${"1x"}     | ${"constraint parser error"}
    ${"1 ||"}   | ${"improper constraint: "}
  `("rejects $range", ({ range, message }: { range: string; message: string }) => {
    expect(() => newConstraint(range)).toThrow(message);
  });

  it("prints like Masterminds String()", () => {
    expect(newConstraint(">= 1.2, <2 || ~3").toString()).toBe(">=1.2 <2 || ~3");
    expect(newConstraint("1 - 2").toString()).toBe(">=1 <=2");
  });

  it("validate explains failures", () => {
    expect(newConstraint("^1.2.3").validate(newVersion("2.0.0"))).toEqual([false, ["2.0.0 does not have same major version as 1.2.3"]]);
    expect(newConstraint("1.x").validate(newVersion("1.1.0-rc.1"))).toEqual([
      false,
      ["1.1.0-rc.1 is a prerelease version and the constraint is only looking for release versions"],
    ]);
    expect(newConstraint("1.x").validate(newVersion("1.1.0"))).toEqual([true, []]);
  });

  it("rejects input that would make a backtracking engine explode (RE2 is linear; v3.5 also caps the length)", () => {
    expect(() => newConstraint(`${"1   ".repeat(2000)}!`)).toThrow("constraint string is too long (max 512 bytes)");
    expect(() => newConstraint(`${"1   ".repeat(127)}!`)).toThrow(/improper constraint/);
  });
});
