import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { applyExclusionList, filterOutTags, latestTags, sortDescending } from "../../src/core/policy/index.js";
import { conformanceDir } from "../helpers/conformance.js";

interface Data {
  exclusion: Array<{ name: string; tags: string[]; exclusionList: string[]; expectError: boolean; expectedTags: string[] | null }>;
  latestTags: Array<{ name: string; tags: string[]; expectedLatestTags: string[] | null }>;
  scan: Array<{
    name: string;
    registryTags: string[];
    exclusionList: string[] | null;
    expectedStoredTags: string[] | null;
    expectedTagCount: number | null;
    expectedLatestTags: string[] | null;
    expectedErrorContains: string | null;
  }>;
}
const data = JSON.parse(fs.readFileSync(path.join(conformanceDir(), "image-repository.json"), "utf8")) as Data;

describe("conformance: image-repository.json exclusion", () => {
  it.each(data.exclusion.map((c) => [c.name, c] as const))("filterOutTags: %s", (_n, c) => {
    const r = filterOutTags(c.tags, c.exclusionList);
    if (c.expectError) expect(r.ok).toBe(false);
    else expect(r).toEqual({ ok: true, tags: c.expectedTags });
  });

  it.each(data.latestTags.map((c) => [c.name, c] as const))("latestTags: %s", (_n, c) => {
    expect(latestTags(sortDescending(c.tags)) ?? null).toEqual(c.expectedLatestTags);
  });

  it.each(data.scan.map((c) => [c.name, c] as const))("scan: %s", (_n, c) => {
    const r = applyExclusionList(c.registryTags, c.exclusionList ?? undefined);
    if (c.expectedErrorContains !== null) {
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toContain(c.expectedErrorContains);
      return;
    }
    if (!r.ok) throw new Error(r.error);
    expect(r.tags).toEqual(c.expectedStoredTags);
    expect(r.tags.length).toBe(c.expectedTagCount);
    expect(latestTags(r.tags) ?? null).toEqual(c.expectedLatestTags);
  });

  it("an explicitly empty list still excludes .sig tags", () => {
    expect(applyExclusionList(["1.0.0", "sha256-abc.sig"], [])).toEqual({ ok: true, tags: ["1.0.0"], excluded: 1 });
    expect(applyExclusionList(["1.0.0", "x.sig"], ["^$"])).toEqual({ ok: true, tags: ["x.sig", "1.0.0"], excluded: 0 });
  });
});
