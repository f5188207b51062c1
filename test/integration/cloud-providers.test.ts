/**
 * spec.provider end to end: the server's ImageScanner lists the tags of a real
 * registry (Debian's docker-registry behind Basic auth, behind TLS with a
 * private CA) that answers to an ECR, an ECR Public, an Artifact Registry and
 * an ACR host name, with the credentials the providers' own SDKs make. The
 * token services are faked where the SDKs let an endpoint be set:
 * `AWS_ENDPOINT_URL_ECR` / `AWS_ENDPOINT_URL_ECR_PUBLIC`, `GCE_METADATA_HOST`,
 * and Azure's App Service managed identity endpoint (`IDENTITY_ENDPOINT`);
 * ACR's `/oauth2/exchange` is answered by the TLS front of the registry. Each:
 * token fetched, cached, refreshed on expiry, refused for an account or a host
 * the operator did not allow.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createRegistryAccess,
  createRegistryClient,
  credentialIdentity,
  serverCredentialsFromObject,
  type LookupFunction,
} from "../../src/adapters/registry/index.js";
import { MemoryScanCache, scanCacheKey } from "../../src/adapters/scan-cache/index.js";
import { ImageScanner } from "../../src/app/image-scanner.js";
import { liveTagSource } from "../../src/cli/tag-sources.js";
import type { ImageRepository } from "../../src/core/types.js";
import { json, startFake, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import { ensureDockerRegistry, startRegistry, type TestRegistry } from "../helpers/registry-server.js";
import { makePki, startTlsFront, type TlsFront } from "../helpers/tls-servers.js";

const unavailable = ensureDockerRegistry();
if (unavailable) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPING cloud provider tests: ${unavailable}`);
}
const suite = unavailable ? describe.skip : describe;

const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const GAR = "europe-docker.pkg.dev";
const ACR = "fluxbot.azurecr.io";
const ECR_PUBLIC = "public.ecr.aws";
const HOSTS = [ECR, ECR_PUBLIC, GAR, ACR];
const TAGS = ["1.0.0", "1.2.0", "2.0.0-rc.1"];

// the passwords the registry's htpasswd holds: what each fake token service issues (under bcrypt's 72 bytes)
const ECR_PASSWORD = "ecr-token-PASSWORD";
const GCP_TOKEN = "ya29.gcp-access-token";
const ACR_REFRESH = `e30.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3 * 3600 })).toString("base64url")}.sig`;
const AAD_TOKEN = "aad-access-token";

const lookup: LookupFunction = (hostname, options, cb) => {
  if (!HOSTS.includes(hostname)) return cb(Object.assign(new Error("not found"), { code: "ENOTFOUND" }), "", 0);
  if (options.all) return cb(null, [{ address: "127.0.0.1", family: 4 }]);
  cb(null, "127.0.0.1", 4);
};

const repo = (image: string, provider: string): ImageRepository => ({
  kind: "ImageRepository",
  apiVersion: "image.toolkit.fluxcd.io/v1",
  name: "app",
  namespace: "flux-system",
  namespaceSource: "metadata",
  labels: {},
  annotations: {},
  file: "clusters/prod/image.yaml",
  line: 1,
  spec: { image, interval: "5m", provider },
});

suite("spec.provider against a registry behind Basic auth, tokens from the providers' SDKs", () => {
  let reg: TestRegistry;
  let front: TlsFront;
  let ecr: FakeRegistry;
  let metadata: FakeRegistry;
  let msi: FakeRegistry;
  let home: string;
  const exchanges: string[] = [];
  const saved: Record<string, string | undefined> = {};
  const clock = { now: Date.now() };

  function setEnv(vars: Record<string, string | undefined>): void {
    for (const [k, v] of Object.entries(vars)) {
      if (!(k in saved)) saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }

  beforeAll(async () => {
    reg = await startRegistry({
      extraUsers: [
        ["AWS", ECR_PASSWORD],
        ["oauth2accesstoken", GCP_TOKEN],
        ["00000000-0000-0000-0000-000000000000", ACR_REFRESH],
      ],
    });
    await Promise.all(["team/app", "project/repo/app", "apps/app"].map((r) => reg.push(r, TAGS)));
    const pki = makePki(HOSTS);
    front = await startTlsFront({
      pki,
      backendPort: reg.port,
      routes: {
        "POST /oauth2/exchange": (_req, res, body) => {
          const form = new URLSearchParams(body);
          exchanges.push(`${form.get("grant_type")} ${form.get("service")} ${form.get("access_token")}`);
          json(res, 200, { refresh_token: ACR_REFRESH });
        },
      },
    });
    // ECR's JSON protocol: GetAuthorizationToken, token = base64("AWS:<password>"), expiresAt in epoch seconds;
    // ECR Public (SpencerFrontendService) answers one authorizationData object instead of a list
    ecr = await startFake((req, res) => {
      const data = { authorizationToken: Buffer.from(`AWS:${ECR_PASSWORD}`).toString("base64"), expiresAt: Date.now() / 1000 + 12 * 3600 };
      const pub = String(req.headers["x-amz-target"]).startsWith("SpencerFrontendService.");
      json(res, 200, { authorizationData: pub ? data : [data] }, { "content-type": "application/x-amz-json-1.1" });
    });
    metadata = await startFake((req, res, url) => {
      if (req.headers["metadata-flavor"] !== "Google") return json(res, 403, {});
      // 240 s: inside google-auth-library's five-minute refresh window, so its own cache never hides a refresh
      if (url.pathname === "/computeMetadata/v1/instance/service-accounts/default/token")
        return json(res, 200, { access_token: GCP_TOKEN, expires_in: 240, token_type: "Bearer" }, { "metadata-flavor": "Google" });
      if (url.pathname === "/computeMetadata/v1/instance" || url.pathname === "/computeMetadata/v1/")
        return json(res, 200, {}, { "metadata-flavor": "Google" });
      res.writeHead(404, { "metadata-flavor": "Google" }).end();
    });
    msi = await startFake((req, res, url) => {
      if (req.headers["x-identity-header"] !== "msi-secret") return json(res, 401, {});
      json(res, 200, {
        access_token: AAD_TOKEN,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: url.searchParams.get("resource"),
        token_type: "Bearer",
      });
    });
    home = mkdtempSync(join(tmpdir(), "fib-cloud-home-"));
    setEnv({
      HOME: home,
      AWS_ENDPOINT_URL_ECR: ecr.origin,
      AWS_ENDPOINT_URL_ECR_PUBLIC: ecr.origin,
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: join(home, "aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, "aws-credentials"),
      GCE_METADATA_HOST: metadata.host,
      GOOGLE_APPLICATION_CREDENTIALS: undefined,
      // the library looks the project up (running gcloud when installed: seconds); tokens do not need it
      GOOGLE_CLOUD_PROJECT: "test-project",
      CLOUDSDK_CONFIG: join(home, "gcloud"),
      IDENTITY_ENDPOINT: `${msi.origin}/msi/token`,
      IDENTITY_HEADER: "msi-secret",
      AZURE_CLIENT_ID: undefined,
      AZURE_TENANT_ID: undefined,
      AZURE_CLIENT_SECRET: undefined,
      AZURE_FEDERATED_TOKEN_FILE: undefined,
      MSI_ENDPOINT: undefined,
    });
    scanner = makeScanner(pki.ca);
  }, 120_000);

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await Promise.all([ecr?.close(), metadata?.close(), msi?.close(), front?.close()]);
    await reg?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  let scanner: ImageScanner;
  let access: ReturnType<typeof createRegistryAccess>;
  let net: { allowedHosts: string[]; lookup: LookupFunction; operatorCa: string[]; portOverride: (h: string, p: number) => number | undefined };

  function makeScanner(ca: string): ImageScanner {
    net = { allowedHosts: HOSTS, lookup, operatorCa: [ca], portOverride: (h: string, p: number) => (p === 443 && HOSTS.includes(h) ? front.port : undefined) };
    const credentials = serverCredentialsFromObject({ providers: { "gcp-team": ["gcp"], "acr-team": { azure: [ACR] } } });
    access = createRegistryAccess({ mode: "server", credentials, providerAccounts: ["acme"], ...net, now: () => clock.now });
    return new ImageScanner({
      client: createRegistryClient({ mode: "server", retries: 0, ...net }),
      cache: new MemoryScanCache(),
      credentials,
      access,
      minIntervalMs: 60_000,
      cacheKey: scanCacheKey,
      identity: credentialIdentity,
    });
  }

  const tokenCalls = (f: FakeRegistry, path: string): number => f.requests.filter((r) => r.path.startsWith(path)).length;
  beforeEach(() => {
    // tokens carry real expiry times: each test starts the injected clock at the real time
    clock.now = Date.now();
  });

  it("aws: ECR GetAuthorizationToken with the default credential chain, cached, refreshed on expiry", async () => {
    const r = repo(`${ECR}/team/app`, "aws");
    const first = await scanner.scan("acme", r, true);
    expect(first.outcome).toMatchObject({ ok: true, tags: expect.arrayContaining(TAGS) });
    expect(ecr.requests).toHaveLength(1);
    // signed by the SDK with the chain's key, in the registry's region
    expect(ecr.requests[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/ecr\/aws4_request/);
    expect(front.requests.some((q) => q.basicUser === "AWS")).toBe(true);
    await scanner.scan("acme", r, true);
    expect(ecr.requests).toHaveLength(1);
    clock.now += 12 * 3600_000;
    await expect(scanner.scan("acme", r, true)).resolves.toMatchObject({ outcome: { ok: true } });
    expect(ecr.requests).toHaveLength(2);
  });

  it("aws: public.ecr.aws through ECR Public in us-east-1", async () => {
    const before = ecr.requests.length;
    await expect(scanner.scan("acme", repo(`${ECR_PUBLIC}/team/app`, "aws"), true)).resolves.toMatchObject({
      outcome: { ok: true, tags: expect.arrayContaining(TAGS) },
    });
    expect(ecr.requests.slice(before).map((q) => q.authorization)).toEqual([expect.stringMatching(/\/us-east-1\/ecr-public\/aws4_request/)]);
  });

  it("gcp: an access token from the metadata server as oauth2accesstoken, cached, refreshed on expiry", async () => {
    const r = repo(`${GAR}/project/repo/app`, "gcp");
    const path = "/computeMetadata/v1/instance/service-accounts/default/token";
    await expect(scanner.scan("gcp-team", r, true)).resolves.toMatchObject({ outcome: { ok: true, tags: expect.arrayContaining(TAGS) } });
    expect(tokenCalls(metadata, path)).toBe(1);
    expect(front.requests.some((q) => q.basicUser === "oauth2accesstoken")).toBe(true);
    await scanner.scan("gcp-team", r, true);
    expect(tokenCalls(metadata, path)).toBe(1);
    clock.now += 150_000; // the refresh point of a 240 s token: half its life
    await expect(scanner.scan("gcp-team", r, true)).resolves.toMatchObject({ outcome: { ok: true } });
    expect(tokenCalls(metadata, path)).toBe(2);
  });

  it("azure: a managed identity token exchanged at /oauth2/exchange for an ACR refresh token, cached, refreshed on expiry", async () => {
    const r = repo(`${ACR}/apps/app`, "azure");
    await expect(scanner.scan("acr-team", r, true)).resolves.toMatchObject({ outcome: { ok: true, tags: expect.arrayContaining(TAGS) } });
    expect(exchanges).toEqual([`access_token ${ACR} ${AAD_TOKEN}`]);
    expect(msi.requests[0]!.path).toContain(`resource=${encodeURIComponent("https://management.azure.com")}`);
    expect(front.requests.some((q) => q.basicUser === "00000000-0000-0000-0000-000000000000")).toBe(true);
    await scanner.scan("acr-team", r, true);
    expect(exchanges).toHaveLength(1);
    clock.now += 4 * 3600_000;
    await expect(scanner.scan("acr-team", r, true)).resolves.toMatchObject({ outcome: { ok: true } });
    expect(exchanges).toHaveLength(2);
  });

  it("the CLI uses the caller's own cloud credentials for spec.provider, with no allow-list", async () => {
    const before = ecr.requests.length;
    const source = liveTagSource(createRegistryClient({ mode: "cli", retries: 0, ...net }), { ...process.env, DOCKER_CONFIG: home });
    await expect(source.scan(repo(`${ECR}/team/app`, "aws"))).resolves.toMatchObject({ ok: true, tags: expect.arrayContaining(TAGS) });
    expect(ecr.requests.length).toBe(before + 1);
    await expect(source.scan(repo(`${GAR}/team/app`, "aws"))).resolves.toMatchObject({ ok: false, code: "registry.provider-not-allowed" });
  });

  it("refuses an account the operator did not allow, and a host the provider does not serve, without asking for a token", async () => {
    const before = [ecr.requests.length, metadata.requests.length, msi.requests.length, exchanges.length];
    const stranger = await scanner.scan("mallory", repo(`${ECR}/team/app`, "aws"), true);
    expect(stranger.outcome).toMatchObject({ ok: false, code: "registry.provider-not-allowed" });
    expect(!stranger.outcome.ok && stranger.outcome.error).toContain("REGISTRY_PROVIDER_ACCOUNTS=mallory:aws");
    // gcp-team may use gcp only; acr-team only for its own registry
    await expect(scanner.scan("gcp-team", repo(`${ECR}/team/app`, "aws"), true)).resolves.toMatchObject({
      outcome: { ok: false, code: "registry.provider-not-allowed" },
    });
    await expect(scanner.scan("acr-team", repo("other.azurecr.io/apps/app", "azure"), true)).resolves.toMatchObject({
      outcome: { ok: false, code: "registry.provider-not-allowed" },
    });
    const wrongHost = await scanner.scan("acme", repo(`${GAR}/project/repo/app`, "aws"), true);
    expect(!wrongHost.outcome.ok && wrongHost.outcome.error).toContain(`spec.provider aws does not serve the registry ${GAR}`);
    expect([ecr.requests.length, metadata.requests.length, msi.requests.length, exchanges.length]).toEqual(before);
  });

  it("caches the provider's scan under its own identity; the same image without the provider is still refused", async () => {
    const anonymous = await scanner.scan("acme", repo(`${ECR}/team/app`, "generic"), true);
    expect(anonymous.outcome).toMatchObject({ ok: false, code: "registry.auth" });
    const viaProvider = await scanner.scan("acme", repo(`${ECR}/team/app`, "aws"));
    expect(viaProvider).toMatchObject({ fresh: false, outcome: { ok: true } });
  });
});
