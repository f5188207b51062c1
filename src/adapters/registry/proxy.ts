/**
 * HTTP(S) proxies for registry connections (`spec.proxySecretRef`).
 *
 * The secret holds the keys Flux reads (fluxcd/pkg/runtime/secrets
 * `ProxyURLFromSecret`): `address` (an http:// or https:// URL), and optional
 * `username` / `password`. Every registry connection, plain or TLS, goes
 * through a `CONNECT` tunnel; TLS to the registry is end to end through it.
 *
 * SSRF: the proxy's own address is checked like a registry's (a proxy on a
 * private address must be in REGISTRY_ALLOWED_HOSTS). In server mode the
 * registry's name is resolved and checked here, and the proxy is asked to
 * CONNECT to that checked address, so DNS cannot steer it to an internal one;
 * TLS is still verified against the registry's name.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import { RegistryAuthError, RegistryError, RegistryTimeoutError, RegistryUnavailableError } from "./errors.js";
import { checkUrlHost, guardedLookup, type AddressPolicy, type LookupFunction } from "./ssrf.js";
import type { ProxySettings } from "./tls.js";

const MAX_PROXY_HEAD = 16 * 1024;
/** Idle time allowed while connecting to the proxy and waiting for its answer to CONNECT. */
const TUNNEL_TIMEOUT_MS = 30_000;

/** The proxy of a `spec.proxySecretRef` secret; throws a message naming the secret (never its content). */
export function proxyFromSecret(secret: unknown, name: string): ProxySettings {
  if (!secret || typeof secret !== "object" || Array.isArray(secret)) throw new Error(`the secret "${name}" is not an object with address, username, password`);
  const s = secret as Record<string, unknown>;
  const address = typeof s.address === "string" ? s.address.trim() : "";
  if (!address) throw new Error(`the secret "${name}" has no address (the proxy URL, e.g. http://proxy.example.com:3128)`);
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new Error(`the address of the secret "${name}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`the address of the secret "${name}" must be an http:// or https:// URL`);
  const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  const username = str(s.username) ?? (url.username ? decodeURIComponent(url.username) : undefined);
  const password = str(s.password) ?? (url.password ? decodeURIComponent(url.password) : undefined);
  url.username = "";
  url.password = "";
  return { url, username, password };
}

export interface TunnelOptions {
  proxy: ProxySettings;
  policy: AddressPolicy;
  lookup?: LookupFunction;
  /** Default 30 s. */
  timeoutMs?: number;
}

type ConnectOpts = tls.ConnectionOptions & { host?: string; port?: number | string; servername?: string };
type Callback = (err: Error | null, socket: net.Socket) => void;

function resolveChecked(o: TunnelOptions, host: string, port: number): Promise<string> {
  if (o.policy.mode === "cli" || net.isIP(host)) return Promise.resolve(host);
  return new Promise((resolve, reject) => {
    guardedLookup(o.policy, port, o.lookup)(host, {}, (err, address) => (err ? reject(err) : resolve(address as string)));
  });
}

function connectProxy(o: TunnelOptions): net.Socket {
  const { url } = o.proxy;
  checkUrlHost(o.policy, url);
  const secure = url.protocol === "https:";
  const port = Number(url.port || (secure ? 443 : 80));
  const lookup = guardedLookup(o.policy, port, o.lookup) as never;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return secure ? tls.connect({ host, port, lookup, servername: net.isIP(host) ? undefined : host }) : net.connect({ host, port, lookup });
}

/** Sends CONNECT and waits for the proxy's answer head; resolves with the tunnelled socket. */
function openTunnel(o: TunnelOptions, socket: net.Socket, target: string, hostHeader: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const cleanup = (): void => {
      socket.setTimeout(0);
      socket.off("timeout", onTimeout);
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("end", onEnd);
    };
    const failWith = (e: Error): void => {
      cleanup();
      socket.destroy();
      reject(e);
    };
    const onError = (e: Error): void => {
      const code = (e as NodeJS.ErrnoException).code;
      const host = o.proxy.url.host;
      failWith(
        e instanceof RegistryError
          ? e
          : new RegistryUnavailableError(`cannot reach the proxy ${host}${code ? ` (${code})` : ""}; check the address in spec.proxySecretRef's secret`, {
              subject: host,
            }),
      );
    };
    const onTimeout = (): void =>
      failWith(
        new RegistryTimeoutError(`the proxy ${o.proxy.url.host} did not answer CONNECT within ${o.timeoutMs ?? TUNNEL_TIMEOUT_MS} ms`, {
          subject: o.proxy.url.host,
        }),
      );
    const onEnd = (): void =>
      failWith(new RegistryUnavailableError(`the proxy ${o.proxy.url.host} closed the connection before answering CONNECT`, { subject: o.proxy.url.host }));
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > MAX_PROXY_HEAD)
          failWith(new RegistryUnavailableError(`the proxy ${o.proxy.url.host} sent an oversized answer to CONNECT`, { subject: o.proxy.url.host }));
        return;
      }
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString("latin1"))?.[1] ?? 0);
      if (status !== 200) {
        failWith(proxyRefusal(o, status));
        return;
      }
      cleanup();
      if (end + 4 < head.length) socket.unshift(head.subarray(end + 4));
      resolve(socket);
    };
    socket.setTimeout(o.timeoutMs ?? TUNNEL_TIMEOUT_MS);
    socket.once("timeout", onTimeout);
    socket.on("data", onData);
    socket.once("error", onError);
    socket.once("end", onEnd);
    const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${hostHeader}`];
    if (o.proxy.username !== undefined || o.proxy.password !== undefined) {
      lines.push(`Proxy-Authorization: Basic ${Buffer.from(`${o.proxy.username ?? ""}:${o.proxy.password ?? ""}`).toString("base64")}`);
    }
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

function proxyRefusal(o: TunnelOptions, status: number): RegistryError {
  const host = o.proxy.url.host;
  if (status === 407) {
    return new RegistryAuthError(`the proxy ${host} refused the credentials of spec.proxySecretRef (HTTP 407); check its username and password`, {
      subject: host,
      status,
    });
  }
  return new RegistryUnavailableError(
    `the proxy ${host} refused to CONNECT to the registry (HTTP ${status || "no status"}); check the proxy's allowed destinations`,
    { subject: host, status },
  );
}

async function tunnel(o: TunnelOptions, opts: ConnectOpts, secure: boolean): Promise<net.Socket> {
  const host = String(opts.host ?? "localhost").replace(/^\[|\]$/g, "");
  const port = Number(opts.port ?? (secure ? 443 : 80));
  const address = await resolveChecked(o, host, port);
  const target = `${net.isIPv6(address) ? `[${address}]` : address}:${port}`;
  const hostHeader = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  const socket = await openTunnel(o, connectProxy(o), target, hostHeader);
  if (!secure) return socket;
  const { host: _h, port: _p, path: _path, lookup: _l, ...tlsOpts } = opts as ConnectOpts & { path?: string; lookup?: unknown };
  return tls.connect({ ...tlsOpts, socket, servername: net.isIP(host) ? undefined : host });
}

/** Node's Agent waits for the callback when createConnection returns nothing. */
function createTunnelConnection(o: TunnelOptions, secure: boolean, opts: ConnectOpts, cb?: Callback): undefined {
  tunnel(o, opts, secure).then(
    (s) => cb?.(null, s),
    (e: Error) => cb?.(e, undefined as never),
  );
  return undefined;
}

/** Keep-alive agents whose every connection is a CONNECT tunnel through the proxy. */
export function proxyAgents(o: TunnelOptions): { http: http.Agent; https: https.Agent } {
  class HttpTunnelAgent extends http.Agent {
    override createConnection(opts: http.ClientRequestArgs, cb?: Callback): undefined {
      return createTunnelConnection(o, false, opts as ConnectOpts, cb);
    }
  }
  class HttpsTunnelAgent extends https.Agent {
    override createConnection(opts: https.RequestOptions, cb?: Callback): undefined {
      return createTunnelConnection(o, true, opts as ConnectOpts, cb);
    }
  }
  return { http: new HttpTunnelAgent({ keepAlive: true, maxSockets: 16 }), https: new HttpsTunnelAgent({ keepAlive: true, maxSockets: 16 }) };
}
