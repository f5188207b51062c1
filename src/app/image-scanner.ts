/**
 * Server-side scanning of ImageRepositories: one registry scan per image and
 * credential identity per interval, shared by every repository and
 * installation that watches it (through the ScanCache), with credentials
 * looked up under the installation's own account only.
 */
import { createHash } from "node:crypto";
import { durationMs } from "../core/duration.js";
import { parseImageRepositoryImage } from "../core/image-ref.js";
import { LruCache } from "../core/lru-cache.js";
import { applyExclusionList } from "../core/policy/index.js";
import type { ScanOutcome } from "../core/plan.js";
import type { ImageRepository } from "../core/types.js";
import type { ImageInfo } from "../core/release/info.js";
import type { ScanState, Metrics } from "./ports/index.js";
import type { CredentialsPort, RegistryAccessPort, RegistryClientPort, RegistryCredentials, ScanCache } from "./ports/index.js";

/** Image infos remembered per image, credential identity and tag for one scan interval (bounded). */
const MAX_INFO_ENTRIES = 5_000;
/** Longest one image read may take (manifest, platform manifest, config). */
const IMAGE_INFO_TIMEOUT_MS = 20_000;

export const DEFAULT_MAX_SCAN_MS = 5 * 60_000;

export interface ImageScannerOptions {
  client: RegistryClientPort;
  cache: ScanCache;
  credentials?: CredentialsPort;
  access?: RegistryAccessPort;
  /** floor for spec.interval, so a repository cannot make the bot hammer a registry */
  minIntervalMs: number;
  /** ceiling for a scan's wall time whatever spec.timeout or spec.interval say (REGISTRY_SCAN_TIMEOUT_SECONDS); default 5 minutes */
  maxScanMs?: number;
  cacheKey: (canonical: string, identity: string) => string;
  identity: (creds?: RegistryCredentials) => string;
  metrics?: Metrics;
  now?: () => Date;
}

export interface ScanDetail {
  outcome: ScanOutcome;
  fresh: boolean;
  canonical?: string;
  droppedInvalid?: number;
  truncated?: boolean;
}

/** A scan that ran into its deadline is not tried again before this (or the interval, if shorter), except when forced. */
const TIMEOUT_MEMORY_MS = 3_600_000;

export class ImageScanner {
  /**
   * Scans that hit their deadline, by cache key, with when they may run again. A hanging registry must not
   * cost every reconcile of every repository that watches it a full scan timeout.
   */
  private readonly timedOut = new LruCache<{ until: number; outcome: ScanOutcome }>(10_000);
  private readonly infos = new Map<string, { at: number; info?: ImageInfo; error?: Error }>();

  constructor(private readonly opts: ImageScannerOptions) {}

  intervalMs(repo: ImageRepository): number {
    return Math.max(this.opts.minIntervalMs, durationMs(repo.spec.interval) ?? 0);
  }

  /** Flux's `spec.timeout ?? spec.interval`, within [1 s, maxScanMs]: `99999m` must not hold a worker slot for days. */
  timeoutMs(repo: ImageRepository): number {
    const wanted = durationMs(repo.spec.timeout ?? repo.spec.interval) ?? 60_000;
    return Math.min(this.opts.maxScanMs ?? DEFAULT_MAX_SCAN_MS, Math.max(1000, wanted));
  }

  private credentialsFor(account: string | undefined, repo: ImageRepository): { creds?: RegistryCredentials; error?: string } {
    const secret = repo.spec.secretRef?.name;
    if (!secret) return {};
    const creds = account ? this.opts.credentials?.forImage(account, secret, repo.spec.image) : undefined;
    if (!creds)
      return {
        error: `no registry credentials named "${secret}" are configured for this account and ${repo.spec.image}; ask the bot's operator to add them to the credentials file, or remove spec.secretRef for a public image`,
      };
    return { creds };
  }

  private allowedHosts(account: string | undefined): string[] {
    return account ? (this.opts.credentials?.allowedHosts?.(account) ?? []) : [];
  }

  async scan(account: string | undefined, repo: ImageRepository, force = false): Promise<ScanDetail> {
    const parsed = parseImageRepositoryImage(repo.spec.image, { insecure: repo.spec.insecure });
    if (!parsed.ok) return { outcome: { ok: false, code: "repository.invalid-image", error: parsed.error }, fresh: false };
    const { creds, error } = this.credentialsFor(account, repo);
    if (error) return { outcome: { ok: false, code: "registry.no-credentials", error }, fresh: false, canonical: parsed.name.canonical };
    const access = this.access(account, repo);
    if (!access.ok) return { outcome: { ok: false, code: access.code, error: access.error }, fresh: false, canonical: parsed.name.canonical };
    const allowedHosts = this.allowedHosts(account);
    const identity = this.identityOf(account, repo, creds, access, allowedHosts);
    const key = this.opts.cacheKey(parsed.name.canonical, identity);
    const started = Date.now();
    const registry = parsed.name.registry;
    const recent = force ? undefined : this.timedOut.get(key);
    if (recent && recent.until > started) return { outcome: recent.outcome, fresh: false, canonical: parsed.name.canonical };
    try {
      const { record, fresh } = await this.opts.cache.getOrScan(
        key,
        this.intervalMs(repo),
        async () => {
          const res = await this.opts.client.listTags(repo.spec.image, {
            insecure: repo.spec.insecure,
            credentials: creds,
            ...(await access.load()),
            timeoutMs: this.timeoutMs(repo),
            allowedHosts,
          });
          return { tags: res.tags, scannedAt: (this.opts.now?.() ?? new Date()).toISOString(), droppedInvalid: res.droppedInvalid, truncated: res.truncated };
        },
        { force },
      );
      this.timedOut.delete(key);
      this.opts.metrics?.scan({ registry, result: fresh ? "scanned" : "cached", durationMs: Date.now() - started, tags: fresh ? record.tags.length : 0 });
      return {
        outcome: { ok: true, tags: record.tags, scannedAt: record.scannedAt },
        fresh,
        canonical: parsed.name.canonical,
        droppedInvalid: record.droppedInvalid,
        truncated: record.truncated,
      };
    } catch (e) {
      this.opts.metrics?.scan({ registry, result: "failed", durationMs: Date.now() - started, tags: 0 });
      const outcome: ScanOutcome = { ok: false, code: (e as { code?: string }).code ?? "registry.error", error: (e as Error).message };
      if (outcome.code === "registry.timeout") this.timedOut.set(key, { until: Date.now() + Math.min(this.intervalMs(repo), TIMEOUT_MEMORY_MS), outcome });
      return { outcome, fresh: true, canonical: parsed.name.canonical };
    }
  }

  /**
   * What image:tag says about itself (manifest, config, annotations), or
   * undefined when the client cannot read it. Read at most once per tag per
   * scan interval, like the tag list; the registry client caches by digest.
   */
  async imageInfo(account: string | undefined, repo: ImageRepository, tag: string): Promise<ImageInfo | undefined> {
    if (!this.opts.client.getImageInfo) return undefined;
    const { creds, error } = this.credentialsFor(account, repo);
    if (error) throw new Error(error);
    // the same access as the tag listing: provider tokens, certificates and proxy, the account's private hosts
    const access = this.access(account, repo);
    if (!access.ok) throw new Error(access.error);
    const allowedHosts = this.allowedHosts(account);
    const identity = this.identityOf(account, repo, creds, access, allowedHosts);
    const key = `${repo.spec.image}|${identity}|${tag}`;
    const now = (this.opts.now?.() ?? new Date()).getTime();
    const hit = this.infos.get(key);
    if (hit && now - hit.at < this.intervalMs(repo)) {
      if (hit.error) throw hit.error;
      return hit.info;
    }
    const remember = (entry: { info?: ImageInfo; error?: Error }): void => {
      this.infos.delete(key);
      this.infos.set(key, { at: now, ...entry });
      if (this.infos.size > MAX_INFO_ENTRIES) this.infos.delete(this.infos.keys().next().value as string);
    };
    try {
      // A tighter bound than the tag listing's: these reads only inform, and a run reads several.
      const { requests: _requests, ...info } = await this.opts.client.getImageInfo(repo.spec.image, tag, {
        insecure: repo.spec.insecure,
        credentials: creds,
        ...(await access.load()),
        timeoutMs: Math.min(this.timeoutMs(repo), IMAGE_INFO_TIMEOUT_MS),
        allowedHosts,
      });
      remember({ info });
      return info;
    } catch (e) {
      // A registry that does not serve the manifest is not asked again before the next interval.
      remember({ error: e as Error });
      throw e;
    }
  }

  async digest(account: string | undefined, repo: ImageRepository, tag: string): Promise<string | undefined> {
    const { creds, error } = this.credentialsFor(account, repo);
    if (error) throw new Error(error);
    const access = this.access(account, repo);
    if (!access.ok) throw new Error(access.error);
    return this.opts.client.getDigest(repo.spec.image, tag, {
      insecure: repo.spec.insecure,
      credentials: creds,
      ...(await access.load()),
      timeoutMs: this.timeoutMs(repo),
      allowedHosts: this.allowedHosts(account),
    });
  }

  /**
   * Who a scan or image read is made as, for its cache keys: the credentials or cloud provider, the
   * certificate and proxy settings; plain HTTP is apart (an https answer must not stand for an http one),
   * and so is an account with its own allowed hosts (what it may reach, others may not).
   */
  private identityOf(
    account: string | undefined,
    repo: ImageRepository,
    creds: RegistryCredentials | undefined,
    access: { identity?: string; suffix: string },
    allowedHosts: readonly string[],
  ): string {
    const accountPart = allowedHosts.length
      ? `+account-${createHash("sha256")
          .update(account ?? "")
          .digest("hex")
          .slice(0, 16)}`
      : "";
    return `${access.identity ?? this.opts.identity(creds)}${access.suffix}${repo.spec.insecure ? "+insecure" : ""}${accountPart}`;
  }

  private access(account: string | undefined, repo: ImageRepository): ReturnType<RegistryAccessPort["prepare"]> {
    return this.opts.access?.prepare(account, repo) ?? { ok: true, suffix: "", load: async () => ({}) };
  }
}

/** Checksum of a tag list, like Flux's revision: a change triggers reconciles. */
export function tagsRevision(tags: readonly string[]): string {
  return `sha256:${createHash("sha256").update(tags.join("\n")).digest("hex")}`;
}

/** What the dashboard shows of a scan: Flux's lastScanResult. */
export function scanState(image: string, exclusionList: string[] | undefined, outcome: ScanOutcome, canonical: string | undefined, now: string): ScanState {
  if (!outcome.ok) return { image, canonical, attemptedAt: now, error: { code: outcome.code, message: outcome.error } };
  const excluded = applyExclusionList(outcome.tags, exclusionList);
  const tags = excluded.ok ? excluded.tags : [];
  return {
    image,
    canonical,
    scannedAt: outcome.scannedAt,
    attemptedAt: now,
    tagCount: tags.length,
    latestTags: tags.slice(0, 10),
    revision: tagsRevision(tags),
  };
}
