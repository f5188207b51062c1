/**
 * Image info (manifest, index, config labels and created) against a real
 * registry (Debian's docker-registry) on loopback, and the minimum release
 * age deciding on what it reads. Skipped only when it cannot be installed.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createRegistryClient } from "../../src/adapters/registry/index.js";
import type { RegistryCredentials } from "../../src/app/ports/index.js";
import { parseRepository } from "../../src/core/manifests/parse.js";
import { evaluatePolicies, type ScanOutcome } from "../../src/core/plan.js";
import { releaseNotesBlock, type ImageInfo } from "../../src/core/release/index.js";
import { ociPusher } from "../helpers/oci-push.js";
import { ensureDockerRegistry, startRegistry, type TestRegistry } from "../helpers/registry-server.js";

const unavailable = ensureDockerRegistry();
if (unavailable) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPING real-registry image-info tests: ${unavailable}`);
}
const suite = unavailable ? describe.skip : describe;
const NOW = new Date();
const daysAgo = (d: number): string => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const SRC = "org.opencontainers.image.source";

suite("image info from a real registry", () => {
  let reg: TestRegistry;
  let creds: RegistryCredentials;
  let image: string;
  beforeAll(async () => {
    reg = await startRegistry();
    creds = { username: reg.username, password: reg.password };
    image = `${reg.host}/team/app`;
    const push = ociPusher(reg);
    await push.image("team/app", "1.0.0", {
      created: daysAgo(30),
      labels: { [SRC]: "https://github.com/team/app", "org.opencontainers.image.revision": "1111111aaaaaaa" },
    });
    await push.image("team/app", "1.1.0", {
      created: daysAgo(5),
      labels: { [SRC]: "https://github.com/team/app", "org.opencontainers.image.revision": "2222222bbbbbbb", "org.opencontainers.image.version": "1.1.0" },
    });
    await push.image("team/app", "1.2.0", { created: daysAgo(1), labels: { [SRC]: "https://github.com/team/app" } });
    // no labels and no created at all
    await push.image("team/app", "1.3.0-nolabel", {});
    // hostile: huge, markup and mentions
    await push.image("team/app", "hostile", {
      created: daysAgo(2),
      labels: {
        [SRC]: `<img src=x onerror=alert(1)> @octocat ${"A".repeat(200_000)}`,
        "org.opencontainers.image.version": "[click](https://evil.example) @everyone",
      },
    });
    // multi-platform index: arm64 first, amd64 second; the annotation on the index wins
    await push.index(
      "team/app",
      "2.0.0",
      [
        { architecture: "arm64", created: daysAgo(40), labels: { [SRC]: "https://github.com/team/arm" } },
        { architecture: "amd64", created: daysAgo(4), labels: { [SRC]: "https://github.com/team/app", "org.opencontainers.image.revision": "3333333ccccccc" } },
      ],
      { "org.opencontainers.image.created": daysAgo(3) },
    );
    // a config over the 4 MiB bound
    await push.image("team/app", "oversized", { created: daysAgo(2), labels: { filler: "y".repeat(5 * 1024 * 1024) } });
    // an index without linux/amd64: the first entry
    await push.index("team/app", "arm-only", [
      { architecture: "arm64", created: daysAgo(7), labels: { [SRC]: "https://github.com/team/arm64" } },
      { architecture: "s390x", created: daysAgo(8), labels: { [SRC]: "https://github.com/team/s390x" } },
    ]);
  }, 90_000);
  afterAll(async () => {
    await reg?.stop();
  });

  it("reads labels and the config's created of an image manifest", async () => {
    const client = createRegistryClient({ mode: "cli" });
    const i = await client.getImageInfo(image, "1.1.0", { insecure: true, credentials: creds });
    expect(i).toMatchObject({
      created: daysAgo(5),
      createdFrom: "config",
      source: "https://github.com/team/app",
      revision: "2222222bbbbbbb",
      version: "1.1.0",
    });
    expect(i.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("reads the linux/amd64 entry of an index, with the index's annotations", async () => {
    const client = createRegistryClient({ mode: "cli" });
    const i = await client.getImageInfo(image, "2.0.0", { insecure: true, credentials: creds });
    expect(i).toMatchObject({
      platform: "linux/amd64",
      source: "https://github.com/team/app",
      revision: "3333333ccccccc",
      created: daysAgo(3),
      createdFrom: "annotation",
    });
  });

  it("an index without linux/amd64: the first entry", async () => {
    const client = createRegistryClient({ mode: "cli" });
    const i = await client.getImageInfo(image, "arm-only", { insecure: true, credentials: creds });
    expect(i).toMatchObject({ platform: "linux/arm64", source: "https://github.com/team/arm64", created: daysAgo(7), createdFrom: "config" });
  });

  it("refuses a config over its bound with a registry error (the read then counts as unread, never a crash)", async () => {
    const client = createRegistryClient({ mode: "cli" });
    const err = await client.getImageInfo(image, "oversized", { insecure: true, credentials: creds }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/^registry\./) });
  });

  it("an image without labels or created has neither", async () => {
    const client = createRegistryClient({ mode: "cli" });
    const i = await client.getImageInfo(image, "1.3.0-nolabel", { insecure: true, credentials: creds });
    expect(i.created).toBeUndefined();
    expect(i.source).toBeUndefined();
  });

  it("caches by digest: a second read is one request", async () => {
    const client = createRegistryClient({ mode: "cli" });
    const first = await client.getImageInfo(image, "1.0.0", { insecure: true, credentials: creds });
    const again = await client.getImageInfo(image, "1.0.0", { insecure: true, credentials: creds });
    expect(first.requests).toBeGreaterThanOrEqual(3);
    expect(again.requests).toBe(1);
    expect({ ...again, requests: 0 }).toEqual({ ...first, requests: 0 });
  });

  it("bounds and neutralises a hostile label", async () => {
    const client = createRegistryClient({ mode: "cli" });
    const i = await client.getImageInfo(image, "hostile", { insecure: true, credentials: creds });
    expect(i.source!.length).toBeLessThanOrEqual(512);
    const shown = releaseNotesBlock({ tag: "hostile", name: i.version, body: i.source });
    expect(shown).not.toMatch(/<img|@octocat|@everyone|\]\(https:\/\/evil/);
  });

  describe("selection with and without the minimum release age", () => {
    const files = (annotation: string, _range: string) => [
      {
        path: "flux.yaml",
        content: `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: {name: app, namespace: apps}
spec: {image: IMAGE, interval: 5m, insecure: true}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: app
  namespace: apps
${annotation}spec:
  imageRepositoryRef: {name: app}
  policy: {semver: {range: "RANGE"}}
`,
      },
    ];
    async function evaluate(annotation: string, range = ">=1.0.0 <2.0.0") {
      const client = createRegistryClient({ mode: "cli" });
      const m = parseRepository(files(annotation, range).map((f) => ({ ...f, content: f.content.replace("IMAGE", image).replace("RANGE", range) })));
      const tags = (await client.listTags(image, { insecure: true, credentials: creds })).tags;
      const scans = new Map<string, ScanOutcome>([["apps/app", { ok: true, tags }]]);
      const infos = new Map<string, ImageInfo | null>();
      // an image that cannot be read (the oversized config) is null: unread, counted as old enough
      for (const t of tags) infos.set(t, await client.getImageInfo(image, t, { insecure: true, credentials: creds }).catch(() => null));
      return evaluatePolicies(m, scans, undefined, { now: NOW, info: (_i, t) => infos.get(t) }).results[0]!;
    }
    it("without the annotation: the newest version", async () => {
      expect((await evaluate("")).latestRef?.tag).toBe("1.2.0");
    });
    it("with 72h: 1.2.0 (a day old) waits, 1.1.0 (five days) is adopted", async () => {
      const r = await evaluate("  annotations: {flux-image-bot/minimum-release-age: 72h}\n");
      expect(r.latestRef?.tag).toBe("1.1.0");
      expect(r.age?.waiting).toMatchObject({ tag: "1.2.0", age: "too-young" });
      expect(Date.parse(r.age!.waiting!.waitsUntil!)).toBe(Date.parse(daysAgo(1)) + 72 * 3_600_000);
    });
    it("a candidate without a creation time counts as old enough and is marked so", async () => {
      const r = await evaluate("  annotations: {flux-image-bot/minimum-release-age: 72h}\n", ">=1.0.0-0 <2.0.0");
      expect(r.latestRef?.tag).toBe("1.3.0-nolabel");
      expect(r.age?.candidates).toEqual([{ tag: "1.3.0-nolabel", age: "unknown-age" }]);
    });
    it("an index's creation time counts (2.0.0 is three days old)", async () => {
      const r = await evaluate("  annotations: {flux-image-bot/minimum-release-age: 96h}\n", ">=1.0.0");
      expect(r.age?.candidates.map((c) => [c.tag, c.age])).toEqual([
        ["2.0.0", "too-young"],
        ["1.2.0", "too-young"],
        ["1.1.0", "old-enough"],
      ]);
      expect(r.latestRef?.tag).toBe("1.1.0");
    });
  });
});
