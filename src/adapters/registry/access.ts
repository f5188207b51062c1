/**
 * What an ImageRepository may use to reach its registry besides `secretRef`:
 * `spec.provider` (the cloud identity of the process), `spec.certSecretRef`
 * and `spec.proxySecretRef` (secrets of the installation's account in the
 * operator's credentials file, isolated like secretRef).
 *
 * Server: the cloud identity is the operator's, so an account may use
 * `provider: aws|gcp|azure` only when the operator allows it, in
 * REGISTRY_PROVIDER_ACCOUNTS (`acme` for every provider, `acme:aws` for one) or
 * in the credentials file (`"providers": {"acme": ["aws"]}`, or
 * `{"acme": {"aws": ["<registry host>", ...]}}` to name the registries), and
 * only for that provider's registry hosts. CLI: the caller's own cloud
 * identity, host checks only; the CLI has no secrets file, so certSecretRef and
 * proxySecretRef are not read there (REGISTRY_CA_FILE is).
 *
 * As in Flux's image-reflector-controller, a `secretRef` wins over `provider`.
 */
import { parseAccountRef } from "../../core/account.js";
import { parseImageRepositoryImage } from "../../core/image-ref.js";
import type { ImageRepository } from "../../core/types.js";
import type { ServerCredentials } from "./credentials.js";
import type { RegistryAccessPort, RegistryCredentials } from "../../app/ports/index.js";
import { RegistryAuthError, RegistryInvalidResponseError } from "./errors.js";
import { HttpTransport } from "./http.js";
import { defaultProviders, isCloudProvider, ProviderTokens, type CloudProviderName, type ProviderSet } from "./providers/index.js";
import { proxyFromSecret } from "./proxy.js";
import { parseAllowedHosts, type LookupFunction } from "./ssrf.js";
import { connectionIdentity, tlsFromSecret, type RegistryConnection } from "./tls.js";

export interface AccessOptions {
  credentials?: RegistryCredentials;
  connection?: RegistryConnection;
}

export type AccessPlan =
  | { ok: false; code: string; error: string }
  | {
      ok: true;
      /** Scan-cache identity of the credentials when a provider supplies them. */
      identity?: string;
      /** Appended to the identity: the connection's (certificates, proxy). */
      suffix: string;
      /** Options for the registry client; fetches a provider token when needed. */
      load(): Promise<AccessOptions>;
    };

export interface RegistryAccessDeps {
  mode: "server" | "cli";
  credentials?: ServerCredentials;
  /** REGISTRY_PROVIDER_ACCOUNTS entries: `account` or `account:provider`. */
  providerAccounts?: string[];
  tokens: ProviderTokens;
  /** Transport for the ACR token exchange (same SSRF policy and CAs as the registry client). */
  transport: HttpTransport;
  requestTimeoutMs?: number;
}

const MAX_EXCHANGE_BODY = 1024 * 1024;

export class RegistryAccess implements RegistryAccessPort {
  constructor(private readonly deps: RegistryAccessDeps) {}

  prepare(account: string | undefined, repo: ImageRepository): AccessPlan {
    const conn = this.connection(account, repo);
    if ("error" in conn) return { ok: false, code: conn.code, error: conn.error };
    const connection = conn.connection;
    const suffix = connection ? `+${connectionIdentity(connection)}` : "";
    const provider = repo.spec.provider;
    if (repo.spec.secretRef?.name || !isCloudProvider(provider)) return { ok: true, suffix, load: async () => ({ connection }) };
    const parsed = parseImageRepositoryImage(repo.spec.image, { insecure: repo.spec.insecure });
    if (!parsed.ok) return { ok: false, code: "repository.invalid-image", error: parsed.error };
    const registry = parsed.name.registry;
    const refusal = this.deps.tokens.refusal(provider, registry) ?? this.notAllowed(account, provider, registry);
    if (refusal) return { ok: false, code: "registry.provider-not-allowed", error: refusal };
    return {
      ok: true,
      identity: `provider-${provider}`,
      suffix,
      load: async () => ({ connection, credentials: await this.deps.tokens.credentials(provider, registry, { exchange: this.exchanger(connection) }) }),
    };
  }

  /** Why `account` may not use the operator's identity for `provider` at `registry`, or undefined. */
  private notAllowed(account: string | undefined, provider: CloudProviderName, registry: string): string | undefined {
    if (this.deps.mode === "cli") return undefined;
    const name = parseAccountRef(account).login ?? parseAccountRef(account).id ?? "<account>";
    const ask = `ask the bot's operator to allow it (REGISTRY_PROVIDER_ACCOUNTS=${name}:${provider}, or "providers": {"${name}": ["${provider}"]} in the credentials file), or use spec.secretRef`;
    const base = `spec.provider ${provider} uses the bot operator's cloud identity`;
    if (!account) return `${base}, which this repository's account may not use; ${ask}`;
    const { id, login } = parseAccountRef(account);
    const names = [id, login?.toLowerCase()].filter((x): x is string => !!x);
    const env = (this.deps.providerAccounts ?? []).map((e) => e.trim().toLowerCase());
    if (names.some((a) => env.includes(a) || env.includes(`${a}:${provider}`))) return undefined;
    const hosts = allowedHosts(this.deps.credentials?.providers(account), provider);
    if (hosts === "any") return undefined;
    if (hosts && hosts.length > 0) {
      if (hosts.includes(registry.toLowerCase())) return undefined;
      return `${base}, which the account "${parseAccountRef(account).login ?? account}" may use only for ${hosts.join(", ")}, not ${registry}; ask the bot's operator to add the registry to "providers" in the credentials file`;
    }
    return `${base}, which the account "${parseAccountRef(account).login ?? account}" may not use; ${ask}`;
  }

  private connection(account: string | undefined, repo: ImageRepository): { connection?: RegistryConnection } | { code: string; error: string } {
    const certName = repo.spec.certSecretRef?.name;
    const proxyName = repo.spec.proxySecretRef?.name;
    if (this.deps.mode === "cli" || (!certName && !proxyName)) return {};
    const connection: RegistryConnection = {};
    for (const [field, name] of [
      ["certSecretRef", certName],
      ["proxySecretRef", proxyName],
    ] as const) {
      if (!name) continue;
      const secret = account ? this.deps.credentials?.secret(account, name) : undefined;
      if (secret === undefined) {
        return {
          code: "registry.no-credentials",
          error: `no secret named "${name}" (spec.${field}) is configured for this account; ask the bot's operator to add it to the credentials file, or remove spec.${field}`,
        };
      }
      try {
        if (field === "certSecretRef") Object.assign(connection, tlsFromSecret(secret, name));
        else connection.proxy = proxyFromSecret(secret, name);
      } catch (e) {
        return { code: "registry.invalid-secret", error: `spec.${field}: ${(e as Error).message}; ask the bot's operator to fix it in the credentials file` };
      }
    }
    return { connection };
  }

  /** The ACR exchange over the registry transport (SSRF guard, certificates and proxy apply). */
  private exchanger(connection: RegistryConnection | undefined) {
    return async (registry: string, form: Record<string, string>, signal?: AbortSignal): Promise<unknown> => {
      const res = await this.deps.transport.withConnection(connection).request({
        method: "POST",
        url: new URL(`https://${registry}/oauth2/exchange`),
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams(form).toString(),
        maxBodyBytes: MAX_EXCHANGE_BODY,
        timeoutMs: this.deps.requestTimeoutMs ?? 30_000,
        signal,
        allowHttp: false,
      });
      if (res.status !== 200) {
        throw new RegistryAuthError(
          `${registry} refused to exchange the Entra ID token for a registry token (HTTP ${res.status}); give the operator's identity the AcrPull role on the registry`,
          {
            subject: registry,
            status: res.status,
          },
        );
      }
      try {
        return JSON.parse(res.body.toString("utf8"));
      } catch {
        throw new RegistryInvalidResponseError(`${registry}/oauth2/exchange answered with something that is not JSON`, { subject: registry });
      }
    };
  }
}

/** "any" when the entry allows every host of `provider`, a host list when it names some, undefined when none. */
function allowedHosts(entry: unknown, provider: CloudProviderName): "any" | string[] | undefined {
  if (Array.isArray(entry)) return entry.some((p) => typeof p === "string" && p.toLowerCase() === provider) ? "any" : undefined;
  if (!entry || typeof entry !== "object") return undefined;
  const v = (entry as Record<string, unknown>)[provider];
  if (v === true) return "any";
  if (Array.isArray(v)) return v.filter((h): h is string => typeof h === "string").map((h) => h.toLowerCase());
  return undefined;
}

export interface CreateAccessOptions {
  mode: "server" | "cli";
  credentials?: ServerCredentials;
  providerAccounts?: string[];
  /** The registry client's REGISTRY_ALLOWED_HOSTS, REGISTRY_CA_FILE, lookup and test port override. */
  allowedHosts?: string[];
  operatorCa?: string[];
  lookup?: LookupFunction;
  portOverride?: (host: string, port: number) => number | undefined;
  /** Tests: fake providers and clock. */
  providers?: ProviderSet;
  now?: () => number;
  userAgent?: string;
}

export function createRegistryAccess(o: CreateAccessOptions): RegistryAccess {
  const transport = new HttpTransport({
    policy: { mode: o.mode, allowed: parseAllowedHosts(o.allowedHosts) },
    lookup: o.lookup,
    userAgent: o.userAgent ?? "flux-image-bot",
    operatorCa: o.operatorCa,
    portOverride: o.portOverride,
  });
  const tokens = new ProviderTokens(o.providers ?? defaultProviders(), o.now);
  return new RegistryAccess({ mode: o.mode, credentials: o.credentials, providerAccounts: o.providerAccounts, tokens, transport });
}
