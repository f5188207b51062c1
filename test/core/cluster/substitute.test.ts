import { describe, expect, it } from "@jest/globals";
import { MAX_SUBSTITUTED_BYTES, substitute, SubstitutionError } from "../../../src/core/cluster/substitute.js";

const vars = new Map([
  ["APP", "web"],
  ["EMPTY", ""],
  ["PATH_", "a/b/c.tar.gz"],
]);
const run = (t: string, unknownSource = false) => substitute(t, vars, { strict: true, unknownSource });

describe("postBuild substitution (fluxcd/pkg envsubst)", () => {
  it.each([
    ["${APP}", "web"],
    ["$APP and $${APP}", "$APP and ${APP}"],
    ["${NOPE:=dflt}", "dflt"],
    ["${NOPE:-dflt}", "dflt"],
    ["${EMPTY:-dflt}", "dflt"],
    ["${EMPTY-dflt}", ""],
    ["${NOPE:=${APP}-x}", "web-x"],
    ["${APP^^}", "WEB"],
    ["${APP^}", "Web"],
    ["${#APP}", "3"],
    ["${PATH_/b/x}", "a/x/c.tar.gz"],
    ["${PATH_//.//}", "a/b/c/tar/gz"],
    ["${PATH_#*/}", "b/c.tar.gz"],
    ["${PATH_##*/}", "c.tar.gz"],
    ["${PATH_%.*}", "a/b/c.tar"],
    ["${PATH_%%.*}", "a/b/c"],
    ["${APP:1}", "eb"],
    ["${APP:0:2}", "we"],
  ])("%s → %s", (input, out) => {
    expect(run(input).text).toBe(out);
  });

  it("fails on an unset variable without default (strict mode) and on bad syntax", () => {
    expect(() => run("${NOPE}")).toThrow(new SubstitutionError('variable not set (strict mode): "NOPE"'));
    expect(() => run("${APP")).toThrow(SubstitutionError);
  });

  it("marks variables from an unreadable source instead of guessing", () => {
    const r = run("name: ${SECRET}-${APP} ${OTHER:=x}", true);
    expect(r.text).toBe("name: ${SECRET}-web ${OTHER:=x}");
    expect(r.unknown).toEqual(["SECRET", "OTHER"]);
  });

  it("bounds the output of one object", () => {
    const big = new Map([["B", "x".repeat(64 * 1024)]]);
    expect(() => substitute("${B}".repeat(100), big, { strict: true, unknownSource: false })).toThrow(`larger than ${MAX_SUBSTITUTED_BYTES} bytes`);
  });
});
