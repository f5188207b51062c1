/**
 * Issue 12 items 3 and 4: a registry cannot grow the process-wide token
 * cache without bound (new scope or realm on every page, huge tokens), nor
 * make the bot hand its credentials to another origin (a 307/308 that keeps
 * the identity-token POST body, a token realm on somebody else's host).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { IncomingMessage, ServerResponse } from "node:http";
import { mayReceiveCredentials } from "../../src/adapters/registry/auth.js";
import { createRegistryClient } from "../../src/adapters/registry/index.js";
import { json, startFake, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import { flood, loopbackDns, PAGES, TOKEN_CHARS } from "./token-flood.js";

describe("the registry token cache under a token flood", () => {
  let reg: FakeRegistry;
  beforeAll(async () => {
    reg = await startFake();
  });
  afterAll(async () => {
    await reg?.close();
  });

  it("caches no token for a scope the bot did not ask for (a new scope on every page)", async () => {
    reg.setHandler(
      flood(
        () => reg.origin,
        (n) => `repository:org/app:pull repository:org/other${n}:pull`,
        TOKEN_CHARS,
      ),
    );
    const client = createRegistryClient({ mode: "cli", retries: 0 });
    const r = await client.listTags(`${reg.host}/org/app`, { insecure: true });
    expect(r.tags).toHaveLength(PAGES);
    // before: every page's token stayed for the life of the process (1.2 MB per scan here, 56 MB with 900 KB tokens)
    expect(client.cacheStats!()).toEqual({ tokens: 0, tokenBytes: 0 });
  });

  it("keeps the cache within its byte budget when every page names a new realm", async () => {
    reg.setHandler(
      flood(
        () => reg.origin,
        () => "repository:org/app:pull",
        TOKEN_CHARS,
      ),
    );
    const budget = 256 * 1024;
    const client = createRegistryClient({ mode: "cli", retries: 0, tokenCacheBytes: budget });
    for (let scan = 0; scan < 3; scan++) {
      const r = await client.listTags(`${reg.host}/org/app`, { insecure: true });
      expect(r.tags).toHaveLength(PAGES);
    }
    const stats = client.cacheStats!();
    expect(stats.tokenBytes).toBeLessThanOrEqual(budget);
    expect(stats.tokens).toBeGreaterThan(0);
    process.stdout.write(
      `token flood: 3 scans x ${PAGES} realms x ${TOKEN_CHARS} B tokens; cache holds ${stats.tokens} tokens, ${stats.tokenBytes} B (budget ${budget} B, unbounded before: ${3 * PAGES * TOKEN_CHARS} B)\n`,
    );
  });

  it("refuses a 900 KB token instead of keeping it", async () => {
    reg.setHandler(
      flood(
        () => reg.origin,
        () => "repository:org/app:pull",
        900 * 1024,
      ),
    );
    const client = createRegistryClient({ mode: "cli", retries: 0 });
    await expect(client.listTags(`${reg.host}/org/app`, { insecure: true })).rejects.toMatchObject({
      code: "registry.invalid-response",
      message: expect.stringMatching(/larger than (65536 characters|262144 bytes)/),
    });
    expect(client.cacheStats!()).toEqual({ tokens: 0, tokenBytes: 0 });
    // a token under the answer's cap but over 64 Ki characters is refused too
    reg.setHandler(
      flood(
        () => reg.origin,
        () => "repository:org/app:pull",
        100 * 1024,
      ),
    );
    await expect(client.listTags(`${reg.host}/org/app`, { insecure: true })).rejects.toMatchObject({
      code: "registry.invalid-response",
      message: expect.stringContaining("larger than 65536 characters"),
    });
  });
});

describe("credentials stay with the registry", () => {
  let reg: FakeRegistry;
  let thief: FakeRegistry;
  beforeAll(async () => {
    thief = await startFake((_q, res) => json(res, 200, { token: "stolen" }));
    reg = await startFake();
  });
  afterAll(async () => {
    await reg?.close();
    await thief?.close();
  });

  const challengeTo = (realm: () => string) => (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname.startsWith("/token")) return json(res, 200, { token: "good" });
    if (req.headers.authorization === "Bearer good") return json(res, 200, { name: "org/app", tags: ["v1"] });
    json(res, 401, {}, { "www-authenticate": `Bearer realm="${realm()}",service="reg",scope="repository:org/app:pull"` });
  };

  it("does not follow a 307 that would resend the identity token to another origin", async () => {
    reg.setHandler((req, res, url) => {
      if (url.pathname === "/token") {
        res.writeHead(307, { location: `${thief.origin}/steal` });
        return void res.end();
      }
      return challengeTo(() => `${reg.origin}/token`)(req, res, url);
    });
    const client = createRegistryClient({ mode: "cli", retries: 0 });
    const before = thief.requests.length;
    await expect(client.listTags(`${reg.host}/org/app`, { insecure: true, credentials: { identityToken: "idt-secret" } })).rejects.toMatchObject({
      code: "registry.invalid-response",
      message: expect.stringContaining("another origin"),
    });
    expect(thief.requests.slice(before)).toEqual([]);
  });

  it("follows a 307 on the same origin with the body", async () => {
    reg.setHandler((req, res, url) => {
      if (url.pathname === "/token" && req.method === "POST") {
        res.writeHead(307, { location: "/token2" });
        return void res.end();
      }
      return challengeTo(() => `${reg.origin}/token`)(req, res, url);
    });
    const client = createRegistryClient({ mode: "cli", retries: 0 });
    const r = await client.listTags(`${reg.host}/org/app`, { insecure: true, credentials: { identityToken: "idt-secret" } });
    expect(r.tags).toEqual(["v1"]);
    expect(reg.requests.some((q) => q.path === "/token2" && q.method === "POST" && q.body.includes("refresh_token=idt-secret"))).toBe(true);
  });

  it("sends Basic credentials only to realms on the registry's host, its parent domain or an allowed host", async () => {
    const registry = `registry.example.test:${reg.port}`;
    const basic = { username: "bot", password: "pw-secret" };
    const attempt = async (realmHost: string, credentialHosts: string[] = []) => {
      reg.setHandler(challengeTo(() => `http://${realmHost}:${thief.port}/token`));
      const client = createRegistryClient({ mode: "cli", retries: 0, lookup: loopbackDns, credentialHosts });
      const before = thief.requests.length;
      const outcome = await client.listTags(`${registry}/org/app`, { insecure: true, credentials: basic }).then(
        () => "ok",
        (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
      );
      return { outcome, sent: thief.requests.slice(before).map((q) => q.authorization ?? "none") };
    };
    const elsewhere = await attempt("collector.evil.test");
    expect(elsewhere.outcome).toMatch(/^registry\.auth: .*collector\.evil\.test.*REGISTRY_CREDENTIAL_HOSTS/);
    expect(elsewhere.sent).toEqual([]);
    // a sibling under the registry's parent domain (auth.docker.io for registry-1.docker.io)
    const sibling = await attempt("auth.example.test");
    expect(sibling.sent).toEqual([`Basic ${Buffer.from("bot:pw-secret").toString("base64")}`]);
    // the thief's token is not what the registry accepts: the point is only where the credentials went
    const allowed = await attempt("collector.evil.test", ["collector.evil.test"]);
    expect(allowed.sent).toHaveLength(1);
  });
});

describe("mayReceiveCredentials", () => {
  it.each([
    ["auth.docker.io", "registry-1.docker.io", [], true],
    ["gitlab.com", "registry.gitlab.com", [], true],
    ["ghcr.io", "ghcr.io", [], true],
    ["myreg.azurecr.io", "myreg.azurecr.io", [], true],
    ["evil.io", "ghcr.io", [], false],
    ["auth.example.com", "quay.io", [], false],
    ["127.0.0.2", "127.0.0.1", [], false],
    ["login.example.com", "quay.io", ["login.example.com"], true],
  ] as Array<[string, string, string[], boolean]>)("realm %s for registry %s (allowed %j): %s", (realm, registry, extra, expected) => {
    expect(mayReceiveCredentials(realm, registry, extra)).toBe(expected);
  });
});
