/** `createRegistryClient`: the OCI distribution client behind the RegistryClient port. */
import { LruCache } from "../../core/lru-cache.js";
import type { Token } from "./auth.js";
import type { RegistryClientPort, RegistryCredentials } from "../../app/ports/index.js";
import { endpointFor } from "./endpoint.js";
import { HttpTransport } from "./http.js";
import type { ImageInfo } from "../../core/release/info.js";
import { fetchImageInfo } from "./image-info.js";
import { fetchDigest } from "./manifests.js";
import { HostLimiter, defaultSleep } from "./retry.js";
import { RegistrySession, type SessionShared } from "./session.js";
import { parseAllowedHosts, type LookupFunction } from "./ssrf.js";
import { listAllTags } from "./tags.js";
import type { RegistryConnection } from "./tls.js";
import type { Logger } from "../../app/ports/index.js";

export interface ListTagsOptions {
  /** spec.insecure: use plain HTTP. */
  insecure?: boolean;
  credentials?: RegistryCredentials;
  /** `host[:port]` this call may reach although private, on top of the client's allowedHosts (an account's own, from the credentials file). */
  allowedHosts?: string[];
  /** Budget for the whole operation (spec.timeout, default spec.interval). Default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** spec.certSecretRef / spec.proxySecretRef: extra CAs, client certificate, proxy. */
  connection?: RegistryConnection;
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

/** The RegistryClientPort with this adapter's options (AbortSignal, its RegistryConnection) and counters. */
export interface RegistryClient extends RegistryClientPort {
  /** Lists every tag of `image` (spec.image as written). */
  listTags(image: string, opts?: ListTagsOptions): Promise<ListTagsResult>;
  /** Manifest digest (`sha256:…`) of `image:tag`. */
  getDigest(image: string, tag: string, opts?: ListTagsOptions): Promise<string>;
  /** What the process-wide token cache holds (its weight is bounded by tokenCacheBytes). */
  cacheStats?(): { tokens: number; tokenBytes: number };
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
  /** Requests in flight across all hosts of the process. Default 16. */
  maxConcurrent?: number;
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
  /** REGISTRY_CA_FILE's certificates, trusted in addition to the system roots. */
  operatorCa?: string[];
  /** Tests only: connect to another local port for `host:port` (curl's --connect-to). */
  portOverride?: (host: string, port: number) => number | undefined;
  logger?: Logger;
  now?: () => number;
  /** Bytes of bearer tokens kept per process (LRU, expired first). Default 4 MiB. */
  tokenCacheBytes?: number;
  /** Token realm hosts besides the registry's own that may receive its credentials (REGISTRY_CREDENTIAL_HOSTS). */
  credentialHosts?: string[];
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

export const DEFAULT_TOKEN_CACHE_BYTES = 4 * 1024 * 1024;

export const DEFAULT_SCAN_TIMEOUT_MS = 5 * 60_000;
/** The largest delay setTimeout honours (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function createRegistryClient(opts: RegistryClientOptions): RegistryClient {
  const transport = (allowed: string[] | undefined): HttpTransport =>
    new HttpTransport({
      policy: { mode: opts.mode, allowed: parseAllowedHosts(allowed) },
      lookup: opts.lookup,
      userAgent: opts.userAgent ?? "flux-image-bot",
      operatorCa: opts.operatorCa,
      portOverride: opts.portOverride,
    });
  const shared: SessionShared = {
    transport: transport(opts.allowedHosts),
    limiter: new HostLimiter(Math.max(1, opts.maxConcurrentPerHost ?? 4)),
    processLimiter: new HostLimiter(Math.max(1, opts.maxConcurrent ?? 16)),
    hints: new LruCache((opts.tokenCacheBytes ?? DEFAULT_TOKEN_CACHE_BYTES) / 4, (h, key) => key.length + JSON.stringify(h).length + 100),
    tokens: new LruCache<Token>(
      opts.tokenCacheBytes ?? DEFAULT_TOKEN_CACHE_BYTES,
      (t, key) => key.length + t.token.length + 100,
      (t) => t.expiresAt <= (opts.now ?? Date.now)(),
    ),
    pendingTokens: new Map(),
    credentialHosts: opts.credentialHosts ?? [],
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

  // one transport per extra allow-list (one per account that has one in the credentials file)
  const extraTransports = new Map<string, HttpTransport>();
  const sharedFor = (extra: string[] | undefined): SessionShared => {
    if (!extra?.length) return shared;
    const key = [...new Set(extra)].sort().join(",");
    let t = extraTransports.get(key);
    if (!t) {
      if (extraTransports.size >= 1000) extraTransports.delete(extraTransports.keys().next().value as string);
      t = transport([...(opts.allowedHosts ?? []), ...extra]);
      extraTransports.set(key, t);
    }
    return { ...shared, transport: t };
  };
  // Image info by manifest digest: immutable, so kept until the bound pushes the oldest out.
  const infoCache = new BoundedMap<string, ImageInfo>(opts.maxImageInfo ?? 10_000);

  async function withSession<T>(image: string, o: ListTagsOptions, fn: (s: RegistrySession, ep: ReturnType<typeof endpointFor>) => Promise<T>): Promise<T> {
    const ep = endpointFor(image, o.insecure ?? false);
    // setTimeout fires at once past 2^31-1 ms, so a huge spec.timeout must not reach it unclamped
    const timeoutMs = Math.min(MAX_TIMER_MS, Math.max(1000, o.timeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    timer.unref?.();
    const onAbort = (): void => controller.abort();
    o.signal?.addEventListener("abort", onAbort, { once: true });
    if (o.signal?.aborted) controller.abort();
    try {
      const base = sharedFor(o.allowedHosts);
      const transport = base.transport.withConnection(o.connection);
      const session = new RegistrySession(
        transport === base.transport ? base : { ...base, transport },
        ep,
        o.credentials,
        shared.now() + timeoutMs,
        controller.signal,
      );
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
    cacheStats: () => ({ tokens: shared.tokens.size, tokenBytes: shared.tokens.weight }),
    getImageInfo: (image, tag, o = {}) =>
      withSession(image, o, async (session, ep) => ({ ...(await fetchImageInfo(session, ep, tag, infoCache)), requests: session.requests })),
  };
}
