/**
 * spec.provider host checks (fluxcd/pkg auth/{aws,gcp,azure} patterns), the
 * provider token cache, who may use the operator's cloud identity, and the
 * certSecretRef / proxySecretRef secrets. No network: providers are fakes here;
 * test/integration/cloud-providers.test.ts runs the real SDKs.
 */
import { describe, expect, it } from "@jest/globals";
import { createRegistryAccess, serverCredentialsFromObject } from "../../../src/adapters/registry/index.js";
import { ecrRegion } from "../../../src/adapters/registry/providers/aws.js";
import { acrScope, jwtExpiry } from "../../../src/adapters/registry/providers/azure.js";
import {
  defaultProviders,
  ProviderTokens,
  type CloudProvider,
  type CloudProviderName,
  type ProviderSet,
} from "../../../src/adapters/registry/providers/index.js";
import { proxyFromSecret } from "../../../src/adapters/registry/proxy.js";
import { tlsFromSecret } from "../../../src/adapters/registry/tls.js";
import type { ImageRepository } from "../../../src/core/types.js";
import { makePki } from "../../helpers/tls-servers.js";

const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

describe("provider hosts (fluxcd/pkg auth ParseArtifactRepository)", () => {
  const providers = defaultProviders();
  const serves = (p: CloudProviderName, host: string): boolean => providers.get(p).keyFor(host) !== undefined;

  it.each([
    ["aws", ECR, true],
    ["aws", "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", true],
    ["aws", "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", true],
    ["aws", "123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov", true],
    ["aws", "public.ecr.aws", true],
    ["aws", `${ECR}.evil.example`, false],
    ["aws", `evil.example`, false],
    ["aws", `${ECR}:5000`, false],
    ["aws", "123456789012.dkr.ecr.not_a_region.amazonaws.com", false],
    ["aws", "123456789012.dkr.ecr.x.amazonaws.com", false],
    ["gcp", "gcr.io", true],
    ["gcp", "eu.gcr.io", true],
    ["gcp", "europe-docker.pkg.dev", true],
    ["gcp", "europe-docker.pkg.dev.evil.example", false],
    ["gcp", "ghcr.io", false],
    ["azure", "myreg.azurecr.io", true],
    ["azure", "myreg.azurecr.cn", true],
    ["azure", "myreg.azurecr.us", true],
    ["azure", "azurecr.io", false],
    ["azure", "myreg.azurecr.io.evil.example", false],
    ["gcp", ECR, false],
    ["azure", "gcr.io", false],
  ] as const)("%s serves %s: %s", (p, host, ok) => {
    expect(serves(p, host)).toBe(ok);
  });

  it("takes the ECR region from the host, public ECR apart", () => {
    expect(ecrRegion(ECR)).toBe("eu-west-1");
    expect(ecrRegion("public.ecr.aws")).toBe("public.ecr.aws");
  });

  it("asks Entra ID for the Resource Manager scope of the registry's cloud", () => {
    expect(acrScope("a.azurecr.io")).toBe("https://management.azure.com/.default");
    expect(acrScope("a.azurecr.cn")).toBe("https://management.chinacloudapi.cn/.default");
    expect(acrScope("a.azurecr.us")).toBe("https://management.usgovcloudapi.net/.default");
  });

  it("reads exp from an ACR refresh token", () => {
    const jwt = (payload: object): string => `e30.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.x`;
    expect(jwtExpiry(jwt({ exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
    expect(jwtExpiry(jwt({}))).toBeUndefined();
    expect(jwtExpiry("opaque")).toBeUndefined();
  });
});

/** One fake provider for every name, counting fetches. */
function fakeProviders(lifetimeMs: number, clock: { now: number }, fail = false): ProviderSet & { calls: string[] } {
  const calls: string[] = [];
  const real = defaultProviders();
  return {
    calls,
    get(name): CloudProvider {
      return {
        ...real.get(name),
        async fetch(registry) {
          calls.push(`${name} ${registry}`);
          if (fail) throw Object.assign(new Error("no credentials in the chain"), { name: "CredentialsProviderError" });
          return { username: `${name}-user`, password: `token-${calls.length}`, expiresAt: clock.now + lifetimeMs };
        },
      };
    },
  };
}

const ctx = { exchange: async (): Promise<unknown> => ({}) };

describe("ProviderTokens", () => {
  it("fetches once, serves from the cache, and refreshes shortly before expiry", async () => {
    const clock = { now: 1_000_000 };
    const fakes = fakeProviders(12 * 3600_000, clock);
    const tokens = new ProviderTokens(fakes, () => clock.now);
    const first = await Promise.all([tokens.credentials("aws", ECR, ctx), tokens.credentials("aws", ECR, ctx)]);
    expect(first).toEqual([
      { username: "aws-user", password: "token-1" },
      { username: "aws-user", password: "token-1" },
    ]);
    clock.now += 12 * 3600_000 - 6 * 60_000; // six minutes left: still good
    await expect(tokens.credentials("aws", ECR, ctx)).resolves.toMatchObject({ password: "token-1" });
    clock.now += 2 * 60_000; // four minutes left: refreshed
    await expect(tokens.credentials("aws", ECR, ctx)).resolves.toMatchObject({ password: "token-2" });
    expect(fakes.calls).toEqual([`aws ${ECR}`, `aws ${ECR}`]);
    // another region is another token
    await tokens.credentials("aws", "123456789012.dkr.ecr.us-east-1.amazonaws.com", ctx);
    expect(fakes.calls).toHaveLength(3);
  });

  it("refuses a host the provider does not serve without fetching, and names the SDK's failure", async () => {
    const clock = { now: 0 };
    const fakes = fakeProviders(3600_000, clock, true);
    const tokens = new ProviderTokens(fakes, () => clock.now);
    await expect(tokens.credentials("gcp", ECR, ctx)).rejects.toMatchObject({
      code: "registry.auth",
      message: expect.stringContaining("does not serve the registry"),
    });
    expect(fakes.calls).toEqual([]);
    const err = (await tokens.credentials("gcp", "gcr.io", ctx).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: "registry.auth", retryable: true });
    expect(err.message).toContain("CredentialsProviderError: no credentials in the chain");
    expect(err.message).toContain("Google application default credentials");
  });
});

describe("ProviderTokens time bound", () => {
  it("gives up on a token service that does not answer, aborting the SDK call, and fetches again next time", async () => {
    const signals: AbortSignal[] = [];
    const hanging: ProviderSet = {
      get: (name) => ({ ...defaultProviders().get(name), fetch: (_r, c) => (signals.push(c.signal!), new Promise(() => {})) }),
    };
    const tokens = new ProviderTokens(hanging, Date.now, 50);
    await expect(tokens.credentials("aws", ECR, ctx)).rejects.toMatchObject({
      code: "registry.timeout",
      retryable: true,
      message: expect.stringContaining("aws did not issue registry credentials"),
    });
    expect(signals[0]!.aborted).toBe(true);
    await expect(tokens.credentials("aws", ECR, ctx)).rejects.toMatchObject({ code: "registry.timeout" });
    expect(tokens.fetches).toBe(2);
  });
});

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
  spec: { image: `${ECR}/team/app`, interval: "5m", ...spec },
});

describe("RegistryAccess on the server", () => {
  const pki = makePki(["registry.example"]);
  const file = serverCredentialsFromObject({
    accounts: {
      "101": {
        login: "acme",
        "reg-ca": { "ca.crt": pki.ca },
        mtls: { "ca.crt": pki.ca, "tls.crt": pki.clientCert, "tls.key": pki.clientKey },
        corp: { address: "http://proxy.example:3128", username: "u", password: "p" },
        broken: { "tls.crt": pki.clientCert },
      },
    },
    providers: { Other: ["gcp"], scoped: { aws: [ECR.toUpperCase()] }, all: { azure: true } },
  });
  const clock = { now: 0 };
  const fakes = fakeProviders(3600_000, clock);
  const access = createRegistryAccess({ mode: "server", credentials: file, providerAccounts: ["acme", "solo:aws"], providers: fakes, now: () => clock.now });

  it("lets allowed accounts use the operator's identity, and no one else", async () => {
    for (const account of ["acme", "ACME", "solo"]) {
      const plan = access.prepare(account, repo({ provider: "aws" }));
      expect(plan).toMatchObject({ ok: true, identity: "provider-aws", suffix: "" });
      if (!plan.ok) throw new Error("unreachable");
      await expect(plan.load()).resolves.toMatchObject({ credentials: { username: "aws-user" } });
    }
    // jobs carry `<id>/<login>`: the allow-list matches either
    expect(access.prepare("555/acme", repo({ provider: "aws" }))).toMatchObject({ ok: true });
    const byId = createRegistryAccess({ mode: "server", credentials: file, providerAccounts: ["555"], providers: fakes, now: () => clock.now });
    expect(byId.prepare("555/renamed", repo({ provider: "aws" }))).toMatchObject({ ok: true });
    expect(byId.prepare("556/acme", repo({ provider: "aws" }))).toMatchObject({ ok: false, code: "registry.provider-not-allowed" });
    expect(access.prepare("scoped", repo({ provider: "aws" }))).toMatchObject({ ok: true });
    expect(access.prepare("other", repo({ provider: "gcp", image: "europe-docker.pkg.dev/p/r/app" }))).toMatchObject({ ok: true });
    expect(access.prepare("all", repo({ provider: "azure", image: "x.azurecr.io/app" }))).toMatchObject({ ok: true });

    const refused = access.prepare("mallory", repo({ provider: "aws" }));
    expect(refused).toMatchObject({ ok: false, code: "registry.provider-not-allowed" });
    expect(!refused.ok && refused.error).toContain('REGISTRY_PROVIDER_ACCOUNTS=mallory:aws, or "providers": {"mallory": ["aws"]}');
    expect(access.prepare("solo", repo({ provider: "gcp", image: "gcr.io/p/app" }))).toMatchObject({ ok: false, code: "registry.provider-not-allowed" });
    expect(access.prepare("other", repo({ provider: "aws" }))).toMatchObject({ ok: false });
    expect(access.prepare(undefined, repo({ provider: "aws" }))).toMatchObject({ ok: false });
    const elsewhere = access.prepare("scoped", repo({ provider: "aws", image: "999999999999.dkr.ecr.eu-west-1.amazonaws.com/app" }));
    expect(!elsewhere.ok && elsewhere.error).toContain(`may use only for ${ECR}`);
  });

  it("refuses a provider for a host it does not serve, even for an allowed account", () => {
    const plan = access.prepare("acme", repo({ provider: "aws", image: "ghcr.io/acme/app" }));
    expect(plan).toMatchObject({ ok: false, code: "registry.provider-not-allowed" });
    expect(!plan.ok && plan.error).toContain("spec.provider aws does not serve the registry ghcr.io");
  });

  it("lets secretRef win over provider, as Flux does, and ignores generic", () => {
    expect(access.prepare("mallory", repo({ provider: "aws", secretRef: { name: "x" } }))).toMatchObject({ ok: true, suffix: "" });
    expect(access.prepare("mallory", repo({ provider: "generic" }))).toMatchObject({ ok: true, suffix: "" });
    expect(access.prepare("mallory", repo({ provider: "aws", secretRef: { name: "x" } }))).not.toHaveProperty("identity");
  });

  it("reads certSecretRef and proxySecretRef from the account's secrets only", async () => {
    const plan = access.prepare("acme", repo({ certSecretRef: { name: "mtls" }, proxySecretRef: { name: "corp" } }));
    expect(plan).toMatchObject({ ok: true, suffix: expect.stringMatching(/^\+conn-[0-9a-f]{16}$/) });
    if (!plan.ok) throw new Error("unreachable");
    const { connection } = await plan.load();
    expect(connection).toMatchObject({
      ca: [expect.stringContaining("BEGIN CERTIFICATE")],
      cert: pki.clientCert,
      key: pki.clientKey,
      proxy: { username: "u", password: "p" },
    });
    const other = access.prepare("acme", repo({ certSecretRef: { name: "reg-ca" } }));
    expect(other.ok && other.suffix).not.toBe(plan.suffix);

    const stranger = access.prepare("mallory", repo({ certSecretRef: { name: "reg-ca" } }));
    expect(stranger).toMatchObject({ ok: false, code: "registry.no-credentials" });
    expect(!stranger.ok && stranger.error).toContain('no secret named "reg-ca" (spec.certSecretRef)');
    expect(access.prepare("acme", repo({ proxySecretRef: { name: "nope" } }))).toMatchObject({ ok: false, code: "registry.no-credentials" });
    const broken = access.prepare("acme", repo({ certSecretRef: { name: "broken" } }));
    expect(broken).toMatchObject({ ok: false, code: "registry.invalid-secret" });
    expect(JSON.stringify(broken)).not.toContain("BEGIN");
  });

  it("in the CLI: the caller's identity for any account, host checks still apply, no secrets", () => {
    const cli = createRegistryAccess({ mode: "cli", providers: fakes });
    expect(cli.prepare(undefined, repo({ provider: "aws" }))).toMatchObject({ ok: true, identity: "provider-aws" });
    expect(cli.prepare(undefined, repo({ provider: "gcp" }))).toMatchObject({ ok: false });
    expect(cli.prepare(undefined, repo({ certSecretRef: { name: "x" } }))).toMatchObject({ ok: true, suffix: "" });
  });
});

describe("secrets", () => {
  const pki = makePki(["registry.example"]);

  it("certSecretRef: Flux's keys (and the deprecated ones), both halves of a client certificate, PEM that parses", () => {
    expect(tlsFromSecret({ caFile: pki.ca, certFile: pki.clientCert, keyFile: pki.clientKey }, "s")).toMatchObject({
      cert: pki.clientCert,
      key: pki.clientKey,
    });
    expect(() => tlsFromSecret({}, "s")).toThrow('the secret "s" has none of ca.crt, tls.crt, tls.key');
    expect(() => tlsFromSecret({ "tls.key": pki.clientKey }, "s")).toThrow("both tls.crt and tls.key");
    expect(() => tlsFromSecret({ "ca.crt": "not a pem" }, "s")).toThrow("holds no PEM certificate");
    expect(() => tlsFromSecret({ "ca.crt": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" }, "s")).toThrow("does not parse");
    expect(() => tlsFromSecret({ "tls.crt": pki.clientCert, "tls.key": "garbage" }, "s")).toThrow("not a PEM private key");
  });

  it("proxySecretRef: address with optional credentials (in the secret or the URL), http or https only", () => {
    expect(proxyFromSecret({ address: "http://proxy:3128", username: "u", password: "p" }, "s")).toMatchObject({ username: "u", password: "p" });
    const fromUrl = proxyFromSecret({ address: "https://a%40b:p%3Ass@proxy:8443" }, "s");
    expect(fromUrl).toMatchObject({ username: "a@b", password: "p:ss" });
    expect(fromUrl.url.href).toBe("https://proxy:8443/");
    expect(() => proxyFromSecret({}, "s")).toThrow("has no address");
    expect(() => proxyFromSecret({ address: "socks5://proxy:1080" }, "s")).toThrow("http:// or https://");
    expect(() => proxyFromSecret({ address: "::" }, "s")).toThrow("not a URL");
  });
});
