import { describe, expect, it } from "@jest/globals";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { applySetters } from "../../../src/core/setters/index.js";
import type { SetterPolicy } from "../../../src/core/setters/index.js";
import type { RepoFile } from "../../../src/core/types.js";

const ROOT = join(process.cwd(), "test", "fixtures", "setters");

function readDir(dir: string): RepoFile[] {
  return readdirSync(dir)
    .sort()
    .map((name) => ({ path: name, content: readFileSync(join(dir, name), "utf8") }));
}

/** Lines differ only where a value changed: same indentation, same key, same trailing comment. */
function assertOnlyValuesDiffer(before: string, afterText: string): void {
  const a = before.split("\n");
  const b = afterText.split("\n");
  expect(b.length).toBeLessThanOrEqual(a.length); // block scalars may shrink
  let j = 0;
  for (let i = 0; i < b.length; i++, j++) {
    if (a[j] === b[i]) continue;
    const la = a[j]!;
    const lb = b[i]!;
    const indent = (s: string) => /^[ -]*/.exec(s)![0];
    expect(indent(lb)).toBe(indent(la));
    const comment = (s: string) => (s.includes(" #") ? s.slice(s.indexOf(" #")).trimStart() : "");
    expect(comment(lb)).toBe(comment(la));
    const key = (s: string) => (s.includes(": ") ? s.slice(0, s.indexOf(": ")) : "");
    expect(key(lb)).toBe(key(la));
    // skip body lines of a replaced block scalar
    if (/: \|[-+0-9]* #/.test(lb)) {
      const ind = indent(a[j + 1] ?? "").length;
      while (j + 2 < a.length && (a[j + 2]!.trim() === "" || indent(a[j + 2]!).length >= ind) && a[j + 2] !== b[i + 2]) j++;
    }
  }
}

describe.each(readdirSync(ROOT).sort())("golden fixture %s", (name) => {
  const dir = join(ROOT, name);
  const cfg = JSON.parse(readFileSync(join(dir, "policies.json"), "utf8")) as { automationNamespace: string; policies: SetterPolicy[] };
  const original = readDir(join(dir, "original"));
  const expected = readDir(join(dir, "expected"));
  const out = applySetters(original, cfg.policies, { automationNamespace: cfg.automationNamespace });

  it("writes exactly the expected files, byte for byte", () => {
    expect(out.changed.map((f) => f.path).sort()).toEqual(expected.map((f) => f.path).sort());
    for (const f of expected) expect(out.changed.find((c) => c.path === f.path)?.content).toBe(f.content);
  });

  it("changes nothing but the marked values", () => {
    for (const f of out.changed) assertOnlyValuesDiffer(original.find((o) => o.path === f.path)!.content, f.content);
  });

  it("records one change per rewritten value", () => {
    const changes = Object.values(out.result.fileChanges).flatMap((objs) => objs.flatMap((o) => o.changes));
    expect(changes.every((c) => c.oldValue !== c.newValue)).toBe(true);
    expect(Object.keys(out.result.fileChanges).sort()).toEqual(expected.map((f) => f.path).sort());
  });
});

describe("golden fixture commented: details", () => {
  const dir = join(ROOT, "commented");
  const cfg = JSON.parse(readFileSync(join(dir, "policies.json"), "utf8")) as { automationNamespace: string; policies: SetterPolicy[] };
  const out = applySetters(readDir(join(dir, "original")), cfg.policies, { automationNamespace: cfg.automationNamespace });

  it("reports the unknown policy and the Helm template, and never reads notes.json", () => {
    expect(out.problems.map((p) => `${p.code} ${p.file}:${p.line ?? ""}`).sort()).toEqual([
      "marker.unknown-policy helmrelease.yaml:14",
      "setters.unparsable chart-template.yaml:2",
    ]);
    expect(out.markers.some((m) => m.file === "notes.json")).toBe(false);
  });

  it("records objects and changes in document order", () => {
    const deployment = out.result.fileChanges["deployment.yaml"]!;
    expect(deployment.map((o) => `${o.object.kind}/${o.object.namespace}/${o.object.name}`)).toEqual(["Deployment/prod/app", "CronJob//worker"]);
    expect(deployment[0]!.changes.map((c) => c.setter)).toEqual(["flux-system:app", "flux-system:app:tag", "flux-system:worker:tag", "flux-system:web"]);
    expect(deployment[1]!.changes).toEqual([
      { oldValue: "v1.0.0", newValue: "v2.0.0", setter: "flux-system:worker:tag" },
      { oldValue: "ghcr.io/org/worker:v1.0.0", newValue: "ghcr.io/org/worker:v2.0.0", setter: "flux-system:worker" },
      { oldValue: "old/worker\n", newValue: "ghcr.io/org/worker", setter: "flux-system:worker:name" },
    ]);
  });
});
