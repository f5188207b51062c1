import { describe, expect, it } from "@jest/globals";
import { canBePlain, formatInline, resolvesToNonString } from "../../../src/core/setters/quote.js";
import { applied, M } from "./helpers.js";
import type { SetterPolicy } from "../../../src/core/setters/index.js";

describe("resolvesToNonString (YAML 1.1 and 1.2)", () => {
  it.each([
    "1.10",
    "123",
    "1e3",
    "0x1F",
    "yes",
    "on",
    "no",
    "off",
    "y",
    "n",
    "Y",
    "N",
    "true",
    "False",
    "null",
    "~",
    ".inf",
    "-.Inf",
    ".NaN",
    "0o17",
    "017",
    "1_000",
    "1:20",
    "0b101",
    "+1",
    ".5",
    "1.",
    "2001-12-14",
    "2001-12-14T21:59:43.10-05:00",
    "<<",
  ])("%s is not a string", (v) => expect(resolvesToNonString(v)).toBe(true));
  it.each(["v1.0.1", "1.0.1", "1.2.3-rc.1", "image:1.0", "sha256:abc", "latest", "yes-please", "0x", "1e", ".", "-", "nulls", "1:2:x", "main-1234"])(
    "%s is a string",
    (v) => expect(resolvesToNonString(v)).toBe(false),
  );
});

describe("canBePlain", () => {
  it.each(["a", "ghcr.io/org/app:v1@sha256:0a", "-x", "a:b", "a#b", "a b"])("%s can be plain", (v) => expect(canBePlain(v)).toBe(true));
  it.each([
    "",
    " a",
    "a ",
    "a: b",
    "a #b",
    "a:",
    "- a",
    "#a",
    "&a",
    "*a",
    "!a",
    "|a",
    ">a",
    "'a",
    '"a',
    "%a",
    "@a",
    "`a",
    "[a",
    "{a",
    "a\nb",
    "a\tb",
    "---",
    "...",
  ])("%j must be quoted", (v) => expect(canBePlain(v)).toBe(false));
});

describe("formatInline", () => {
  it.each([
    ["plain", "v1", "v1"],
    ["plain", "1.10", '"1.10"'],
    ["plain", "", '""'],
    ["plain", "a: b", '"a: b"'],
    ["double", "v1", '"v1"'],
    ["double", 'a"b\\c', '"a\\"b\\\\c"'],
    ["double", "a\u0001", '"a\\x01"'],
    ["single", "v1", "'v1'"],
    ["single", "it's", "'it''s'"],
    ["single", "a\nb", '"a\\nb"'],
    ["single", "", "''"],
  ] as const)("%s %j → %s", (style, value, text) => expect(formatInline(value, style)).toBe(text));
});

describe("quoting in files", () => {
  const pol = (tag: string): SetterPolicy[] => [{ namespace: "ns", name: "p", latestRef: { name: "img", tag } }];
  const t = M("ns:p:tag");
  it.each([
    [`tag: 1.0 # ${t}\n`, "1.10", `tag: "1.10" # ${t}\n`],
    [`tag: "1.0" # ${t}\n`, "v2", `tag: "v2" # ${t}\n`],
    [`tag: '1.0' # ${t}\n`, "it's", `tag: 'it''s' # ${t}\n`],
    [`tag: 5 # ${t}\n`, "v2.0.0", `tag: v2.0.0 # ${t}\n`],
    [`tag: "x" # ${t}\n`, 'q"t', `tag: "q\\"t" # ${t}\n`],
    [`tag: x # ${t}\n`, "yes", `tag: "yes" # ${t}\n`],
    [`tag: x # ${t}\n`, "1:20", `tag: "1:20" # ${t}\n`],
    [`tag: x # ${t}\n`, "a #b", `tag: "a #b" # ${t}\n`],
    [`tag: !!str x # ${t}\n`, "v3", `tag: !!str v3 # ${t}\n`],
    [`tag: >- # ${t}\n  old\n  folded\nn: 1\n`, "v4", `tag: >- # ${t}\n  v4\nn: 1\n`],
    [`l:\n  - | # ${t}\n      old\n  - z\n`, "v5", `l:\n  - |- # ${t}\n      v5\n  - z\n`],
    [`tag: |2- # ${t}\n    old\nn: 1\n`, " lead", `tag: |2- # ${t}\n   lead\nn: 1\n`],
    [`tag: | # ${t}\n  old\n`, "", `tag: |- # ${t}\n`],
    [`tag: old # ${t}`, "v6", `tag: v6 # ${t}`],
    [`tag: | # ${t}\n  old`, "v7", `tag: |- # ${t}\n  v7`],
  ])("%j", (input, tag, expected) => {
    expect(applied(input, pol(tag))).toBe(expected);
  });
});
