import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readTree } from "../../src/adapters/local/read-tree.js";
import { applySetters, isSetterCandidate } from "../../src/core/setters/index.js";
import type { SetterPolicy } from "../../src/core/setters/index.js";
import type { RepoFile } from "../../src/core/types.js";
import { conformanceDir } from "../helpers/conformance.js";

const CONF = conformanceDir();

interface ApplierCase {
  name: string;
  strategy?: string;
  path?: string;
  policies?: Record<string, string>;
  targetPolicy?: string;
  input?: string;
  expected?: string;
  markerFiles?: string[];
  expectError: boolean;
}

const cases = (JSON.parse(readFileSync(join(CONF, "applier", "cases.json"), "utf8")) as { cases: ApplierCase[] }).cases;

/** As the upstream test: split at the last '@' (digest), then the last ':' (tag). */
function toPolicy(name: string, image: string): SetterPolicy {
  let rest = image;
  let digest: string | undefined;
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(":");
  return { namespace: "test-ns", name, latestRef: { name: rest.slice(0, colon), tag: rest.slice(colon + 1), ...(digest ? { digest } : {}) } };
}

async function tree(rel: string, target: string): Promise<RepoFile[]> {
  const { files } = await readTree(join(CONF, rel), () => true);
  const marker = `{"$imagepolicy": "test-ns:${target}"}`;
  return files.map((f) => ({ path: f.path, content: f.content.replaceAll("SETTER_SITE", marker) }));
}

describe("conformance: applier/", () => {
  const runnable = cases.filter((c) => !c.expectError);
  it.each(runnable.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    expect(c.strategy).toBe("Setters");
    const input = await tree(c.input!, c.targetPolicy!);
    const expected = await tree(c.expected!, c.targetPolicy!);
    const policies = Object.entries(c.policies!).map(([n, img]) => toPolicy(n, img));
    const out = applySetters(
      input.filter((f) => isSetterCandidate(f.path)),
      policies,
      { automationNamespace: "test-ns", updatePath: c.path },
    );
    expect(out.problems).toEqual([]);
    const after = new Map(input.map((f) => [f.path, f.content]));
    for (const f of out.changed) after.set(f.path, f.content);
    expect([...after.entries()].sort()).toEqual(expected.map((f) => [f.path, f.content] as [string, string]).sort());
    // every marker file is seen, only those under the path are changed
    expect(out.markers.map((m) => m.file).sort()).toEqual(c.markerFiles!.filter((m) => !c.path || m.startsWith(c.path.replace(/^\.\//, "") + "/")).sort());
    expect(out.changed.length).toBeGreaterThan(0);
  });

  it("covers the error cases at the strategy level (not the setters' concern)", () => {
    // "no update strategy" / "unknown update strategy" are rejected before the setters run.
    expect(cases.filter((c) => c.expectError).map((c) => c.strategy ?? null)).toEqual([null, "foo"]);
  });
});
