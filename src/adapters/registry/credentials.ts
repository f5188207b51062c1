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
 *     "<github account id>": {
 *       "login": "<account login, optional alias>",
 *       "allowedHosts": ["registry.internal:5000"],
 *       "secrets": {
 *         "<ImageRepository spec.secretRef.name>": { "auths": { "ghcr.io": { "auth": "base64(user:pass)" } } }
 *       } } } }
 * ```
 *
 * An entry may also be keyed by login when it gives the id (`"acme": { "id": 123, "secrets": … }`),
 * and the secrets may stand beside `login`/`id`/`allowedHosts` instead of under `secrets`.
 * A secretRef is looked up only under the installation's own account, found by its id: a login
 * can be given up and registered by someone else, an id never changes hands. The login is only an
 * alias of an entry that has the id (it matches jobs queued before jobs carried the id). Entries of
 * the older format, keyed by login alone, are not used: the `warnings` of the loaded file name
 * each one and what to change (the key to the id, or an `id` field). `allowedHosts` extends
 * REGISTRY_ALLOWED_HOSTS for that account's scans only.
 *
 * Key matching (docker's `ConvertToHostname`): an exact key wins; otherwise a key
 * matches when, after removing any scheme and path, its host[:port] equals the
 * registry. Docker Hub (`index.docker.io`) looks up `https://index.docker.io/v1/`
 * first, then any key whose host is `index.docker.io`, `docker.io` or
 * `registry-1.docker.io`.
 */
import { parseAccountRef } from "../../core/account.js";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { AppError } from "../../core/errors.js";
import { parseImageRepositoryImage } from "../../core/image-ref.js";
import type { CredentialsPort, RegistryCredentials } from "../../app/ports/index.js";

export interface DockerConfigCredentials {
  forImage(image: string): RegistryCredentials | undefined;
}

export interface ServerCredentials extends CredentialsPort {
  /** `account`: the account id (decimal), or a login alias of an entry that has an id */
  forImage(account: string, secretRef: string, image: string): RegistryCredentials | undefined;
  /** The raw secret `name` of `account` (spec.certSecretRef / spec.proxySecretRef), same isolation as forImage. */
  secret(account: string, name: string): unknown;
  /** The `providers` entry of `account`: cloud providers it may use with the operator's identity (see providers/access). */
  providers(account: string): unknown;
  /** hosts the account's scans may call although private (its entry's `allowedHosts`) */
  allowedHosts(account: string): string[];
  /** entries that are not used, with what to change */
  warnings: string[];
  /** every registry host the file names (auths keys and allowedHosts), for bounded metric labels */
  hosts: string[];
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

/** A per-account section of the file (`providers`), keyed by account id or login (lower-cased). */
function accountTable(data: unknown, section: string): Map<string, unknown> {
  const table = new Map<string, unknown>();
  const raw = data && typeof data === "object" ? (data as Record<string, unknown>)[section] : undefined;
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) table.set(key.toLowerCase(), value);
  }
  return table;
}

interface AccountEntry {
  id: string;
  login?: string;
  allowedHosts: string[];
  secrets: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const ID = /^[1-9][0-9]{0,19}$/;
/** fields of an account entry that are not secretRef names */
const RESERVED = new Set(["id", "login", "allowedHosts", "secrets"]);

function accountEntry(key: string, value: unknown, warnings: string[]): AccountEntry | undefined {
  if (!isObject(value)) return undefined;
  const idField = typeof value.id === "number" || typeof value.id === "string" ? String(value.id) : undefined;
  const id = ID.test(key) ? key : idField;
  if (!id || !ID.test(id)) {
    warnings.push(
      `accounts.${key.slice(0, 100)}: keyed by login without the account id; not used. Key it by the account id instead ("<id>": {"login": "${key.slice(0, 100)}", …}), or add "id": <id> to it`,
    );
    return undefined;
  }
  // the secrets under "secrets", or (the older layout, with the key changed to the id) beside the reserved fields
  const secrets = isObject(value.secrets) ? value.secrets : Object.fromEntries(Object.entries(value).filter(([k]) => !RESERVED.has(k)));
  const login = ID.test(key) ? (typeof value.login === "string" ? value.login : undefined) : key;
  const hosts = Array.isArray(value.allowedHosts) ? value.allowedHosts.filter((h): h is string => typeof h === "string" && h.trim() !== "") : [];
  return { id, login, allowedHosts: hosts, secrets };
}

export function serverCredentialsFromObject(data: unknown): ServerCredentials {
  const byId = new Map<string, AccountEntry>();
  const byLogin = new Map<string, AccountEntry>();
  const warnings: string[] = [];
  const raw = isObject(data) ? data.accounts : undefined;
  if (isObject(raw)) {
    for (const [key, value] of Object.entries(raw)) {
      const e = accountEntry(key, value, warnings);
      if (!e) continue;
      byId.set(e.id, e);
      if (e.login) byLogin.set(e.login.toLowerCase(), e);
    }
  }
  const hosts = new Set<string>();
  for (const e of byId.values()) {
    for (const h of e.allowedHosts) hosts.add(h.trim().toLowerCase());
    for (const secret of Object.values(e.secrets)) for (const k of Object.keys(authsOf(secret))) hosts.add(convertToHostname(k));
  }
  // With an id, only the entry of that id: a renamed login registered again by someone else never inherits it.
  const entryOf = (account: string): AccountEntry | undefined => {
    const { id, login } = parseAccountRef(account);
    return id ? byId.get(id) : login ? byLogin.get(login.toLowerCase()) : undefined;
  };
  const providers = accountTable(data, "providers");
  return {
    warnings,
    hosts: [...hosts],
    secret(account: string, name: string): unknown {
      const secrets = entryOf(account)?.secrets;
      return secrets && Object.hasOwn(secrets, name) ? secrets[name] : undefined;
    },
    // The allow-list of cloud providers is matched by account id or by its current login, like REGISTRY_PROVIDER_ACCOUNTS.
    providers: (account: string): unknown => {
      const { id, login } = parseAccountRef(account);
      return (id ? providers.get(id) : undefined) ?? (login ? providers.get(login.toLowerCase()) : undefined);
    },
    forImage(account: string, secretRef: string, image: string): RegistryCredentials | undefined {
      const secrets = entryOf(account)?.secrets;
      if (!secrets || !Object.hasOwn(secrets, secretRef)) return undefined;
      const registry = registryOf(image);
      return registry ? matchAuths(authsOf(secrets[secretRef]), registry) : undefined;
    },
    allowedHosts: (account) => entryOf(account)?.allowedHosts ?? [],
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
