/**
 * Registry authentication: `WWW-Authenticate` challenges, Basic, and the
 * distribution token flow (GET realm with Basic or anonymously, or the OAuth2
 * POST with `grant_type=refresh_token` when an identity token is configured).
 * See the distribution "token authentication" and "oauth" specifications.
 */
import { RegistryAuthError, RegistryInvalidResponseError, RegistryRateLimitedError, RegistryUnavailableError } from "./errors.js";
import type { HttpResponse, HttpTransport } from "./http.js";
import type { RegistryCredentials } from "../../app/ports/index.js";

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses a `WWW-Authenticate` header value into challenges (auth-params may be quoted, with commas inside). */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const s = header;
  const skipWs = (): void => {
    while (i < s.length && /[\s,]/.test(s[i]!)) i++;
  };
  while (i < s.length) {
    skipWs();
    const m = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+/.exec(s.slice(i));
    if (!m) break;
    const scheme = m[0];
    i += scheme.length;
    const params: Record<string, string> = {};
    for (;;) {
      while (i < s.length && /\s/.test(s[i]!)) i++;
      const pm = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*/.exec(s.slice(i));
      if (!pm) break;
      i += pm[0].length;
      let value = "";
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === "\\" && i + 1 < s.length) i++;
          value += s[i];
          i++;
        }
        i++;
      } else {
        const vm = /^[^\s,]*/.exec(s.slice(i))!;
        value = vm[0];
        i += value.length;
      }
      params[pm[1]!.toLowerCase()] = value;
      while (i < s.length && /\s/.test(s[i]!)) i++;
      if (s[i] === ",") i++;
    }
    out.push({ scheme: scheme.toLowerCase(), params });
  }
  return out;
}

export function basicHeader(creds: RegistryCredentials): string | undefined {
  if (creds.username === undefined && creds.password === undefined) return undefined;
  return `Basic ${Buffer.from(`${creds.username ?? ""}:${creds.password ?? ""}`).toString("base64")}`;
}

export interface Token {
  token: string;
  expiresAt: number;
}

export interface TokenRequest {
  transport: HttpTransport;
  realm: URL;
  service?: string;
  scope: string;
  creds?: RegistryCredentials;
  /** The registry's host name: Basic credentials and identity tokens go only to realms on it (see mayReceiveCredentials). */
  registryHost?: string;
  /** Further realm hosts the operator allows to receive them (REGISTRY_CREDENTIAL_HOSTS). */
  credentialHosts?: readonly string[];
  allowHttp: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  now: number;
  subject: string;
}

/** Distribution says a token without expires_in lives 60 s. */
const DEFAULT_TOKEN_TTL_S = 60;
const MAX_TOKEN_BODY = 256 * 1024;
/** Real bearer tokens are a few KB (JWTs); anything far larger is refused rather than kept in memory. */
export const MAX_TOKEN_CHARS = 64 * 1024;

/**
 * Whether a token realm on `realmHost` may receive the Basic credentials or identity token configured
 * for the registry on `registryHost`: the same host, a host under the registry's parent domain (Docker
 * Hub's auth.docker.io for registry-1.docker.io, GitLab's gitlab.com for registry.gitlab.com), or a
 * host the operator lists. A realm elsewhere is refused, so a registry cannot hand the operator's
 * credentials to a third party.
 */
export function mayReceiveCredentials(realmHost: string, registryHost: string, extra: readonly string[] = []): boolean {
  const realm = realmHost.toLowerCase();
  const registry = registryHost.toLowerCase();
  if (realm === registry || extra.some((h) => h.toLowerCase() === realm)) return true;
  const labels = registry.split(".");
  // the parent domain must keep at least two labels (never `io`, `com`)
  if (labels.length < 3 || /^[\d.]+$|:/.test(registry)) return false;
  const parent = labels.slice(1).join(".");
  return realm === parent || realm.endsWith(`.${parent}`);
}

function parseTokenBody(res: HttpResponse, req: TokenRequest): Token {
  let data: unknown;
  try {
    data = JSON.parse(res.body.toString("utf8"));
  } catch {
    throw new RegistryInvalidResponseError(`the token service ${req.realm.host} answered with something that is not JSON`, {
      subject: req.subject,
    });
  }
  const o = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
  const token = typeof o.token === "string" && o.token ? o.token : typeof o.access_token === "string" ? o.access_token : "";
  if (!token) {
    throw new RegistryInvalidResponseError(`the token service ${req.realm.host} returned no token`, { subject: req.subject });
  }
  if (token.length > MAX_TOKEN_CHARS) {
    throw new RegistryInvalidResponseError(`the token service ${req.realm.host} returned a token larger than ${MAX_TOKEN_CHARS} characters; it was refused`, {
      subject: req.subject,
    });
  }
  const ttl = typeof o.expires_in === "number" && o.expires_in > 0 ? o.expires_in : DEFAULT_TOKEN_TTL_S;
  // issued_at is ignored: registry and bot clocks differ, and expiry is counted from receipt
  const start = req.now;
  // refresh a little early so a token never expires in flight
  const margin = Math.min(10_000, ttl * 100);
  return { token, expiresAt: start + ttl * 1000 - margin };
}

function tokenFailure(res: HttpResponse, req: TokenRequest): Error {
  if (res.status === 401 || res.status === 403) {
    return new RegistryAuthError(
      `the token service ${req.realm.host} refused the ${req.creds ? "configured credentials" : "anonymous request"} for ${req.subject} (HTTP ${res.status}); ` +
        (req.creds ? "check the username/password or token in the docker config / secretRef" : "the image is private: configure credentials (spec.secretRef)"),
      { subject: req.subject, status: res.status },
    );
  }
  if (res.status === 429) {
    return new RegistryRateLimitedError(`the token service ${req.realm.host} is rate limiting requests for ${req.subject}; wait and retry`, {
      subject: req.subject,
      status: res.status,
    });
  }
  if (res.status >= 500) {
    return new RegistryUnavailableError(`the token service ${req.realm.host} is unavailable (HTTP ${res.status}); retry later`, {
      subject: req.subject,
      status: res.status,
    });
  }
  return new RegistryInvalidResponseError(`the token service ${req.realm.host} answered HTTP ${res.status} for ${req.subject}`, {
    subject: req.subject,
    status: res.status,
  });
}

/** Exchanges credentials for a bearer token at the challenge's realm. */
export async function fetchToken(req: TokenRequest): Promise<Token> {
  const { creds } = req;
  if (creds?.registryToken) return { token: creds.registryToken, expiresAt: Number.POSITIVE_INFINITY };
  const secret = creds && (creds.identityToken || basicHeader(creds));
  if (secret && req.registryHost !== undefined && !mayReceiveCredentials(req.realm.hostname, req.registryHost, req.credentialHosts)) {
    throw new RegistryAuthError(
      `the registry for ${req.subject} asks for a token from ${req.realm.hostname}, which is not the registry's host; the configured credentials are not sent there (the operator may allow it in REGISTRY_CREDENTIAL_HOSTS)`,
      { subject: req.subject },
    );
  }
  if (creds?.identityToken) {
    const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: creds.identityToken, client_id: "flux-image-bot", scope: req.scope });
    if (req.service) form.set("service", req.service);
    const res = await req.transport.request({
      method: "POST",
      url: req.realm,
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
      maxBodyBytes: MAX_TOKEN_BODY,
      timeoutMs: req.timeoutMs,
      signal: req.signal,
      allowHttp: req.allowHttp,
    });
    if (res.status === 200) return parseTokenBody(res, req);
    // registries without OAuth2 POST support answer 404/405: fall back to GET
    if (res.status !== 404 && res.status !== 405) throw tokenFailure(res, req);
  }
  const url = new URL(req.realm.toString());
  if (req.service) url.searchParams.set("service", req.service);
  url.searchParams.set("scope", req.scope);
  const headers: Record<string, string> = { accept: "application/json" };
  const basic = creds ? basicHeader(creds) : undefined;
  if (basic) headers.authorization = basic;
  const res = await req.transport.request({
    method: "GET",
    url,
    headers,
    maxBodyBytes: MAX_TOKEN_BODY,
    timeoutMs: req.timeoutMs,
    signal: req.signal,
    allowHttp: req.allowHttp,
  });
  if (res.status !== 200) throw tokenFailure(res, req);
  return parseTokenBody(res, req);
}
