import { describe, expect, it } from "@jest/globals";
import { compileGo, quoteMeta } from "../../../src/go/index.js";

describe("compileGo", () => {
  it.each<{ pattern: string; message: string }>`
    pattern        | message
    ${"[="}        | ${"error parsing regexp: missing closing ]: `[=`"}
    ${"^test-(.*"} | ${"error parsing regexp: missing closing ): `^test-(.*`"}
    ${"(?=a)"}     | ${"error parsing regexp: invalid or unsupported Perl syntax: `(?=`"}
    ${"(?!a)"}     | ${"error parsing regexp: invalid or unsupported Perl syntax: `(?!`"}
    ${"(?<=a)b"}   | ${"error parsing regexp: invalid named capture: `(?<=a)b`"}
    ${"(a)\\1"}    | ${"error parsing regexp: invalid escape sequence: `\\1`"}
    ${"a**"}       | ${"error parsing regexp: invalid nested repetition operator: `**`"}
    ${"a{1001}"}   | ${"error parsing regexp: invalid repeat count: `{1001}`"}
  `("rejects $pattern like Go", ({ pattern, message }: { pattern: string; message: string }) => {
    expect(() => compileGo(pattern)).toThrow(message);
  });

  it("accepts both named-group syntaxes", () => {
    expect(compileGo("(?P<a>x)(?<b>y)(z)").subexpNames()).toEqual(["", "a", "b", ""]);
  });

  it("matches unanchored, leftmost-first", () => {
    expect(compileGo("abc").matchString("xabcx")).toBe(true);
    expect(compileGo("").matchString("anything")).toBe(true);
    expect(compileGo("(a|ab)(c|bcd)").findStringSubmatch("abcd")).toEqual(["abcd", "a", "bcd"]);
    expect(compileGo("a.c").matchString("a\nc")).toBe(false);
    expect(compileGo("^b$").matchString("a\nb")).toBe(false);
  });
});

describe("expandString (Go Regexp.Expand)", () => {
  const re = compileGo("(?P<num>[0-9]+)-(x)?");
  const src = "ab12-cd";
  const m = re.findStringSubmatchIndex(src)!;
  it.each<{ template: string; out: string }>`
    template    | out
    ${"$1"}     | ${"12"}
    ${"${1}x"}  | ${"12x"}
    ${"$1x"}    | ${""}
    ${"$num"}   | ${"12"}
    ${"${num}"} | ${"12"}
    ${"$$"}     | ${"$"}
    ${"$$1"}    | ${"$1"}
    ${"$"}      | ${"$"}
    ${"a$"}     | ${"a$"}
    ${"${1"}    | ${"${1"}
    ${"${}"}    | ${"${}"}
    ${"$ 1"}    | ${"$ 1"}
    ${"$2"}     | ${""}
    ${"$9"}     | ${""}
    ${"$01"}    | ${""}
    ${"$0"}     | ${"12-"}
    ${"v$1.0"}  | ${"v12.0"}
    ${"$é!"}    | ${"!"}
  `("$template -> $out", ({ template, out }: { template: string; out: string }) => {
    expect(re.expandString(template, src, m)).toBe(out);
  });
});

describe("sprig-style helpers", () => {
  it("replaceAllString expands, replaceAllLiteralString does not", () => {
    const re = compileGo("a(x*)b");
    expect(re.replaceAllString("-ab-axxb-", "${1}W")).toBe("-W-xxW-");
    expect(re.replaceAllLiteralString("-ab-axxb-", "${1}")).toBe("-${1}-${1}-");
    expect(compileGo("a*").replaceAllString("baaac", "<$0>")).toBe("<>b<aaa>c<>");
  });
  it("findAllString and split follow Go", () => {
    expect(compileGo("a*").findAllString("baaac", -1)).toEqual(["", "aaa", ""]);
    expect(compileGo("x").findAllString("abc", -1)).toBeNull();
    expect(compileGo("a").findAllString("aaaa", 2)).toEqual(["a", "a"]);
    expect(compileGo("x*").split("axbxxc", -1)).toEqual(["a", "b", "c"]);
    expect(compileGo(",").split("a,b,c", 2)).toEqual(["a", "b,c"]);
    expect(compileGo("a").split("", -1)).toEqual([""]);
    expect(compileGo("a").split("abc", 0)).toEqual([]);
  });
  it("quoteMeta escapes RE2 metacharacters", () => {
    expect(quoteMeta("1.2+[x]{3}|^$\\")).toBe("1\\.2\\+\\[x\\]\\{3\\}\\|\\^\\$\\\\");
    expect(compileGo(quoteMeta("a.b")).matchString("axb")).toBe(false);
  });
});
