/**
 * Minimal HTTP client on node:http/node:https (not fetch) so that we control
 * DNS lookup (SSRF guard), timeouts, redirects and the response size.
 */
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { RegistryError, RegistryForbiddenAddressError, RegistryInvalidResponseError, RegistryTlsError } from "./errors.js";
import { proxyAgents } from "./proxy.js";
import { checkUrlHost, guardedLookup, type AddressPolicy, type LookupFunction } from "./ssrf.js";
import { connectionIdentity, isCertificateError, secureContextFor, type RegistryConnection } from "./tls.js";

export const MAX_REDIRECTS = 5;

export interface HttpRequestSpec {
  method: "GET" | "HEAD" | "POST";
  url: URL;
  headers?: Record<string, string>;
  body?: string;
  /** Responses larger than this fail with registry.invalid-response. */
  maxBodyBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Plain HTTP is allowed (spec.insecure). */
  allowHttp: boolean;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The final URL after redirects. */
  url: URL;
}

/** A transport failure that may be retried: connect errors, resets, timeouts, truncated bodies. */
export class TransportError extends Error {
  constructor(
    readonly kind: "timeout" | "network" | "truncated" | "aborted",
    message: string,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

export interface HttpTransportOptions {
  policy: AddressPolicy;
  lookup?: LookupFunction;
  userAgent: string;
  /** REGISTRY_CA_FILE: PEM certificates trusted in addition to the system roots. */
  operatorCa?: string[];
  /** Tests: connect to another local port for `host:port` (like curl's --connect-to); not used through a proxy. */
  portOverride?: (host: string, port: number) => number | undefined;
  /** spec.certSecretRef / spec.proxySecretRef of the operation (see withConnection). */
  connection?: RegistryConnection;
}

/** Transports per distinct connection kept at most (each holds keep-alive agents). */
const MAX_CONNECTION_VARIANTS = 256;

export class HttpTransport {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly variants = new Map<string, HttpTransport>();
  private readonly secureContext: ReturnType<typeof secureContextFor>;
  /** Number of HTTP exchanges made (each redirect hop counts). */
  requests = 0;

  constructor(private readonly opts: HttpTransportOptions) {
    const proxy = opts.connection?.proxy;
    const agents = proxy ? proxyAgents({ proxy, policy: opts.policy, lookup: opts.lookup }) : undefined;
    this.httpAgent = agents?.http ?? new http.Agent({ keepAlive: true, maxSockets: 16 });
    this.httpsAgent = agents?.https ?? new https.Agent({ keepAlive: true, maxSockets: 16 });
    this.secureContext = secureContextFor(opts.connection, opts.operatorCa ?? []);
  }

  /** The same transport with a repository's certificates and proxy; variants are kept and reused. */
  withConnection(connection: RegistryConnection | undefined): HttpTransport {
    const id = connectionIdentity(connection);
    if (!id) return this;
    let t = this.variants.get(id);
    if (!t) {
      if (this.variants.size >= MAX_CONNECTION_VARIANTS) {
        const [oldest, old] = this.variants.entries().next().value as [string, HttpTransport];
        this.variants.delete(oldest);
        old.destroy();
      }
      t = new HttpTransport({ ...this.opts, connection });
      this.variants.set(id, t);
    }
    return t;
  }

  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    for (const v of this.variants.values()) v.destroy();
    this.variants.clear();
  }

  /** Sends the request, following up to 5 redirects, each hop checked like the first. */
  async request(spec: HttpRequestSpec): Promise<HttpResponse> {
    let url = spec.url;
    let method = spec.method;
    let body = spec.body;
    let headers = { ...(spec.headers ?? {}) };
    for (let hop = 0; ; hop++) {
      this.checkScheme(url, spec.allowHttp);
      checkUrlHost(this.opts.policy, url);
      const res = await this.once({ ...spec, url, method, body, headers });
      const location = res.headers.location;
      if (![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryInvalidResponseError(`too many redirects (more than ${MAX_REDIRECTS}) starting at ${spec.url.host}`, {
          subject: spec.url.host,
        });
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new RegistryInvalidResponseError(`invalid redirect location from ${url.host}`, { subject: url.host });
      }
      if (next.origin !== url.origin && body !== undefined && (res.status === 307 || res.status === 308)) {
        // 307/308 resend the body (an identity token in a token request): never to another origin
        throw new RegistryInvalidResponseError(`${url.host} redirected a request with a body to another origin (${next.host}); the redirect was not followed`, {
          subject: url.host,
        });
      }
      if (next.origin !== url.origin) {
        // never forward credentials to another origin
        const { authorization: _a, Authorization: _b, ...rest } = headers;
        headers = rest;
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
        const { "content-type": _c, ...rest } = headers;
        headers = rest;
      }
      url = next;
    }
  }

  private checkScheme(url: URL, allowHttp: boolean): void {
    if (url.protocol === "https:") return;
    if (url.protocol === "http:" && allowHttp) return;
    throw new RegistryForbiddenAddressError(
      `refusing ${url.protocol.replace(":", "")} URL on ${url.host}; only HTTPS is used unless the ImageRepository sets spec.insecure: true`,
      { subject: url.host },
    );
  }

  private once(spec: HttpRequestSpec): Promise<HttpResponse> {
    const { url } = spec;
    const isHttps = url.protocol === "https:";
    const port = Number(url.port || (isHttps ? 443 : 80));
    const lib = isHttps ? https : http;
    this.requests++;
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const fail = (e: unknown): void => {
        if (settled) return;
        settled = true;
        cleanup();
        req.destroy();
        reject(e);
      };
      const headers: Record<string, string> = { "user-agent": this.opts.userAgent, ...spec.headers };
      if (spec.body !== undefined) headers["content-length"] = String(Buffer.byteLength(spec.body));
      const override = this.opts.connection?.proxy ? undefined : this.opts.portOverride?.(url.hostname, port);
      if (override !== undefined) headers.host = url.host;
      const req = lib.request(url, {
        method: spec.method,
        headers,
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        lookup: guardedLookup(this.opts.policy, port, this.opts.lookup) as never,
        ...(override !== undefined ? { port: override } : {}),
        ...(isHttps && this.secureContext ? { secureContext: this.secureContext } : {}),
      });
      const timer = setTimeout(() => fail(new TransportError("timeout", `no complete answer from ${url.host} within ${spec.timeoutMs} ms`)), spec.timeoutMs);
      const onAbort = (): void => fail(new TransportError("aborted", `request to ${url.host} was cancelled`));
      spec.signal?.addEventListener("abort", onAbort, { once: true });
      const cleanup = (): void => {
        clearTimeout(timer);
        spec.signal?.removeEventListener("abort", onAbort);
      };
      if (spec.signal?.aborted) return onAbort();
      req.on("error", (err: Error) => {
        if (err instanceof RegistryError) return fail(err);
        const code = (err as NodeJS.ErrnoException).code ?? "";
        if (isCertificateError(code)) return fail(untrusted(url, code));
        fail(new TransportError("network", `cannot reach ${url.host}${code ? ` (${code})` : ""}`));
      });
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const declared = Number(res.headers["content-length"]);
        if (Number.isFinite(declared) && declared > spec.maxBodyBytes) {
          return fail(tooLarge(url, spec.maxBodyBytes));
        }
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > spec.maxBodyBytes) return fail(tooLarge(url, spec.maxBodyBytes));
          chunks.push(c);
        });
        res.on("aborted", () => fail(new TransportError("truncated", `the answer from ${url.host} was cut off`)));
        res.on("error", () => fail(new TransportError("truncated", `the answer from ${url.host} was cut off`)));
        res.on("end", () => {
          if (settled) return;
          if (!res.complete) return fail(new TransportError("truncated", `the answer from ${url.host} was cut off`));
          settled = true;
          cleanup();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url });
        });
      });
      req.end(spec.body);
    });
  }
}

function tooLarge(url: URL, max: number): RegistryInvalidResponseError {
  return new RegistryInvalidResponseError(`the answer from ${url.host} is larger than ${max} bytes; the registry response was refused`, {
    subject: url.host,
  });
}

function untrusted(url: URL, code: string): RegistryTlsError {
  const message = code.includes("ALERT")
    ? `${url.host} refused the TLS handshake (${code}); if it requires a client certificate, put tls.crt and tls.key in the spec.certSecretRef secret`
    : `the TLS certificate of ${url.host} is not trusted (${code}); for a registry with a private CA set spec.certSecretRef (ca.crt) or ask the operator for REGISTRY_CA_FILE`;
  return new RegistryTlsError(message, { subject: url.host });
}
