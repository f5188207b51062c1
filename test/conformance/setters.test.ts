import { describe, expect, it } from "@jest/globals";
import { cp, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTree } from "../../src/adapters/local/read-tree.js";
import { applySetters, isSetterCandidate, MARKER_TOKEN } from "../../src/core/setters/index.js";
import type { SetterPolicy } from "../../src/core/setters/index.js";
import { conformanceDir } from "../helpers/conformance.js";

const CONF = conformanceDir();

interface SettersCase {
  policies: SetterPolicy[];
  expectedResult: unknown;
  screening: { filesThatPassScreening: string[]; documentCount: number };
}

async function loadCase(): Promise<SettersCase> {
  return JSON.parse(await readFile(join(CONF, "setters", "case.json"), "utf8")) as SettersCase;
}

async function withOriginalCopy<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "setters-conf-"));
  try {
    await cp(join(CONF, "setters", "original"), dir, { recursive: true });
    // Upstream also has test.yaml -> testing.yaml (dangling); the reader must skip it.
    await symlink("testing.yaml", join(dir, "test.yaml"));
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("conformance: setters/", () => {
  it("produces the expected tree byte for byte and the exact change list", async () => {
    const c = await loadCase();
    await withOriginalCopy(async (dir) => {
      const { files, skipped } = await readTree(dir, isSetterCandidate);
      expect(skipped.map((s) => s.path)).toEqual(["test.yaml"]);
      const out = applySetters(files, c.policies, { automationNamespace: "automation-ns" });
      const expectedDir = join(CONF, "setters", "expected");
      const expected = (await readTree(expectedDir, () => true)).files;
      const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1);
      expect([...out.changed].sort(byPath)).toEqual([...expected].sort(byPath));
      expect(out.result).toEqual(c.expectedResult);
      // objects and changes are compared as arrays, so their document order is checked too
    });
  });

  it("screens files like Flux's ScreeningLocalReader", async () => {
    const c = await loadCase();
    await withOriginalCopy(async (dir) => {
      const { files } = await readTree(dir, isSetterCandidate);
      const passing = files.filter((f) => f.content.includes(MARKER_TOKEN)).map((f) => f.path);
      expect(passing.sort()).toEqual([...c.screening.filesThatPassScreening].sort());
      const docs = files
        .filter((f) => f.content.includes(MARKER_TOKEN))
        .reduce((n, f) => n + f.content.split(/^---/m).filter((d) => d.trim() !== "").length, 0);
      expect(docs).toBe(c.screening.documentCount);
    });
  });

  it("reports the other-namespace marker and lists every marker", async () => {
    const c = await loadCase();
    await withOriginalCopy(async (dir) => {
      const { files } = await readTree(dir, isSetterCandidate);
      const out = applySetters(files, c.policies, { automationNamespace: "automation-ns" });
      expect(out.problems.map((p) => [p.code, p.file, p.line])).toEqual([["marker.other-namespace", "otherns.yaml", 11]]);
      expect(out.markers.map((m) => `${m.file}:${m.line} ${m.setter}=${m.value}`).sort()).toEqual(
        [
          "Kustomization:8 automation-ns:policy:name=replaced",
          "Kustomization:9 automation-ns:policy:tag=v1",
          "kustomization.yml:8 automation-ns:policy:name=replaced",
          "kustomization.yml:9 automation-ns:policy:tag=v1",
          "kustomization.yml:10 automation-ns:policy-with-digest:digest=sha256:1234567890abcdef",
          "kustomization.yml:28 automation-ns:policy-with-digest=image",
          "marked.yaml:14 automation-ns:policy=image:v1.0.0",
          "marked.yaml:16 automation-ns:unchanged=image:v1.0.0",
          "otherns.yaml:11 other-namespace:policy=user:v1.0.0",
        ].sort(),
      );
    });
  });
});
