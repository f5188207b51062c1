/** The scanner's image reads: remembered for an interval, failures included (a registry that does not serve them is asked once). */
import { describe, expect, it } from "@jest/globals";
import { MemoryScanCache, scanCacheKey } from "../../src/adapters/scan-cache/index.js";
import { ImageScanner } from "../../src/app/image-scanner.js";
import type { RegistryClientPort } from "../../src/app/ports/index.js";
import type { ImageRepository } from "../../src/core/types.js";

const repo: ImageRepository = {
  apiVersion: "image.toolkit.fluxcd.io/v1",
  kind: "ImageRepository",
  name: "app",
  namespace: "flux-system",
  namespaceSource: "metadata",
  labels: {},
  annotations: {},
  file: "repo.yaml",
  line: 1,
  spec: { image: "ghcr.io/acme/app", interval: "5m" },
};

function scannerWith(getImageInfo: RegistryClientPort["getImageInfo"], now: { t: number }): ImageScanner {
  const client: RegistryClientPort = {
    listTags: async () => ({ tags: [], droppedInvalid: 0, truncated: false }),
    getDigest: async () => "sha256:0",
    getImageInfo,
  };
  return new ImageScanner({
    client,
    cache: new MemoryScanCache(),
    minIntervalMs: 60_000,
    cacheKey: scanCacheKey,
    identity: () => "anonymous",
    now: () => new Date(now.t),
  });
}

describe("ImageScanner.imageInfo", () => {
  it("reads an image once per interval, and a failing read once too", async () => {
    const now = { t: Date.parse("2026-12-07T12:00:00Z") };
    let calls = 0;
    const failing = scannerWith(async () => {
      calls++;
      throw new Error("manifest unknown");
    }, now);
    await expect(failing.imageInfo(undefined, repo, "1.0.0")).rejects.toThrow("manifest unknown");
    await expect(failing.imageInfo(undefined, repo, "1.0.0")).rejects.toThrow("manifest unknown");
    expect(calls).toBe(1);
    now.t += 6 * 60_000;
    await expect(failing.imageInfo(undefined, repo, "1.0.0")).rejects.toThrow("manifest unknown");
    expect(calls).toBe(2);

    let reads = 0;
    const ok = scannerWith(async () => {
      reads++;
      return { digest: "sha256:1", created: "2026-12-01T00:00:00Z", requests: 2 };
    }, now);
    expect(await ok.imageInfo(undefined, repo, "1.0.0")).toMatchObject({ digest: "sha256:1" });
    expect(await ok.imageInfo(undefined, repo, "1.0.0")).toMatchObject({ digest: "sha256:1" });
    expect(reads).toBe(1);
  });
});
