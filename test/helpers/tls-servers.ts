/**
 * TLS test kit: a private CA with server and client certificates made by the
 * openssl CLI (EC P-256, so it is fast), an HTTPS front that terminates TLS
 * (optionally requiring a client certificate) before a plain-HTTP registry and
 * can answer extra routes itself, and a CONNECT proxy that records what it was
 * asked. Everything listens on 127.0.0.1 on a random port.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A CA, a server certificate for `hosts` (and 127.0.0.1) and a client certificate, all signed by the CA. */
export function makePki(hosts: string[]): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "fib-pki-"));
  const ssl = (...args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    ssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-days",
      "2",
      "-subj",
      "/CN=flux-image-bot test CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    );
    const leaf = (name: string, ext: string): void => {
      writeFileSync(join(dir, `${name}.ext`), ext);
      ssl("req", "-new", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`);
      ssl(
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        `${name}.crt`,
        "-days",
        "2",
        "-extfile",
        `${name}.ext`,
      );
    };
    const san = [...hosts.map((h) => `DNS:${h}`), "IP:127.0.0.1"].join(",");
    leaf("server", `basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`);
    leaf("client", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
    const read = (f: string): string => readFileSync(join(dir, f), "utf8");
    return { ca: read("ca.crt"), serverCert: read("server.crt"), serverKey: read("server.key"), clientCert: read("client.crt"), clientKey: read("client.key") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FrontRequest {
  method: string;
  path: string;
  /** The user name of a Basic Authorization header (never the password). */
  basicUser?: string;
  body: string;
}

export type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface TlsFront {
  port: number;
  requests: FrontRequest[];
  close(): Promise<void>;
}

function closer(server: net.Server): () => Promise<void> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("secureConnection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return (server.address() as AddressInfo).port;
}

/** HTTPS on 127.0.0.1 before the plain-HTTP registry at `backendPort`; `routes` ("POST /path") are answered here. */
export async function startTlsFront(o: { pki: TestPki; backendPort: number; requireClientCert?: boolean; routes?: Record<string, Route> }): Promise<TlsFront> {
  const requests: FrontRequest[] = [];
  const server = https.createServer(
    { cert: o.pki.serverCert, key: o.pki.serverKey, ca: o.pki.ca, requestCert: o.requireClientCert ?? false, rejectUnauthorized: o.requireClientCert ?? false },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const url = new URL(req.url ?? "/", "https://front");
        const auth = req.headers.authorization ?? "";
        const basicUser = auth.startsWith("Basic ") ? Buffer.from(auth.slice(6), "base64").toString("utf8").split(":")[0] : undefined;
        requests.push({ method: req.method ?? "", path: url.pathname + url.search, basicUser, body });
        const route = o.routes?.[`${req.method} ${url.pathname}`];
        if (route) return route(req, res, body);
        const up = http.request(
          { host: "127.0.0.1", port: o.backendPort, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${o.backendPort}` } },
          (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          },
        );
        up.on("error", () => res.destroy());
        up.end(body);
      });
    },
  );
  const close = closer(server);
  return { port: await listen(server), requests, close };
}

export interface ConnectProxy {
  port: number;
  /** Each CONNECT: its target and the user of its Proxy-Authorization. */
  connects: Array<{ target: string; user?: string }>;
  close(): Promise<void>;
}

/** A CONNECT-only proxy; `route` maps a target `host:port` to where it really connects (the TLS front). */
export async function startConnectProxy(o: { route: (target: string) => number | undefined; username?: string; password?: string }): Promise<ConnectProxy> {
  const connects: ConnectProxy["connects"] = [];
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req: IncomingMessage, socket: net.Socket, head: Buffer) => {
    const auth = req.headers["proxy-authorization"] ?? "";
    const [user, pass] = auth.startsWith("Basic ") ? Buffer.from(auth.slice(6), "base64").toString("utf8").split(":") : [];
    connects.push({ target: req.url ?? "", user });
    if (o.username !== undefined && (user !== o.username || pass !== o.password)) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const port = o.route(req.url ?? "");
    if (port === undefined) {
      socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const upstream = net.connect(port, "127.0.0.1", () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  const close = closer(server);
  return { port: await listen(server), connects, close };
}
