import { describe, expect, it } from "@jest/globals";
import { parseMarkerComment, parseSetterName } from "../../../src/core/setters/index.js";
import { applied, M, POLICIES, run } from "./helpers.js";

describe("parseMarkerComment (kyaml fieldmeta)", () => {
  it.each([
    ['# {"$imagepolicy": "ns:p"}', "ns:p"],
    ['#{"$imagepolicy":"ns:p"}', "ns:p"],
    ['## {"$imagepolicy": "ns:p"}', "ns:p"],
    ['###{"$imagepolicy": "ns:p:tag"}  ', "ns:p:tag"],
    ['# {"$imagepolicy": "ns:p", "note": "x"}', "ns:p"],
    ['# {"note": null, "$imagepolicy": "ns:p"}', "ns:p"],
    ['# {"$ref": "#/definitions/io.k8s.cli.setters.ns:p"}', "ns:p"],
    ['# {"$ref": "#/definitions/io.k8s.cli.setters.ns:p:digest", "description": 1}', "ns:p:digest"],
  ])("%s → %s", (comment, setter) => {
    expect(parseMarkerComment(comment)).toBe(setter);
  });

  it.each([
    ['# {"$imagepolicy": "ns:p"} keep'],
    ["# {'$imagepolicy': 'ns:p'}"],
    ['# {"$imagepolicy": ""}'],
    ['# {"$imagepolicy": "ns:p", "n": 1}'],
    ['# {"$imagepolicy": ["ns:p"]}'],
    ['# ["$imagepolicy", "ns:p"]'],
    ['# note {"$imagepolicy": "ns:p"}'],
    ['# {"$ref": "#/definitions/io.k8s.cli.setters."}'],
    ['# {"$ref": "#/definitions/other.ns:p"}'],
    ["# plain comment"],
    ['# {"$imagepolicy": "ns:p"'],
  ])("%s is not a marker", (comment) => {
    expect(parseMarkerComment(comment)).toBeNull();
  });
});

describe("parseSetterName", () => {
  it.each([
    ["ns:p", { namespace: "ns", name: "p", field: "image" }],
    ["ns:p:tag", { namespace: "ns", name: "p", field: "tag" }],
    ["ns:p:name", { namespace: "ns", name: "p", field: "name" }],
    ["ns:p:digest", { namespace: "ns", name: "p", field: "digest" }],
    ["ns:p:Tag", null],
    ["ns:p:version", null],
    ["ns", null],
    ["ns:", null],
    ["ns:p:tag:x", null],
    ["ns :p", null],
  ])("%s", (s, expected) => {
    expect(parseSetterName(s)).toEqual(expected);
  });
});

describe("marker forms and values", () => {
  it.each([
    ["ns:v", "ghcr.io/org/app:1.10@sha256:abc"],
    ["ns:v:tag", '"1.10"'],
    ["ns:v:name", "ghcr.io/org/app"],
    ["ns:v:digest", "sha256:abc"],
    ["ns:nodigest", "app:v1.2.3"],
    ["ns:nodigest:digest", '""'],
  ])("%s writes %s", (setter, written) => {
    expect(applied(`x: old # ${M(setter)}\n`)).toBe(`x: ${written} # ${M(setter)}\n`);
  });

  it("understands the legacy $ref long form (in a file that passes token screening)", () => {
    const c = '{"$ref": "#/definitions/io.k8s.cli.setters.ns:v:tag"}';
    const other = `y: app:v1.2.3 # ${M("ns:nodigest")}\n`;
    expect(applied(`x: old # ${c}\n${other}`)).toBe(`x: "1.10" # ${c}\n${other}`);
  });

  it("ignores a file with only long-form markers, as Flux's token screening does", () => {
    const c = '{"$ref": "#/definitions/io.k8s.cli.setters.ns:v:tag"}';
    expect(run(`x: old # ${c}\n`).changed).toEqual([]);
  });

  it("does not change a value that is already up to date (no change recorded)", () => {
    const out = run(`x: app:v1.2.3 # ${M("ns:nodigest")}\n`);
    expect(out.changed).toEqual([]);
    expect(out.result).toEqual({ fileChanges: {} });
    expect(out.markers).toHaveLength(1);
  });
});

describe("problems for markers Flux ignores", () => {
  const policies = [
    ...POLICIES,
    { namespace: "ns", name: "unselected", latestRef: { name: "a", tag: "1" }, notSelected: true },
    { namespace: "ns", name: "pending", error: "no tags match the range" },
    { namespace: "other", name: "p", latestRef: { name: "a", tag: "1" } },
  ];
  it.each([
    ["ns:missing", "marker.unknown-policy", "error"],
    ["other:p", "marker.other-namespace", "warning"],
    ["ns:unselected", "marker.not-selected", "warning"],
    ["ns:pending:tag", "marker.no-result", "error"],
    ["ns:p:version", "marker.invalid", "error"],
  ])("%s → %s", (setter, code, severity) => {
    const input = `a: 1\nb:\n  x: old # ${M(setter)}\n`;
    const out = run(input, policies);
    expect(out.changed).toEqual([]);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toMatchObject({ code, file: "f.yaml", line: 3, severity });
    expect(out.problems[0]!.message.length).toBeGreaterThan(40);
  });

  it("includes the policy error in the no-result text", () => {
    const out = run(`x: old # ${M("ns:pending")}\n`, policies);
    expect(out.problems[0]!.message).toContain("no tags match the range");
    expect(out.problems[0]!.object).toBe("ImagePolicy/ns/pending");
  });

  it("reports every marker found, with line, field, value and object", () => {
    const input = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  image: a:1 # ${M("ns:p:tag")}\n  l:\n  # ${M("other:p")}\n  - b:2\n`;
    expect(run(input, policies).markers).toEqual([
      {
        file: "f.yaml",
        line: 7,
        setter: "ns:p:tag",
        policy: "ns:p",
        field: "tag",
        value: "a:1",
        newValue: "2",
        object: { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "prod" },
      },
      {
        file: "f.yaml",
        line: 10,
        setter: "other:p",
        policy: "other:p",
        field: "image",
        value: "b:2",
        object: { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "prod" },
      },
    ]);
  });
});
