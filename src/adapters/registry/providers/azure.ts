/**
 * `provider: azure`: Azure Container Registry. An Entra ID token from the
 * default Azure credential (environment, workload identity, managed identity)
 * for the registry's cloud's Resource Manager scope, exchanged at
 * `https://<registry>/oauth2/exchange` for an ACR refresh token, used as the
 * password of the all-zero user; its expiry is the JWT's `exp`. As
 * fluxcd/pkg auth/azure provider.go. The exchange goes through the registry
 * transport, so the SSRF guard, certificates and proxy apply to it.
 */
import type { TokenCredential } from "@azure/identity";
import type { CloudProvider, FetchContext, ProviderToken } from "./types.js";

/** fluxcd/pkg auth/azure provider.go `registryPattern` (from Kubernetes' Azure credential provider). */
const ACR_HOST = /^.+\.(azurecr\.io|azurecr\.cn|azurecr\.de|azurecr\.us)$/;
/** https://learn.microsoft.com/azure/container-registry/container-registry-authentication#az-acr-login-with---expose-token */
const ACR_USER = "00000000-0000-0000-0000-000000000000";

/** Resource Manager scope per cloud, as fluxcd/pkg auth/azure `GetAccessTokenOptionsForArtifactRepository`. */
export function acrScope(registry: string): string {
  if (registry.endsWith(".azurecr.cn")) return "https://management.chinacloudapi.cn/.default";
  if (registry.endsWith(".azurecr.us")) return "https://management.usgovcloudapi.net/.default";
  return "https://management.azure.com/.default";
}

/** POSTs a form to `https://<registry>/oauth2/exchange` and returns the parsed JSON body. */
export type { AcrExchange } from "./types.js";

/** `exp` of a JWT, in epoch ms (unverified: the registry checks it, we only schedule the refresh). */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown }).exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function azureProvider(given?: TokenCredential): CloudProvider {
  let credential = given;
  return {
    name: "azure",
    identityHint: "the default Azure credential (AZURE_* variables, workload identity, managed identity)",
    hostsHint: "*.azurecr.io, *.azurecr.cn, *.azurecr.de and *.azurecr.us",
    keyFor: (registry) => (ACR_HOST.test(registry.toLowerCase()) ? registry.toLowerCase() : undefined),
    async fetch(registry: string, ctx: FetchContext): Promise<ProviderToken> {
      const host = registry.toLowerCase();
      // one credential per process: MSAL caches the Entra ID token until it expires
      credential ??= new (await import("@azure/identity")).DefaultAzureCredential();
      const aad = await credential.getToken(acrScope(host), { abortSignal: ctx.signal });
      if (!aad?.token) throw new Error("Entra ID returned no access token");
      const body = await ctx.exchange(host, { grant_type: "access_token", service: host, access_token: aad.token }, ctx.signal);
      const refresh = (body as { refresh_token?: unknown } | undefined)?.refresh_token;
      if (typeof refresh !== "string" || !refresh) throw new Error(`${host}/oauth2/exchange returned no refresh token`);
      return { username: ACR_USER, password: refresh, expiresAt: jwtExpiry(refresh) ?? aad.expiresOnTimestamp };
    },
  };
}
