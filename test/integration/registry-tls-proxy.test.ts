/**
 * A real registry (Debian's docker-registry, htpasswd Basic auth) behind TLS
 * with a private CA made in the test, with and without a required client
 * certificate (mTLS), and behind a CONNECT proxy: spec.certSecretRef,
 * REGISTRY_CA_FILE and spec.proxySecretRef end to end, with the SSRF guard
 * still applied to the proxy and to its target. Skipped only when the
 * registry cannot be installed.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createRegistryAccess,
  createRegistryClient,
  loadCaFile,
  serverCredentialsFromObject,
  type LookupFunction,
  type RegistryClientOptions,
} from "../../src/adapters/registry/index.js";
import type { ImageRepository } from "../../src/core/types.js";
import { ensureDockerRegistry, startRegistry, type TestRegistry } from "../helpers/registry-server.js";
import { makePki, startConnectProxy, startTlsFront, type ConnectProxy, type TestPki, type TlsFront } from "../helpers/tls-servers.js";

const unavailable = ensureDockerRegistry();
if (unavailable) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPING TLS/proxy registry tests: ${unavailable}`);
}
const suite = unavailable ? describe.skip : describe;

const HOST = "registry.internal.test";
const MTLS_HOST = "mtls.internal.test";
const TAGS = ["1.0.0", "1.1.0", "2.0.0"];

/** Both test names resolve to loopback; anything else does not exist. */
const lookup: LookupFunction = (hostname, options, cb) => {
  if (hostname !== HOST && hostname !== MTLS_HOST && hostname !== "127.0.0.1") return cb(Object.assign(new Error("not found"), { code: "ENOTFOUND" }), "", 0);
  if (options.all) return cb(null, [{ address: "127.0.0.1", family: 4 }]);
  cb(null, "127.0.0.1", 4);
};

const repo = (spec: Partial<ImageRepository["spec"]>): ImageRepository => ({
  kind: "ImageRepository",
  apiVersion: "image.toolkit.fluxcd.io/v1",
  name: "app",
  namespace: "flux-system",
  namespaceSource: "metadata",
  labels: {},
  annotations: {},
  file: "image.yaml",
  line: 1,
  spec: { image: `${HOST}/team/app`, interval: "5m", ...spec },
});

suite("registries with a private CA, mTLS and a proxy", () => {
  let reg: TestRegistry;
  let pki: TestPki;
  let front: TlsFront;
  let mtls: TlsFront;
  let proxy: ConnectProxy;
  let base: RegistryClientOptions;

  beforeAll(async () => {
    reg = await startRegistry();
    await reg.push("team/app", TAGS);
    pki = makePki([HOST, MTLS_HOST]);
    front = await startTlsFront({ pki, backendPort: reg.port });
    mtls = await startTlsFront({ pki, backendPort: reg.port, requireClientCert: true });
    // the proxy connects what it is asked for 127.0.0.1:443 to the TLS front
    proxy = await startConnectProxy({
      route: (t) => (t === "127.0.0.1:443" || t === `${HOST}:443` ? front.port : t === `127.0.0.1:${reg.port}` ? reg.port : undefined),
      username: "proxy-user",
      password: "proxy-pass",
    });
    base = {
      mode: "server",
      allowedHosts: [HOST, MTLS_HOST],
      lookup,
      retries: 0,
      portOverride: (host, port) => (port !== 443 ? undefined : host === HOST ? front.port : host === MTLS_HOST ? mtls.port : undefined),
    };
  }, 90_000);
  afterAll(async () => {
    await proxy?.close();
    await front?.close();
    await mtls?.close();
    await reg?.stop();
  });

  const secrets = (): ReturnType<typeof serverCredentialsFromObject> =>
    serverCredentialsFromObject({
      accounts: {
        "101": {
          login: "acme",
          "reg-ca": { "ca.crt": pki.ca },
          "reg-mtls": { "ca.crt": pki.ca, "tls.crt": pki.clientCert, "tls.key": pki.clientKey },
          corp: { address: `http://127.0.0.1:${proxy.port}`, username: "proxy-user", password: "proxy-pass" },
          "corp-wrong": { address: `http://127.0.0.1:${proxy.port}`, username: "proxy-user", password: "nope" },
        },
      },
    });

  /** Lists tags as the server would for `account`'s repository. */
  async function list(r: ImageRepository, opts: Partial<RegistryClientOptions> = {}, account = "acme") {
    const o = { ...base, ...opts };
    const access = createRegistryAccess({ ...o, credentials: secrets() });
    const plan = access.prepare(account, r);
    if (!plan.ok) throw Object.assign(new Error(plan.error), { code: plan.code });
    const client = createRegistryClient(o);
    return client.listTags(r.spec.image, {
      insecure: r.spec.insecure,
      credentials: { username: reg.username, password: reg.password },
      ...(await plan.load()),
    });
  }

  it("refuses a registry whose certificate is not trusted, saying what to set", async () => {
    const err = (await list(repo({})).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: "registry.tls", retryable: false });
    expect(err.message).toContain(`the TLS certificate of ${HOST} is not trusted`);
    expect(err.message).toContain("spec.certSecretRef");
  });

  it("trusts the private CA of spec.certSecretRef (the system roots stay trusted)", async () => {
    const r = await list(repo({ certSecretRef: { name: "reg-ca" } }));
    expect([...r.tags].sort()).toEqual(TAGS);
    expect(front.requests.some((q) => q.basicUser === reg.username)).toBe(true);
  });

  it("trusts the operator's REGISTRY_CA_FILE for every repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fib-ca-"));
    try {
      writeFileSync(join(dir, "ca.pem"), pki.ca);
      const r = await list(repo({}), { operatorCa: loadCaFile(join(dir, "ca.pem")) });
      expect([...r.tags].sort()).toEqual(TAGS);
      writeFileSync(join(dir, "bad.pem"), "hello");
      expect(() => loadCaFile(join(dir, "bad.pem"))).toThrow(/^REGISTRY_CA_FILE: .* holds no PEM certificate/);
      expect(() => loadCaFile(join(dir, "missing.pem"))).toThrow(/^REGISTRY_CA_FILE: cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("mTLS: refused without a client certificate, works with tls.crt and tls.key", async () => {
    const image = `${MTLS_HOST}/team/app`;
    const without = (await list(repo({ image, certSecretRef: { name: "reg-ca" } })).catch((e: unknown) => e)) as { code?: string };
    expect(without).toMatchObject({ code: "registry.tls", message: expect.stringContaining("put tls.crt and tls.key in the spec.certSecretRef secret") });
    const r = await list(repo({ image, certSecretRef: { name: "reg-mtls" } }));
    expect([...r.tags].sort()).toEqual(TAGS);
  });

  it("goes through the proxy of spec.proxySecretRef with CONNECT to the checked address, TLS end to end", async () => {
    const before = proxy.connects.length;
    const r = await list(repo({ certSecretRef: { name: "reg-ca" }, proxySecretRef: { name: "corp" } }), { allowedHosts: [HOST, `127.0.0.1:${proxy.port}`] });
    expect([...r.tags].sort()).toEqual(TAGS);
    const made = proxy.connects.slice(before);
    expect(made.length).toBeGreaterThanOrEqual(1);
    // server mode pins the address it checked, so DNS cannot steer the proxy elsewhere
    expect(new Set(made.map((c) => `${c.target} ${c.user}`))).toEqual(new Set(["127.0.0.1:443 proxy-user"]));
  });

  it("tunnels plain HTTP too (spec.insecure) through the proxy", async () => {
    const before = proxy.connects.length;
    const r = await list(repo({ image: `127.0.0.1:${reg.port}/team/app`, insecure: true, proxySecretRef: { name: "corp" } }), {
      allowedHosts: [`127.0.0.1:${reg.port}`, `127.0.0.1:${proxy.port}`],
    });
    expect([...r.tags].sort()).toEqual(TAGS);
    expect(proxy.connects.slice(before).map((c) => c.target)).toContain(`127.0.0.1:${reg.port}`);
  });

  it("the CLI asks the proxy for the registry's name", async () => {
    const before = proxy.connects.length;
    const client = createRegistryClient({ ...base, mode: "cli" });
    const connection = { ca: [pki.ca], proxy: { url: new URL(`http://127.0.0.1:${proxy.port}`), username: "proxy-user", password: "proxy-pass" } };
    const r = await client.listTags(`${HOST}/team/app`, { credentials: { username: reg.username, password: reg.password }, connection });
    expect(r.tags).toHaveLength(3);
    expect(proxy.connects.slice(before).map((c) => c.target)).toContain(`${HOST}:443`);
  });

  it("a proxy on a private address must be allowed by the operator; the target is still checked", async () => {
    const r = repo({ certSecretRef: { name: "reg-ca" }, proxySecretRef: { name: "corp" } });
    const before = proxy.connects.length;
    await expect(list(r)).rejects.toMatchObject({ code: "registry.forbidden-address", message: expect.stringContaining("127.0.0.1") });
    await expect(list(r, { allowedHosts: [`127.0.0.1:${proxy.port}`] })).rejects.toMatchObject({
      code: "registry.forbidden-address",
      message: expect.stringContaining(HOST),
    });
    expect(proxy.connects.length).toBe(before);
  });

  it("a proxy that is down is registry.unavailable naming the proxy", async () => {
    const closed = await startConnectProxy({ route: () => undefined });
    await closed.close();
    const client = createRegistryClient({ ...base, mode: "cli" });
    const connection = { ca: [pki.ca], proxy: { url: new URL(`http://127.0.0.1:${closed.port}`) } };
    await expect(client.listTags(`${HOST}/team/app`, { connection })).rejects.toMatchObject({
      code: "registry.unavailable",
      message: expect.stringContaining(`cannot reach the proxy 127.0.0.1:${closed.port} (ECONNREFUSED)`),
    });
  });

  it("a proxy refusing its credentials is registry.auth naming the secret", async () => {
    const r = repo({ certSecretRef: { name: "reg-ca" }, proxySecretRef: { name: "corp-wrong" } });
    const err = (await list(r, { allowedHosts: [HOST, `127.0.0.1:${proxy.port}`] }).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: "registry.auth" });
    expect(err.message).toContain("spec.proxySecretRef (HTTP 407)");
    expect(err.message).not.toContain("nope");
  });
});
