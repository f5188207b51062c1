import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { rankCandidates } from "../../src/core/policy/index.js";
import { parseFluxVersion } from "../../src/core/policy/flux-version.js";
import { conformanceDir } from "../helpers/conformance.js";

interface Data {
  parse: Array<{ tag: string; valid: boolean }>;
  sort: Array<{ constraint: string; tags: string[]; expectedDescending: string[] }>;
}
const data = JSON.parse(fs.readFileSync(path.join(conformanceDir(), "semver-parse.json"), "utf8")) as Data;

describe("conformance: semver-parse.json", () => {
  it.each(data.parse.map((c) => [JSON.stringify(c.tag), c] as const))("ParseVersion(%s)", (_n, c) => {
    expect(parseFluxVersion(c.tag) !== null).toBe(c.valid);
  });

  it.each(data.sort.map((c) => [c.constraint, c] as const))("Sort with %s keeps equal versions in input order", (_n, c) => {
    const r = rankCandidates(c.tags, { policy: { semver: { range: c.constraint } } }, c.tags.length);
    expect(r).toEqual({ ok: true, tags: c.expectedDescending });
  });
});
