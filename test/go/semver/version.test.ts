import { describe, expect, it } from "@jest/globals";
import { parseFluxVersion } from "../../../src/core/policy/flux-version.js";
import { newVersion, strictNewVersion } from "../../../src/go/index.js";

describe("newVersion (Masterminds coerce mode)", () => {
  it.each<{ input: string; out: string }>`
    input                         | out
    ${"1.2.3"}                    | ${"1.2.3"}
    ${"v1.2.3"}                   | ${"1.2.3"}
    ${"1.2"}                      | ${"1.2.0"}
    ${"1"}                        | ${"1.0.0"}
    ${"01.02.03"}                 | ${"1.2.3"}
    ${"1.2.3-rc.1+b.2"}           | ${"1.2.3-rc.1+b.2"}
    ${"1.2+build.1"}              | ${"1.2.0+build.1"}
    ${"18446744073709551615.0.0"} | ${"18446744073709551615.0.0"}
  `("$input -> $out", ({ input, out }: { input: string; out: string }) => {
    const v = newVersion(input);
    expect(v.toString()).toBe(out);
    expect(v.original).toBe(input);
  });

  it.each<{ input: string; message: string }>`
    input                         | message
    ${"V1.2.3"}                   | ${"invalid semantic version"}
    ${"1.2.3.4"}                  | ${"invalid semantic version"}
    ${" 1.2.3"}                   | ${"invalid semantic version"}
    ${"1.2.3-01"}                 | ${"version segment starts with 0"}
    ${"18446744073709551616.0.0"} | ${'error parsing version segment: strconv.ParseUint: parsing "18446744073709551616": value out of range'}
  `("$input fails with $message", ({ input, message }: { input: string; message: string }) => {
    expect(() => newVersion(input)).toThrow(message);
  });

  it("keeps big segments exact", () => {
    expect(newVersion("9007199254740993.0.0").major()).toBe(9007199254740993n);
    expect(newVersion("9007199254740993.0.0").compare(newVersion("9007199254740992.0.0"))).toBe(1);
  });
});

describe("strictNewVersion", () => {
  it.each<{ input: string; message: string }>`
    input          | message
    ${""}          | ${"version string empty"}
    ${"1.2"}       | ${"invalid semantic version"}
    ${"v1.2.3"}    | ${"invalid characters in version"}
    ${"01.2.3"}    | ${"version segment starts with 0"}
    ${"1.2.3-"}    | ${"invalid prerelease string"}
    ${"1.2.3+"}    | ${"invalid metadata string"}
    ${"1.2.3-a_b"} | ${"invalid prerelease string"}
  `("$input fails with $message", ({ input, message }: { input: string; message: string }) => {
    expect(() => strictNewVersion(input)).toThrow(message);
  });
  it("accepts a strict version", () => {
    expect(strictNewVersion("1.2.3-rc.1+001").toString()).toBe("1.2.3-rc.1+001");
  });
});

describe("compare (precedence)", () => {
  it.each<{ a: string; b: string; c: number }>`
    a                               | b                   | c
    ${"1.0.0"}                      | ${"1.0.0+b"}        | ${0}
    ${"1.0.0-rc.1"}                 | ${"1.0.0"}          | ${-1}
    ${"1.2.3-alpha.10"}             | ${"1.2.3-alpha.9"}  | ${1}
    ${"1.2.3-alpha.beta"}           | ${"1.2.3-alpha.10"} | ${1}
    ${"1.0.0-RC"}                   | ${"1.0.0-rc"}       | ${-1}
    ${"1.0.0-rc.1.1"}               | ${"1.0.0-rc.1"}     | ${1}
    ${"1.0.0-1"}                    | ${"1.0.0-a"}        | ${-1}
    ${"1.0.0-18446744073709551616"} | ${"1.0.0-1"}        | ${1}
    ${"v2.0.0"}                     | ${"10.0.0"}         | ${-1}
  `("$a vs $b = $c", ({ a, b, c }: { a: string; b: string; c: number }) => {
    expect(newVersion(a).compare(newVersion(b))).toBe(c);
  });
});

describe("parseFluxVersion (fluxcd/pkg ParseVersion)", () => {
  it.each<{ tag: string; ok: boolean }>`
    tag              | ok
    ${"v1.2.3"}      | ${true}
    ${"01.02.03"}    | ${true}
    ${"2025.02.03"}  | ${true}
    ${"1.2+build.1"} | ${true}
    ${"1.2-rc.1"}    | ${true}
    ${"1.2-rc.1.x"}  | ${true}
    ${"1.2.3+01"}    | ${true}
    ${"1"}           | ${false}
    ${"1.2"}         | ${false}
    ${"1.2-rc1"}     | ${false}
    ${"1.2.x"}       | ${false}
    ${"V1.2.3"}      | ${false}
    ${"1.2.3.4"}     | ${false}
    ${"1.2.3-"}      | ${false}
    ${"1.2.3-rc.01"} | ${false}
    ${"1.2.3-rc_1"}  | ${false}
    ${"latest"}      | ${false}
  `("$tag -> $ok", ({ tag, ok }: { tag: string; ok: boolean }) => {
    expect(parseFluxVersion(tag) !== null).toBe(ok);
  });
});
