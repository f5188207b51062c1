/** `createRegistryClient`: the OCI distribution client behind the RegistryClient port. */
import type { Logger } from "../../app/ports.js";
import type { RegistryCredentials } from "./credentials.js";
import { endpointFor } from "./endpoint.js";
import { HttpTransport } from "./http.js";
import type { ImageInfo } from "../../core/release/info.js";
import { fetchImageInfo } from "./image-info.js";
import { fetchDigest } from "./manifests.js";
import { HostLimiter, defaultSleep } from "./retry.js";
import { RegistrySession, type SessionShared } from "./session.js";
import { parseAllowedHosts, type LookupFunction } from "./ssrf.js";
import { listAllTags } from "./tags.js";

export interface ListTagsOptions {
  /** spec.insecure: use plain HTTP. */
  insecure?: boolean;
  credentials?: RegistryCredentials;
  /** Budget for the whole operation (spec.timeout, default spec.interval). Default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ListTagsResult {
  /** Valid tags in registry order (not excluded, not sorted). */
  tags: string[];
  /** Entries dropped because they are not valid OCI tags. */
  droppedInvalid: number;
  /** True when a page or tag cap stopped the listing early. */
  truncated: boolean;
  /** HTTP exchanges made, including token requests. */
  requests: number;
  pages: number;
}

export interface RegistryClient {
  /** Lists every tag of `image` (spec.image as written). */
  listTags(image: string, opts?: ListTagsOptions): Promise<ListTagsResult>;
  /** Manifest digest (`sha256:…`) of `image:tag`. */
  getDigest(image: string, tag: string, opts?: ListTagsOptions): Promise<string>;
  /** Manifest, annotations and config of `image:tag` (cached by digest); `requests` counts the HTTP exchanges. */
  getImageInfo(image: string, tag: string, opts?: ListTagsOptions): Promise<ImageInfo & { requests: number }>;
}

export interface RegistryClientOptions {
  /** "server" refuses non-public addresses unless allow-listed; "cli" allows them. */
  mode: "cli" | "server";
  /** `host[:port]` entries that may be private (REGISTRY_ALLOWED_HOSTS). */
  allowedHosts?: string[];
  /** `n` sent on tag listing. Default 1000 (ECR's maximum). */
  pageSize?: number;
  /** Default 100. */
  maxPages?: number;
  /** Default 100,000 tags (about 13 MB of tag strings at worst); beyond it the result is truncated. */
  maxTags?: number;
  /** Default 4. */
  maxConcurrentPerHost?: number;
  /** Retries after the first attempt on 429, 5xx and network errors. Default 4. */
  retries?: number;
  /** Default 30 s; each request also stops at the operation deadline. */
  requestTimeoutMs?: number;
  /** Cap on one response body. Default 32 MiB. */
  maxResponseBytes?: number;
  /** A Retry-After longer than this fails with registry.rate-limited instead of waiting. Default 60 s. */
  maxRetryAfterMs?: number;
  /** First backoff step; doubles each retry, with jitter. Default 500 ms, capped at 30 s. */
  backoffBaseMs?: number;
  userAgent?: string;
  sleep?: (ms: number) => Promise<void>;
  /** DNS lookup used for every connection (tests inject one); the SSRF check applies to its answers. */
  lookup?: LookupFunction;
  logger?: Logger;
  now?: () => number;
  /** Image infos kept by digest. Default 10,000 (a few MB). */
  maxImageInfo?: number;
}

/** A Map that forgets its oldest entry past `max`. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(k: K, v: V): this {
    super.delete(k);
    super.set(k, v);
    if (this.size > this.max) this.delete(this.keys().next().value as K);
    return this;
  }
}

export const DEFAULT_SCAN_TIMEOUT_MS = 5 * 60_000;

export function createRegistryClient(opts: RegistryClientOptions): RegistryClient {
  const shared: SessionShared = {
    transport: new HttpTransport({
      policy: { mode: opts.mode, allowed: parseAllowedHosts(opts.allowedHosts) },
      lookup: opts.lookup,
      userAgent: opts.userAgent ?? "flux-image-bot",
    }),
    limiter: new HostLimiter(Math.max(1, opts.maxConcurrentPerHost ?? 4)),
    hints: new Map(),
    tokens: new Map(),
    sleep: opts.sleep ?? defaultSleep,
    now: opts.now ?? Date.now,
    retries: Math.max(0, opts.retries ?? 4),
    requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 60_000,
    backoffBaseMs: opts.backoffBaseMs ?? 500,
    backoffCapMs: 30_000,
    logger: opts.logger,
  };
  const limits = {
    pageSize: opts.pageSize ?? 1000,
    maxPages: opts.maxPages ?? 100,
    maxTags: opts.maxTags ?? 100_000,
    maxResponseBytes: opts.maxResponseBytes ?? 32 * 1024 * 1024,
  };

  // Image info by manifest digest: immutable, so kept until the bound pushes the oldest out.
  const infoCache = new BoundedMap<string, ImageInfo>(opts.maxImageInfo ?? 10_000);

  async function withSession<T>(image: string, o: ListTagsOptions, fn: (s: RegistrySession, ep: ReturnType<typeof endpointFor>) => Promise<T>): Promise<T> {
    const ep = endpointFor(image, o.insecure ?? false);
    const timeoutMs = Math.max(1000, o.timeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    timer.unref?.();
    const onAbort = (): void => controller.abort();
    o.signal?.addEventListener("abort", onAbort, { once: true });
    if (o.signal?.aborted) controller.abort();
    try {
      const session = new RegistrySession(shared, ep, o.credentials, shared.now() + timeoutMs, controller.signal);
      return await fn(session, ep);
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
    }
  }

  return {
    listTags: (image, o = {}) =>
      withSession(image, o, async (session, ep) => {
        const r = await listAllTags(session, ep, limits);
        if (r.droppedInvalid > 0) opts.logger?.warn({ image: ep.name.canonical, dropped: r.droppedInvalid }, "registry returned invalid tags; dropped");
        if (r.truncated) opts.logger?.warn({ image: ep.name.canonical, pages: r.pages, tags: r.tags.length }, "tag listing truncated by the page or tag cap");
        return { ...r, requests: session.requests };
      }),
    getDigest: (image, tag, o = {}) => withSession(image, o, (session, ep) => fetchDigest(session, ep, tag)),
    getImageInfo: (image, tag, o = {}) => withSession(image, o, async (session, ep) => ({ ...(await fetchImageInfo(session, ep, tag, infoCache)), requests: session.requests })),
  };
}
