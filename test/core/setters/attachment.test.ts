import { describe, expect, it } from "@jest/globals";
import { applied, M, run } from "./helpers.js";

const mk = M("ns:p");

// Where a marker comment attaches, as kyaml setters2 reads go-yaml's comments (policy ns:p → "new:2").
describe("which nodes a marker applies to", () => {
  it.each([
    ["block mapping value, line comment", `image: old:1 # ${mk}\n`, `image: new:2 # ${mk}\n`],
    ["scalar sequence item, line comment", `l:\n- old:1 # ${mk}\n`, `l:\n- new:2 # ${mk}\n`],
    ["head comment directly above a scalar list item", `l:\n  # ${mk}\n  - old:2\n`, `l:\n  # ${mk}\n  - new:2\n`],
    ["head comment above a later list item", `l:\n- a\n# ${mk}\n- old:2\n- c\n`, `l:\n- a\n# ${mk}\n- new:2\n- c\n`],
    ["head comment above key: value belongs to the key", `# ${mk}\nkey: old:7\n`, null],
    ["indented head comment above key: value", `a:\n  # ${mk}\n  key: old:7\n`, null],
    ["key that looks like an image: the value is replaced", `old:8: value # ${mk}\n`, `old:8: new:2 # ${mk}\n`],
    ["key with empty value", `key: # ${mk}\nother: x\n`, null],
    ["flow mapping", `flow: {image: old:4} # ${mk}\n`, null],
    ["flow sequence", `flow: [old:5, old:6] # ${mk}\n`, null],
    ["flow mapping across lines", `flow: {\n  image: old:4 # ${mk}\n}\n`, null],
    ["block scalar", `script: | # ${mk}\n  old\n  text\nnext: x\n`, `script: |- # ${mk}\n  new:2\nnext: x\n`],
    ["anchor: the value and hence its aliases", `a: &x old:15 # ${mk}\nb: *x\n`, `a: &x new:2 # ${mk}\nb: *x\n`],
    ["alias node is not a scalar", `a: &x old:15\nb: *x # ${mk}\n`, null],
    ["multi-line head comment block ending with the marker", `l:\n# note\n# ${mk}\n- old:2\n`, null],
    ["non-marker line comment hides a head marker", `l:\n# ${mk}\n- old:2 # keep me\n`, null],
    ["line comment wins over head comment", `l:\n# ${M("ns:nodigest:tag")}\n- old:2 # ${mk}\n`, `l:\n# ${M("ns:nodigest:tag")}\n- new:2 # ${mk}\n`],
    ["head comment separated by a blank line", `l:\n# ${mk}\n\n- old:2\n`, null],
    ["head comment above a mapping item", `l:\n# ${mk}\n- name: old:2\n`, null],
    ["mapping key is never replaced", `? old:1 # ${mk}\n: v\n`, null],
    ["comment inside a previous block scalar is text", `l:\n- |\n  # ${mk}\n- old:2\n`, null],
    ["value on the line after its key", `image:\n  old:1 # ${mk}\n`, `image:\n  new:2 # ${mk}\n`],
    ["marker on the key line when the value is on the next line", `image: # ${mk}\n  old:1\n`, null],
    ["nested block sequences", `a:\n  b:\n    - - old:1 # ${mk}\n`, `a:\n  b:\n    - - new:2 # ${mk}\n`],
    ["no space before # is not a comment", `image: old:1#${mk}\n`, null],
  ])("%s", (_name, input, expected) => {
    expect(applied(input)).toBe(expected ?? input);
  });
});

describe("documents and files", () => {
  it("updates every document of a multi-document file, keeping separators", () => {
    const input = `---\nkind: A\nmetadata:\n  name: a\nimage: old # ${mk}\n---\n# doc 2\nkind: B\nimage: old # ${mk}\n...\n---\nkind: C\n`;
    const out = run(input);
    expect(out.changed[0]!.content).toBe(input.replaceAll("image: old", "image: new:2"));
    expect(out.result.fileChanges["f.yaml"]!.map((o) => o.object.kind)).toEqual(["A", "B"]);
    expect(out.result.fileChanges["f.yaml"]![0]!.object).toEqual({ apiVersion: "", kind: "A", name: "a", namespace: "" });
  });

  it("keeps CRLF line ends and a BOM", () => {
    const input = `\uFEFFa: 1\r\nimage: old # ${mk}\r\nl:\r\n# ${mk}\r\n- old\r\n`;
    expect(applied(input)).toBe(`\uFEFFa: 1\r\nimage: new:2 # ${mk}\r\nl:\r\n# ${mk}\r\n- new:2\r\n`);
  });

  it("handles multi-byte characters before the value", () => {
    const input = `# ünïcödé 🚀\nname: "日本語"\nimage: old # ${mk}\n`;
    expect(applied(input)).toBe(`# ünïcödé 🚀\nname: "日本語"\nimage: new:2 # ${mk}\n`);
  });

  it.each([
    ["invalid YAML", `image: old # ${mk}\n  bad: [\n`],
    ["a sequence at the root", `- old # ${mk}\n`],
    ["a scalar document", `image: old # ${mk}\n---\njust text\n`],
    ["content after ---", `--- {a: b}\nimage: old # ${mk}\n`],
    ["duplicate keys", `image: old # ${mk}\nimage: x\n`],
  ])("skips a file with %s and reports it", (_n, input) => {
    const out = run(input);
    expect(out.changed).toEqual([]);
    expect(out.problems.map((p) => [p.code, p.file])).toEqual([["setters.unparsable", "f.yaml"]]);
  });

  it("skips empty documents and comment-only documents", () => {
    expect(applied(`---\n# only a comment\n---\n---\nimage: old # ${mk}\n`)).toBe(`---\n# only a comment\n---\n---\nimage: new:2 # ${mk}\n`);
  });

  it("does not touch kind: List files and says why", () => {
    const out = run(`apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  image: old # ${mk}\n`);
    expect(out.changed).toEqual([]);
    expect(out.problems.map((p) => p.code)).toEqual(["setters.list-unsupported"]);
  });

  it("merges documents with the same identifier in the result, as a Go map does", () => {
    const out = run(`kind: A\nimage: old # ${mk}\n---\nkind: A\nimage: old2 # ${mk}\n`);
    expect(out.result.fileChanges["f.yaml"]).toEqual([
      {
        object: { apiVersion: "", kind: "A", name: "", namespace: "" },
        changes: [
          { oldValue: "old", newValue: "new:2", setter: "ns:p" },
          { oldValue: "old2", newValue: "new:2", setter: "ns:p" },
        ],
      },
    ]);
  });
});
