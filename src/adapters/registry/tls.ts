/**
 * Certificates for registry connections: the operator-wide CA bundle
 * (`REGISTRY_CA_FILE`) and an ImageRepository's `spec.certSecretRef`.
 *
 * The secret holds the keys Flux reads for ImageRepository (image-reflector-
 * controller, `internal/secret` / fluxcd/pkg/runtime/secrets `TLSConfigFromSecret`):
 * `ca.crt` (CA bundle), `tls.crt` and `tls.key` (client certificate and key for
 * mTLS), or the deprecated `caFile`, `certFile`, `keyFile`. A CA given here is
 * trusted in addition to the system roots, never instead of them.
 */
import { createHash, X509Certificate, createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";
import { AppError } from "../../core/errors.js";

/** How one registry is reached: extra CAs, a client certificate, a proxy. */
export interface RegistryConnection {
  /** PEM certificates trusted in addition to the system roots. */
  ca?: string[];
  /** PEM client certificate and key (mTLS). */
  cert?: string;
  key?: string;
  proxy?: ProxySettings;
}

export interface ProxySettings {
  /** `http://` or `https://` proxy URL, without credentials. */
  url: URL;
  username?: string;
  password?: string;
}

/** An operator's secret file is trusted, but a value is still bounded. */
export const MAX_PEM_BYTES = 1024 * 1024;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle; throws naming `what` when there is none or one does not parse. */
export function parsePemCertificates(pem: string, what: string): string[] {
  if (Buffer.byteLength(pem) > MAX_PEM_BYTES) throw new Error(`${what} is larger than ${MAX_PEM_BYTES} bytes`);
  const certs = pem.match(PEM_CERT) ?? [];
  if (certs.length === 0) throw new Error(`${what} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const c of certs) {
    try {
      new X509Certificate(c);
    } catch {
      throw new Error(`${what} holds a certificate that does not parse`);
    }
  }
  return certs;
}

/** REGISTRY_CA_FILE: read once at start; a bad file stops the process with a message naming the variable. */
export function loadCaFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new AppError("config.ca-file", `REGISTRY_CA_FILE: cannot read ${path}; check the path and its permissions`, { subject: path });
  }
  try {
    return parsePemCertificates(text, `REGISTRY_CA_FILE ${path}`);
  } catch (e) {
    throw new AppError("config.ca-file", `REGISTRY_CA_FILE: ${(e as Error).message}`, { subject: path });
  }
}

function field(secret: Record<string, unknown>, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = secret[k];
    if (typeof v === "string" && v.trim() !== "") return v;
  }
  return undefined;
}

/**
 * The TLS part of a `spec.certSecretRef` secret. Throws a message that names
 * the secret (never its content) when it is unusable.
 */
export function tlsFromSecret(secret: unknown, name: string): Pick<RegistryConnection, "ca" | "cert" | "key"> {
  if (!secret || typeof secret !== "object" || Array.isArray(secret)) throw new Error(`the secret "${name}" is not an object with ca.crt, tls.crt, tls.key`);
  const s = secret as Record<string, unknown>;
  const ca = field(s, ["ca.crt", "caFile"]);
  const cert = field(s, ["tls.crt", "certFile"]);
  const key = field(s, ["tls.key", "keyFile"]);
  if (!ca && !cert && !key) throw new Error(`the secret "${name}" has none of ca.crt, tls.crt, tls.key`);
  if (Boolean(cert) !== Boolean(key)) throw new Error(`the secret "${name}" must hold both tls.crt and tls.key for a client certificate, or neither`);
  const out: Pick<RegistryConnection, "ca" | "cert" | "key"> = {};
  if (ca) out.ca = parsePemCertificates(ca, `ca.crt of the secret "${name}"`);
  if (cert && key) {
    parsePemCertificates(cert, `tls.crt of the secret "${name}"`);
    if (Buffer.byteLength(key) > MAX_PEM_BYTES) throw new Error(`tls.key of the secret "${name}" is too large`);
    try {
      createPrivateKey(key);
    } catch {
      throw new Error(`tls.key of the secret "${name}" is not a PEM private key`);
    }
    out.cert = cert;
    out.key = key;
  }
  return out;
}

/**
 * One TLS context for a transport: system roots plus the extra CAs, and the
 * client certificate; undefined for Node's default. Built once (not per
 * request: a `ca` option would be re-read and become part of every pool key).
 */
export function secureContextFor(conn: RegistryConnection | undefined, operatorCa: readonly string[]): SecureContext | undefined {
  const extra = [...operatorCa, ...(conn?.ca ?? [])];
  const withCert = Boolean(conn?.cert && conn.key);
  if (extra.length === 0 && !withCert) return undefined;
  // `ca` replaces Node's roots, so the roots are given back explicitly
  return createSecureContext({
    ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
    ...(withCert ? { cert: conn!.cert, key: conn!.key } : {}),
  });
}

/** A stable, non-reversible identity of a connection (scan cache keys, agent pools); "" for the default. */
export function connectionIdentity(conn: RegistryConnection | undefined): string {
  if (!conn || (!conn.ca?.length && !conn.cert && !conn.proxy)) return "";
  const h = createHash("sha256");
  h.update("flux-image-bot/registry-connection/v1\0");
  for (const v of [
    ...(conn.ca ?? []),
    "|",
    conn.cert ?? "",
    conn.key ?? "",
    conn.proxy?.url.href ?? "",
    conn.proxy?.username ?? "",
    conn.proxy?.password ?? "",
  ])
    h.update(`${v}\0`);
  return `conn-${h.digest("hex").slice(0, 16)}`;
}

const CERT_ERROR = /^(UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|CERT_|ERR_TLS_CERT|HOSTNAME_MISMATCH|ERR_SSL)/;

/** True for the node:tls errors that mean "this certificate is not trusted" (and not "the network is down"). */
export function isCertificateError(code: string): boolean {
  return CERT_ERROR.test(code);
}
