import { describe, expect, it } from "@jest/globals";
import { applySetters, MARKER_TOKEN } from "../../../src/core/setters/index.js";
import { POLICIES } from "./helpers.js";

const mk = '{"$imagepolicy": "ns:p"}';

function rnd(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe("never throws on garbage", () => {
  it.each(Array.from({ length: 50 }, (_, i) => i))("random bytes %i", (seed) => {
    const r = rnd(seed + 1);
    let s = "";
    for (let i = 0; i < 2000; i++) s += String.fromCharCode(Math.floor(r() * (r() < 0.8 ? 128 : 0x3000)));
    const content = `${s}\n${MARKER_TOKEN}\n${s}`;
    expect(() => applySetters([{ path: "g.yaml", content }], POLICIES, { automationNamespace: "ns" })).not.toThrow();
  });

  it.each([
    ["deep flow nesting", `a: ${"[".repeat(20000)}\nimage: old # ${mk}\n`],
    ["deep block nesting", `${Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n")} x # ${mk}\n`],
    [
      "anchor bomb",
      `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nmetadata: *g\nimage: old # ${mk}\n`,
    ],
    ["huge file", `${"x: y\n".repeat(200000)}image: old # ${mk}\n`],
    ["lone surrogates", `image: old\uD800 # ${mk}\n`],
    ["only the token", MARKER_TOKEN],
    ["unterminated quote", `image: "old # ${mk}\n`],
    ["tabs as indentation", `a:\n\tb: old # ${mk}\n`],
  ])("%s", (_name, content) => {
    const out = applySetters([{ path: "g.yaml", content }], POLICIES, { automationNamespace: "ns" });
    expect(Array.isArray(out.problems)).toBe(true);
  });

  it("still updates a valid file next to an anchor bomb", () => {
    const bomb = `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\nmetadata: *f\nimage: old # ${mk}\n`;
    const out = applySetters([{ path: "g.yaml", content: bomb }], POLICIES, { automationNamespace: "ns" });
    expect(out.changed[0]?.content).toContain("image: new:2 #");
  });
});
