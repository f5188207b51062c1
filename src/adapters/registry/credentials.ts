/**
 * Registry credentials.
 *
 * CLI: the Docker config file, read as docker, crane and skopeo read it:
 * `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. Each `auths`
 * entry has `auth` (base64 `user:pass`) or `username`/`password`, and may have
 * `identitytoken` (OAuth2 refresh token) or `registrytoken` (bearer token).
 * Credential helpers (`credsStore`, `credHelpers`) are not run.
 *
 * Server: an operator-provided file (path in `REGISTRY_CREDENTIALS_FILE`):
 *
 * ```json
 * { "accounts": {
 *     "<github account login>": {
 *       "<ImageRepository spec.secretRef.name>": { "auths": { "ghcr.io": { "auth": "base64(user:pass)" } } }
 *     } } }
 * ```
 *
 * A secretRef is looked up only under the installation's own account (login
 * compared case-insensitively, as GitHub does), so one customer's repository can
 * never borrow another account's credentials.
 *
 * Key matching (docker's `ConvertToHostname`): an exact key wins; otherwise a key
 * matches when, after removing any scheme and path, its host[:port] equals the
 * registry. Docker Hub (`index.docker.io`) looks up `https://index.docker.io/v1/`
 * first, then any key whose host is `index.docker.io`, `docker.io` or
 * `registry-1.docker.io`.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { AppError } from "../../core/errors.js";
import { parseImageRepositoryImage } from "../../core/image-ref.js";

export interface RegistryCredentials {
  username?: string;
  password?: string;
  identityToken?: string;
  registryToken?: string;
}

export interface DockerConfigCredentials {
  forImage(image: string): RegistryCredentials | undefined;
}

export interface ServerCredentials {
  forImage(account: string, secretRef: string, image: string): RegistryCredentials | undefined;
  /** The raw secret `name` of `account` (spec.certSecretRef / spec.proxySecretRef), same isolation as forImage. */
  secret(account: string, name: string): unknown;
  /** The `providers` entry of `account`: cloud providers it may use with the operator's identity (see providers/access). */
  providers(account: string): unknown;
}

type Auths = Record<string, unknown>;

const DOCKER_HUB_KEY = "https://index.docker.io/v1/";
const DOCKER_HUB_HOSTS = new Set(["index.docker.io", "docker.io", "registry-1.docker.io"]);

/** docker's ConvertToHostname: drop the scheme and anything after the first `/`. */
export function convertToHostname(key: string): string {
  let s = key.trim();
  const scheme = s.indexOf("://");
  if (scheme >= 0) s = s.slice(scheme + 3);
  const slash = s.indexOf("/");
  return (slash >= 0 ? s.slice(0, slash) : s).toLowerCase();
}

function entryToCredentials(entry: unknown): RegistryCredentials | undefined {
  if (!entry || typeof entry !== "object") return undefined;
  const e = entry as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  const out: RegistryCredentials = {};
  const auth = str(e.auth);
  if (auth) {
    const decoded = Buffer.from(auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0 || (colon === 0 && decoded.length > 1)) {
      out.username = decoded.slice(0, colon);
      out.password = decoded.slice(colon + 1);
    }
  }
  if (out.username === undefined && (str(e.username) || str(e.password))) {
    out.username = str(e.username) ?? "";
    out.password = str(e.password) ?? "";
  }
  const identity = str(e.identitytoken);
  if (identity) out.identityToken = identity;
  const registryToken = str(e.registrytoken);
  if (registryToken) out.registryToken = registryToken;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Finds the entry of `auths` for a registry as reported by parseImageRepositoryImage. */
export function matchAuths(auths: Auths, registry: string): RegistryCredentials | undefined {
  const reg = registry.toLowerCase();
  const hub = reg === "index.docker.io";
  const exactKey = hub ? DOCKER_HUB_KEY : registry;
  if (Object.hasOwn(auths, exactKey)) {
    const c = entryToCredentials(auths[exactKey]);
    if (c) return c;
  }
  for (const key of Object.keys(auths)) {
    const host = convertToHostname(key);
    const hit = hub ? DOCKER_HUB_HOSTS.has(host) : host === reg;
    if (!hit) continue;
    const c = entryToCredentials(auths[key]);
    if (c) return c;
  }
  return undefined;
}

function registryOf(image: string): string | undefined {
  const parsed = parseImageRepositoryImage(image);
  return parsed.ok ? parsed.name.registry : undefined;
}

function authsOf(config: unknown): Auths {
  if (!config || typeof config !== "object") return {};
  const a = (config as Record<string, unknown>).auths;
  return a && typeof a === "object" && !Array.isArray(a) ? (a as Auths) : {};
}

function readJson(path: string, what: string): unknown | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new AppError("config.credentials", `config.credentials: cannot read the ${what} at ${path}; check its permissions`, { subject: path });
  }
  try {
    return JSON.parse(text);
  } catch {
    // never echo the content: it holds secrets
    throw new AppError("config.credentials", `config.credentials: the ${what} at ${path} is not valid JSON`, { subject: path });
  }
}

/** Docker config credentials for the CLI (a missing file means anonymous access everywhere). */
export function loadDockerConfig(env: NodeJS.ProcessEnv = process.env): DockerConfigCredentials {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), ".docker");
  return dockerConfigFromObject(readJson(join(dir, "config.json"), "Docker config file"));
}

export function dockerConfigFromObject(config: unknown): DockerConfigCredentials {
  const auths = authsOf(config);
  return {
    forImage(image: string): RegistryCredentials | undefined {
      const registry = registryOf(image);
      return registry ? matchAuths(auths, registry) : undefined;
    },
  };
}

/** The server credentials file (see the module comment for its format). A missing file has no credentials. */
export function loadServerCredentials(path: string): ServerCredentials {
  return serverCredentialsFromObject(readJson(path, "registry credentials file"));
}

/** A per-account section of the file (`accounts`, `providers`), keyed as accounts are looked up. */
function accountTable(data: unknown, section: string): Map<string, unknown> {
  const table = new Map<string, unknown>();
  const raw = data && typeof data === "object" ? (data as Record<string, unknown>)[section] : undefined;
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    for (const [login, value] of Object.entries(raw as Record<string, unknown>)) table.set(login.toLowerCase(), value);
  }
  return table;
}

export function serverCredentialsFromObject(data: unknown): ServerCredentials {
  const accounts = new Map<string, Record<string, unknown>>();
  for (const [login, secrets] of accountTable(data, "accounts")) {
    if (secrets && typeof secrets === "object" && !Array.isArray(secrets)) accounts.set(login, secrets as Record<string, unknown>);
  }
  const providers = accountTable(data, "providers");
  return {
    secret(account: string, name: string): unknown {
      const secrets = accounts.get(account.toLowerCase());
      return secrets && Object.hasOwn(secrets, name) ? secrets[name] : undefined;
    },
    providers: (account: string): unknown => providers.get(account.toLowerCase()),
    forImage(account: string, secretRef: string, image: string): RegistryCredentials | undefined {
      const secrets = accounts.get(account.toLowerCase());
      if (!secrets || !Object.hasOwn(secrets, secretRef)) return undefined;
      const registry = registryOf(image);
      return registry ? matchAuths(authsOf(secrets[secretRef]), registry) : undefined;
    },
  };
}

/**
 * A stable, non-reversible identity for a credential, used in cache keys:
 * "anon" without credentials, else `cred-` + 32 hex chars of a SHA-256 over
 * every field. The secret itself never appears.
 */
export function credentialIdentity(creds?: RegistryCredentials): string {
  if (!creds || (!creds.username && !creds.password && !creds.identityToken && !creds.registryToken)) return "anon";
  const h = createHash("sha256");
  h.update("flux-image-bot/registry-credential/v1\0");
  for (const v of [creds.username, creds.password, creds.identityToken, creds.registryToken]) h.update(`${v ?? ""}\0`);
  return `cred-${h.digest("hex").slice(0, 32)}`;
}
