/**
 * `spec.provider: aws | gcp | azure`: registry credentials from the cloud
 * identity of the process (the operator's on the server, the caller's in the
 * CLI), as Flux's fluxcd/pkg/auth providers make them. Each provider serves
 * only its own registry hosts (`auth/aws`, `auth/gcp`, `auth/azure`
 * `ParseArtifactRepository`); a provider asked for another host is refused
 * before any token is fetched, so a token never goes to a registry it is not for.
 *
 * Tokens are cached per provider key (ECR region, ACR registry, one for GCP)
 * until shortly before they expire, one fetch at a time per key.
 */
import { RegistryAuthError, RegistryError, RegistryTimeoutError } from "../errors.js";
import type { RegistryCredentials } from "../../../app/ports/index.js";
import { awsProvider } from "./aws.js";
import { azureProvider } from "./azure.js";
import { gcpProvider } from "./gcp.js";
import type { CloudProvider, CloudProviderName, FetchContext, ProviderToken } from "./types.js";

export type { CloudProvider, CloudProviderName, FetchContext, ProviderToken } from "./types.js";
export const CLOUD_PROVIDERS: readonly CloudProviderName[] = ["aws", "gcp", "azure"];

export function isCloudProvider(p: string | undefined): p is CloudProviderName {
  return p === "aws" || p === "gcp" || p === "azure";
}

export interface ProviderSet {
  get(name: CloudProviderName): CloudProvider;
}

export function defaultProviders(): ProviderSet {
  const made = new Map<CloudProviderName, CloudProvider>();
  const factories: Record<CloudProviderName, () => CloudProvider> = { aws: awsProvider, gcp: gcpProvider, azure: azureProvider };
  return {
    get(name) {
      let p = made.get(name);
      if (!p) {
        p = factories[name]();
        made.set(name, p);
      }
      return p;
    },
  };
}

/** Refresh this long before expiry (at most half the token's life). */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** A token fetch (the SDK's retries included) is given up after this long. */
export const PROVIDER_TIMEOUT_MS = 30_000;
const MAX_CACHED = 1000;

interface Entry {
  token?: ProviderToken;
  /** Epoch ms after which the token is fetched again. */
  refreshAt?: number;
  pending?: Promise<ProviderToken>;
}

export class ProviderTokens {
  private readonly cache = new Map<string, Entry>();
  /** Token fetches made (tests and metrics). */
  fetches = 0;

  constructor(
    private readonly providers: ProviderSet,
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = PROVIDER_TIMEOUT_MS,
  ) {}

  /** Why `provider` cannot be used for `registry`, or undefined when it serves it. */
  refusal(name: CloudProviderName, registry: string): string | undefined {
    const p = this.providers.get(name);
    if (p.keyFor(registry) !== undefined) return undefined;
    return `spec.provider ${name} does not serve the registry ${registry} (it serves ${p.hostsHint}); fix spec.image or set spec.provider: generic with spec.secretRef`;
  }

  /** Basic credentials for `registry`, from the cache while they have some life left. */
  async credentials(name: CloudProviderName, registry: string, ctx: FetchContext): Promise<RegistryCredentials> {
    const p = this.providers.get(name);
    const key = p.keyFor(registry);
    if (key === undefined) throw new RegistryAuthError(this.refusal(name, registry)!, { subject: registry });
    const cacheKey = `${name}|${key}`;
    const entry = this.cache.get(cacheKey) ?? {};
    if (entry.token && this.now() < (entry.refreshAt ?? 0)) return { username: entry.token.username, password: entry.token.password };
    if (!entry.pending) {
      entry.pending = this.fetch(p, registry, ctx);
      this.remember(cacheKey, entry);
    }
    try {
      const token = await entry.pending;
      const now = this.now();
      entry.token = token;
      entry.refreshAt = token.expiresAt - Math.min(REFRESH_MARGIN_MS, Math.max(0, token.expiresAt - now) / 2);
      return { username: token.username, password: token.password };
    } catch (e) {
      if (this.cache.get(cacheKey) === entry) this.cache.delete(cacheKey);
      throw e;
    } finally {
      entry.pending = undefined;
    }
  }

  private remember(key: string, entry: Entry): void {
    this.cache.delete(key);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, entry);
  }

  private async fetch(p: CloudProvider, registry: string, ctx: FetchContext): Promise<ProviderToken> {
    this.fetches++;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new RegistryTimeoutError(
            `${p.name} did not issue registry credentials for ${registry} within ${this.timeoutMs} ms (${p.identityHint}); retry later`,
            { subject: registry },
          ),
        );
      }, this.timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([p.fetch(registry, { ...ctx, signal: controller.signal }), timeout]);
    } catch (e) {
      if (e instanceof RegistryError) throw e;
      throw new RegistryAuthError(`could not get ${p.name} registry credentials for ${registry} with ${p.identityHint}: ${sdkMessage(e)}`, {
        subject: registry,
        retryable: true,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The SDK's message, bounded and on one line (SDK errors name the failing call, never a secret). */
function sdkMessage(e: unknown): string {
  const name = (e as { name?: string }).name;
  const msg = String((e as Error)?.message ?? e)
    .replace(/\s+/g, " ")
    .slice(0, 300);
  return name && name !== "Error" && !msg.startsWith(name) ? `${name}: ${msg}` : msg;
}
