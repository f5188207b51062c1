/** The CONNECT tunnel's own bounds: a proxy that accepts and never answers, or answers without end. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { proxyAgents } from "../../../src/adapters/registry/proxy.js";

function get(agent: http.Agent, port: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent }, (res) => resolve(res.statusCode));
    req.on("error", reject);
  });
}

describe("CONNECT tunnel bounds", () => {
  const sockets = new Set<net.Socket>();
  let silent: net.Server;
  let chatty: net.Server;
  const port = (s: net.Server): number => (s.address() as AddressInfo).port;

  beforeAll(async () => {
    // accepts, reads, never answers
    silent = net.createServer((s) => void sockets.add(s));
    // answers with a head that never ends
    chatty = net.createServer((s) => {
      sockets.add(s);
      s.write("HTTP/1.1 200 OK\r\n");
      s.write(`X-Filler: ${"a".repeat(20_000)}`);
    });
    await Promise.all([silent, chatty].map((s) => new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()))));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all([silent, chatty].map((s) => new Promise<void>((r) => s.close(() => r()))));
  });

  it("gives up on a proxy that does not answer CONNECT", async () => {
    const { http: agent } = proxyAgents({ proxy: { url: new URL(`http://127.0.0.1:${port(silent)}`) }, policy: { mode: "cli", allowed: [] }, timeoutMs: 100 });
    await expect(get(agent, 5000)).rejects.toMatchObject({
      code: "registry.timeout",
      message: expect.stringContaining("did not answer CONNECT within 100 ms"),
    });
    agent.destroy();
  });

  it("refuses an answer head larger than 16 KiB", async () => {
    const { http: agent } = proxyAgents({ proxy: { url: new URL(`http://127.0.0.1:${port(chatty)}`) }, policy: { mode: "cli", allowed: [] } });
    await expect(get(agent, 5000)).rejects.toMatchObject({ code: "registry.unavailable", message: expect.stringContaining("oversized answer to CONNECT") });
    agent.destroy();
  });
});
