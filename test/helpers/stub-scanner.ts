/** An ImageScanner stand-in for use-case tests: tags per image, no digests, no image information. */
import type { ImageScanner, ScanDetail } from "../../src/app/image-scanner.js";
import type { ImageRepository } from "../../src/core/types.js";

export interface StubScanner {
  /** tags per image (spec.image); an image without an entry fails to scan */
  tags: Record<string, string[]>;
  scanned: string[];
  /** typed as the real scanner for ReconcileDeps */
  scanner: ImageScanner;
}

export function stubScanner(tags: Record<string, string[]>): StubScanner {
  const stub: StubScanner = { tags, scanned: [], scanner: undefined as unknown as ImageScanner };
  const impl = {
    async scan(_account: string | undefined, repo: ImageRepository): Promise<ScanDetail> {
      stub.scanned.push(repo.spec.image);
      const found = stub.tags[repo.spec.image];
      return found
        ? { outcome: { ok: true, tags: found, scannedAt: "2026-01-01T00:00:00.000Z" }, fresh: true, canonical: repo.spec.image }
        : { outcome: { ok: false, code: "registry.not-found", error: `no such image ${repo.spec.image}` }, fresh: true };
    },
    async digest(): Promise<string | undefined> {
      return undefined;
    },
    async imageInfo(): Promise<undefined> {
      return undefined;
    },
  };
  stub.scanner = impl as unknown as ImageScanner;
  return stub;
}
