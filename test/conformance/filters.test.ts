import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { newRegexFilter } from "../../src/core/policy/filter.js";
import { compareBytes } from "../../src/core/policy/index.js";
import { conformanceDir } from "../helpers/conformance.js";

interface FilterCase {
  name: string;
  tags: string[];
  filterTags: { pattern: string; extract: string };
  expectedItems: string[];
}
const data = JSON.parse(fs.readFileSync(path.join(conformanceDir(), "filters.json"), "utf8")) as { cases: FilterCase[] };

describe("conformance: filters.json", () => {
  it.each(data.cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    const f = newRegexFilter(c.filterTags.pattern, c.filterTags.extract);
    if (!f.ok) throw new Error(f.error);
    const got = f.value.apply([...c.tags].sort((a, b) => compareBytes(b, a))).candidates;
    expect([...got].sort()).toEqual([...c.expectedItems].sort());
  });
});
