import { describe, expect, it } from "@jest/globals";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { SHARED_CONFORMANCE, VENDORED_CONFORMANCE } from "../helpers/conformance.js";

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("the vendored copy of Flux's conformance data", () => {
  it("equals ../shared/conformance when that is present (refresh with cp -r ../shared/conformance test/fixtures/)", () => {
    if (!existsSync(SHARED_CONFORMANCE)) return;
    expect(tree(VENDORED_CONFORMANCE)).toEqual(tree(SHARED_CONFORMANCE));
  });
});
