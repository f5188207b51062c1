import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createRegistryClient, isForbiddenAddress } from "../../../src/adapters/registry/index.js";
import { fakeDns, json, startFake, type FakeRegistry } from "./fake-registry.js";

let fake: FakeRegistry;
beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await fake.close();
});

describe("isForbiddenAddress", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.0.1",
    "100.64.0.1",
    "100.127.255.255",
    "169.254.169.254",
    "169.254.1.1",
    "0.0.0.0",
    "::",
    "::1",
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:a9fe:a9fe",
    "64:ff9b::7f00:1",
    "[::1]",
    "224.0.0.1",
    "255.255.255.255",
  ])("refuses %s", (a) => expect(isForbiddenAddress(a)).toBe(true));
  it.each(["8.8.8.8", "140.82.112.33", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows %s", (a) =>
    expect(isForbiddenAddress(a)).toBe(false),
  );
});

describe("server mode refuses non-public targets", () => {
  const server = (extra: Parameters<typeof createRegistryClient>[0] extends infer O ? Partial<O> : never = {}) =>
    createRegistryClient({ mode: "server", retries: 0, sleep: async () => undefined, ...extra });

  it.each(["127.0.0.1", "169.254.169.254", "[::1]", "10.1.2.3", "[::ffff:127.0.0.1]", "metadata.google.internal", "localhost:5000", "[fd00:ec2::254]"])(
    "%s",
    async (host) => {
      await expect(server().listTags(`${host}/team/app`)).rejects.toMatchObject({ code: "registry.forbidden-address", retryable: false });
    },
  );

  it("a host name that resolves to a private address (checked at connect time)", async () => {
    const lookup = fakeDns({ "evil.example.com": ["8.8.8.8", "10.0.0.7"] });
    await expect(server({ lookup }).listTags("evil.example.com/team/app")).rejects.toMatchObject({ code: "registry.forbidden-address" });
    const lookup2 = fakeDns({ "rebind.example.com": ["127.0.0.1"] });
    await expect(server({ lookup: lookup2 }).listTags(`rebind.example.com:${fake.port}/team/app`, { insecure: true })).rejects.toMatchObject({
      code: "registry.forbidden-address",
    });
  });

  it("allowedHosts lets a listed host:port through (name and literal)", async () => {
    fake.setHandler((_q, res) => json(res, 200, { tags: ["a"] }));
    const lookup = fakeDns({ "registry.internal": ["127.0.0.1"] });
    const byName = server({ lookup, allowedHosts: [`registry.internal:${fake.port}`] });
    await expect(byName.listTags(`registry.internal:${fake.port}/team/app`, { insecure: true })).resolves.toMatchObject({ tags: ["a"] });
    const byIp = server({ allowedHosts: ["127.0.0.1"] });
    await expect(byIp.listTags(`${fake.host}/team/app`, { insecure: true })).resolves.toMatchObject({ tags: ["a"] });
    const wrongPort = server({ allowedHosts: ["127.0.0.1:1"] });
    await expect(wrongPort.listTags(`${fake.host}/team/app`, { insecure: true })).rejects.toMatchObject({ code: "registry.forbidden-address" });
  });

  it("a redirect to a private address", async () => {
    const lookup = fakeDns({ "good.test": ["127.0.0.1"], "evil.test": ["127.0.0.1"] });
    const c = server({ lookup, allowedHosts: [`good.test:${fake.port}`] });
    fake.setHandler((_q, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${fake.port}/v2/team/app/tags/list` });
      res.end();
    });
    await expect(c.listTags(`good.test:${fake.port}/team/app`, { insecure: true })).rejects.toMatchObject({ code: "registry.forbidden-address" });
    fake.setHandler((_q, res) => {
      res.writeHead(307, { location: `http://evil.test:${fake.port}/v2/team/app/tags/list` });
      res.end();
    });
    await expect(c.listTags(`good.test:${fake.port}/team/app`, { insecure: true })).rejects.toMatchObject({ code: "registry.forbidden-address" });
    fake.setHandler((_q, res) => {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" });
      res.end();
    });
    await expect(c.listTags(`good.test:${fake.port}/team/app`, { insecure: true })).rejects.toMatchObject({ code: "registry.forbidden-address" });
  });

  it("a Link next URL or a token realm pointing at a private address", async () => {
    const lookup = fakeDns({ "good.test": ["127.0.0.1"] });
    const c = server({ lookup, allowedHosts: [`good.test:${fake.port}`] });
    fake.setHandler((_q, res) => json(res, 200, { tags: ["a"] }, { link: '<http://10.0.0.1/v2/team/app/tags/list?last=a>; rel="next"' }));
    await expect(c.listTags(`good.test:${fake.port}/team/app`, { insecure: true })).rejects.toMatchObject({ code: "registry.forbidden-address" });
    fake.setHandler((_q, res) => json(res, 401, {}, { "www-authenticate": 'Bearer realm="http://169.254.169.254/token",service="x"' }));
    await expect(c.listTags(`good.test:${fake.port}/team/app`, { insecure: true })).rejects.toMatchObject({ code: "registry.forbidden-address" });
  });

  it("follows at most 5 redirects", async () => {
    let n = 0;
    fake.setHandler((_q, res) => {
      n++;
      res.writeHead(302, { location: `/v2/team/app/tags/list?hop=${n}` });
      res.end();
    });
    const c = createRegistryClient({ mode: "cli", retries: 0 });
    await expect(c.listTags(`${fake.host}/team/app`, { insecure: true })).rejects.toMatchObject({ code: "registry.invalid-response" });
    expect(n).toBe(6);
  });

  it("HTTPS registries may not redirect to plain HTTP", async () => {
    const c = createRegistryClient({ mode: "cli", retries: 0 });
    // https to the plain HTTP fake fails at TLS; the scheme rule is checked on the redirect path in the http unit
    await expect(c.listTags(`${fake.host}/team/app`)).rejects.toMatchObject({ code: expect.stringMatching(/^registry\./) });
  });
});

describe("CLI mode allows private targets", () => {
  it("127.0.0.1 and names resolving to loopback", async () => {
    fake.setHandler((_q, res) => json(res, 200, { tags: ["a"] }));
    const c = createRegistryClient({ mode: "cli", lookup: fakeDns({ "reg.local": ["127.0.0.1"] }) });
    await expect(c.listTags(`${fake.host}/team/app`, { insecure: true })).resolves.toMatchObject({ tags: ["a"] });
    await expect(c.listTags(`reg.local:${fake.port}/team/app`, { insecure: true })).resolves.toMatchObject({ tags: ["a"] });
  });
});
