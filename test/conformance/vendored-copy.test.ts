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

const shared = existsSync(SHARED_CONFORMANCE);
if (!shared) console.warn(`SKIPPING the vendored-copy check: ${SHARED_CONFORMANCE} is not there to compare with`);

describe("the vendored copy of Flux's conformance data", () => {
  (shared ? it : it.skip)("equals ../shared/conformance (refresh with cp -r ../shared/conformance test/fixtures/)", () => {
    expect(tree(VENDORED_CONFORMANCE)).toEqual(tree(SHARED_CONFORMANCE));
  });
});
