import { describe, expect, it } from "@jest/globals";
import { evaluateWithRelease, infoKey, readImageInfos } from "../../src/app/release-info.js";
import type { Problem } from "../../src/core/errors.js";
import { parseRepository } from "../../src/core/manifests/parse.js";
import { evaluatePolicies, type ScanOutcome } from "../../src/core/plan.js";

const yaml = (annotations: string) => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: {name: app, namespace: apps}
spec: {image: ghcr.io/team/app, interval: 5m}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: app
  namespace: apps
${annotations}spec:
  imageRepositoryRef: {name: app}
  policy: {semver: {range: ">=1.0.0"}}
`;
const tags = Array.from({ length: 30 }, (_, i) => `1.0.${i}`);
const scans = new Map<string, ScanOutcome>([["apps/app", { ok: true, tags }]]);

describe("reading the candidates' images", () => {
  it("reads only the selected tag without a minimum age, at most ten candidates with one", async () => {
    const plain = parseRepository([{ path: "f.yaml", content: yaml("") }]);
    const asked: string[] = [];
    await readImageInfos(evaluatePolicies(plain, scans).results, scans, async (_r, t) => (asked.push(t), { digest: "d" }), []);
    expect(asked).toEqual(["1.0.29"]);
    const gated = parseRepository([{ path: "f.yaml", content: yaml("  annotations: {flux-image-bot/minimum-release-age: 1h}\n") }]);
    asked.length = 0;
    await readImageInfos(evaluatePolicies(gated, scans).results, scans, async (_r, t) => (asked.push(t), { digest: "d" }), []);
    expect(asked).toHaveLength(10);
  });

  it("stops at the image cap and at the time budget; a failed read is unread, a warning only where it decides", async () => {
    const gated = parseRepository([{ path: "f.yaml", content: yaml("  annotations: {flux-image-bot/minimum-release-age: 1h}\n") }]);
    const results = evaluatePolicies(gated, scans).results;
    expect((await readImageInfos(results, scans, async () => ({ digest: "d" }), [], 3)).size).toBe(3);
    expect((await readImageInfos(results, scans, async () => ({ digest: "d" }), [], 100, new Map(), Date.now() - 1)).size).toBe(0);
    const problems: Problem[] = [];
    const infos = await readImageInfos(results, scans, async () => Promise.reject(new Error("registry.unavailable: boom")), problems, 1);
    expect(infos.get(infoKey("ghcr.io/team/app", "1.0.29"))).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ code: "registry.image-info", severity: "warning", object: "ImageRepository/apps/app" })]);
    const plain = parseRepository([{ path: "f.yaml", content: yaml("") }]);
    const quiet: Problem[] = [];
    await readImageInfos(evaluatePolicies(plain, scans).results, scans, async () => Promise.reject(new Error("x")), quiet);
    expect(quiet).toEqual([]);
  });

  it("an unreadable image counts as old enough: the gate never blocks on a registry failure", async () => {
    const gated = parseRepository([{ path: "f.yaml", content: yaml("  annotations: {flux-image-bot/minimum-release-age: 1h}\n") }]);
    const out = await evaluateWithRelease(gated, scans, async () => Promise.reject(new Error("down")), { now: new Date() });
    expect(out.results[0]!.latestRef?.tag).toBe("1.0.29");
    expect(out.results[0]!.age?.candidates).toEqual([{ tag: "1.0.29", age: "unread" }]);
  });
});
