/**
 * What image scans need from registries: the registry client
 * (src/adapters/registry/client.ts), the account's registry access (provider
 * tokens, certificates, proxies: src/adapters/registry/access.ts), the
 * operator's credentials file (src/adapters/registry/credentials.ts), and the
 * scan cache (src/adapters/scan-cache).
 */
import type { ImageRepository } from "../../core/types.js";
import type { ImageInfo } from "../../core/release/info.js";
import type { ScanOutcome } from "../../core/plan.js";

export interface RegistryCredentials {
  username?: string;
  password?: string;
  identityToken?: string;
  registryToken?: string;
}

/** `connection` is the registry adapter's (certificates, proxy); opaque here. */
export interface ScanCallOptions {
  insecure?: boolean;
  credentials?: RegistryCredentials;
  timeoutMs?: number;
  connection?: unknown;
  /** private hosts this account's scans may call, on top of REGISTRY_ALLOWED_HOSTS */
  allowedHosts?: string[];
}

export interface RegistryClientPort {
  listTags(image: string, opts?: ScanCallOptions): Promise<{ tags: string[]; droppedInvalid: number; truncated: boolean }>;
  getDigest(image: string, tag: string, opts?: ScanCallOptions): Promise<string>;
  /** Manifest, config and annotations of image:tag; `requests` counts the HTTP exchanges. */
  getImageInfo?(image: string, tag: string, opts?: ScanCallOptions): Promise<ImageInfo & { requests?: number }>;
}

/**
 * spec.provider, spec.certSecretRef and spec.proxySecretRef of an
 * ImageRepository owned by `account` (adapters/registry/access.ts): a Problem,
 * or the scan identity and a loader of the client options (cloud tokens are
 * fetched only when a scan really runs).
 */
export interface RegistryAccessPort {
  prepare(
    account: string | undefined,
    repo: ImageRepository,
  ):
    | { ok: false; code: string; error: string }
    | { ok: true; identity?: string; suffix: string; load(): Promise<{ credentials?: RegistryCredentials; connection?: unknown }> };
}

/** One scan of an image's tags, as the scan cache keeps it. */
export interface ScanRecord {
  tags: string[];
  /** ISO time of the scan. */
  scannedAt: string;
  droppedInvalid: number;
  truncated: boolean;
}

export interface ScanCache {
  /** The cached record, or null when absent or expired. */
  get(key: string): Promise<ScanRecord | null>;
  /**
   * The cached record when fresh; otherwise runs `scan` once for all concurrent
   * callers of the same key (single-flight) and caches the result for `ttlMs`.
   * `force` skips a cached value but still joins a scan already in progress.
   * A failed scan is not cached; every waiter receives its error or scans again.
   */
  getOrScan(key: string, ttlMs: number, scan: () => Promise<ScanRecord>, opts?: { force?: boolean }): Promise<{ record: ScanRecord; fresh: boolean }>;
}

export interface CredentialsPort {
  /** credentials for `secretRef` of an ImageRepository owned by `account`, or undefined */
  forImage(account: string, secretRef: string, image: string): RegistryCredentials | undefined;
  /** private hosts the account may scan (per account, on top of REGISTRY_ALLOWED_HOSTS) */
  allowedHosts?(account: string): string[];
}

/** Where the CLI's plan reads tags, digests and image infos (src/cli/tag-sources.ts: the registry, or a file of tags). */
export interface TagSource {
  /** Tags of an ImageRepository (as listed; the core applies the exclusion list and ordering). */
  scan(repo: ImageRepository): Promise<ScanOutcome>;
  /** Digest of image:tag, for policies with digestReflectionPolicy; undefined when unavailable. */
  digest?(repo: ImageRepository, tag: string): Promise<string | undefined>;
  /** Manifest and config of image:tag (age, source, revision); without it there is no minimum release age. */
  imageInfo?(repo: ImageRepository, tag: string): Promise<ImageInfo | undefined>;
}
