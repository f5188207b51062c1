/** An in-test HTTP server on 127.0.0.1 whose routes each test defines, and a DNS answering from a table. */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "../../../src/adapters/registry/index.js";

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => unknown;

export interface FakeRegistry {
  port: number;
  host: string;
  origin: string;
  requests: Array<{ method: string; path: string; authorization?: string; body: string }>;
  setHandler(h: Handler): void;
  close(): Promise<void>;
}

export async function startFake(
  handler: Handler = (_q, r) => {
    r.end();
  },
): Promise<FakeRegistry> {
  let current = handler;
  const requests: FakeRegistry["requests"] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      requests.push({ method: req.method ?? "", path: url.pathname + url.search, authorization: req.headers.authorization, body });
      Promise.resolve(current(req, res, url)).catch(() => res.destroy());
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    host: `127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    setHandler(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** A DNS that answers from a table (and fails for anything else). */
export function fakeDns(table: Record<string, string[]>): LookupFunction {
  return (hostname, options, cb) => {
    const list = table[hostname];
    if (!list) return cb(Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" }), "", 0);
    const addrs: LookupAddress[] = list.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    if (options.all) cb(null, addrs);
    else cb(null, addrs[0]!.address, addrs[0]!.family);
  };
}
