/**
 * The smaller holes of the security review, one check each: the SSRF refusal
 * names no resolved address and refuses local-use NAT64 and Teredo; ticks on
 * a dashboard opened by another bot do nothing; credentials follow the
 * account id, not a login someone else can register; an account's own
 * allowed hosts are its alone (scans and cache); the `registry` metric label
 * stays bounded whatever hosts repositories name; `apply` refuses to write
 * through a symlink that leaves the checkout.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPromMetrics } from "../../src/adapters/http/metrics.js";
import { accountRef } from "../../src/adapters/probot/payload.js";
import { createRegistryClient, credentialIdentity, isForbiddenAddress, serverCredentialsFromObject } from "../../src/adapters/registry/index.js";
import { MemoryScanCache, scanCacheKey } from "../../src/adapters/scan-cache/index.js";
import { ImageScanner } from "../../src/app/image-scanner.js";
import type { ImageRepository } from "../../src/core/types.js";
import { main } from "../../src/cli.js";
import { fakeDns, json, startFake, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import { startHarness, type Harness } from "../helpers/app-harness.js";

const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../fixtures/dashboard/${name}`, import.meta.url), "utf8"));

const imageRepository = (image: string): ImageRepository =>
  ({
    apiVersion: "image.toolkit.fluxcd.io/v1",
    kind: "ImageRepository",
    name: "app",
    namespace: "flux-system",
    namespaceSource: "explicit",
    labels: {},
    annotations: {},
    file: "r.yaml",
    line: 1,
    spec: { image, interval: "5m", insecure: true },
  }) as unknown as ImageRepository;

describe("SSRF refusals", () => {
  it("do not name the address a host resolved to", async () => {
    const client = createRegistryClient({
      mode: "server",
      retries: 0,
      lookup: fakeDns({ "db.corp.example": ["10.11.12.13"], "v6.corp.example": ["fd12:3456::7"] }),
    });
    for (const [host, address] of [
      ["db.corp.example", "10.11.12.13"],
      ["v6.corp.example", "fd12:3456::7"],
    ]) {
      const err = (await client.listTags(`${host}/team/app`).catch((e: unknown) => e)) as Error & { code?: string };
      expect(err.code).toBe("registry.forbidden-address");
      expect(err.message).toContain(host);
      expect(err.message).not.toContain(address);
    }
  });

  it.each(["64:ff9b:1::a00:1", "64:ff9b:1::8.8.8.8", "64:ff9b:1:ffff::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::1", "2001:0:ffff::1"])(
    "refuses %s",
    (a) => expect(isForbiddenAddress(a)).toBe(true),
  );
  it.each(["64:ff9b::8.8.8.8", "2001:4860:4860::8888", "2001:1::1"])("still allows %s", (a) => expect(isForbiddenAddress(a)).toBe(false));
});

describe("dashboard ticks", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ DASHBOARD_ENABLED: "false" }, { workers: false });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("on a dashboard issue opened by another bot queue nothing; this bot's do", async () => {
    // the handler only queues the dashboard job, which acts on the ticked boxes
    const count = async () => Object.values(await h.services.queues.queues["sync-dashboard"].getJobCounts("waiting", "prioritized")).reduce((a, b) => a + b, 0);
    const forged = fixture("issues-edited.json");
    forged.issue.user = { login: "other-app[bot]", type: "Bot" };
    expect(await h.deliver("issues", forged)).toBe(200);
    expect(await count()).toBe(0);
    expect(await h.deliver("issues", fixture("issues-edited.json"))).toBe(200);
    expect(await count()).toBe(1);
  }, 30_000);
});

describe("registry credentials", () => {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  let internal: FakeRegistry;
  beforeAll(async () => {
    internal = await startFake((_req, res, url) => {
      if (url.pathname === "/v2/") return json(res, 200, {});
      return json(res, 200, { name: "team/app", tags: ["internal-1.0.0"] });
    });
  });
  afterAll(async () => {
    await internal?.close();
  });

  it("follow the account id: whoever registers a renamed account's old login gets none", () => {
    const creds = serverCredentialsFromObject({
      accounts: { "1001": { login: "acme", secrets: { pull: { auths: { "ghcr.io": { auth: b64("acme:s3cret") } } } } } },
    });
    const genuine = { installation: { id: 1, account: { id: 1001, login: "acme-renamed" } } };
    const impostor = { installation: { id: 2, account: { id: 2002, login: "acme" } } };
    expect(creds.forImage(accountRef(genuine)!, "pull", "ghcr.io/acme/app")).toMatchObject({ username: "acme" });
    expect(accountRef(impostor)).toBe("2002/acme");
    expect(creds.forImage(accountRef(impostor)!, "pull", "ghcr.io/acme/app")).toBeUndefined();
  });

  it("allowedHosts of an account open a private registry to that account only, and its scans are cached apart", async () => {
    const creds = serverCredentialsFromObject({ accounts: { "1001": { allowedHosts: [internal.host], secrets: {} }, "1002": { secrets: {} } } });
    const scanner = new ImageScanner({
      client: createRegistryClient({ mode: "server", retries: 0 }),
      cache: new MemoryScanCache(),
      credentials: creds,
      minIntervalMs: 60_000,
      cacheKey: scanCacheKey,
      identity: credentialIdentity,
    });
    const repo = imageRepository(`${internal.host}/team/app`);
    const mine = await scanner.scan("1001", repo);
    expect(mine.outcome).toMatchObject({ ok: true, tags: ["internal-1.0.0"] });
    const theirs = await scanner.scan("1002", repo);
    expect(theirs.outcome).toMatchObject({ ok: false, code: "registry.forbidden-address" });
    expect(await scanner.scan(undefined, repo)).toMatchObject({ outcome: { ok: false, code: "registry.forbidden-address" } });
  });
});

describe("metrics", () => {
  it("keep the registry label bounded whatever hosts repositories name", async () => {
    const metrics = createPromMetrics({}, { registryHosts: ["registry.corp.example:5000"] });
    for (let i = 0; i < 2000; i++) metrics.scan({ registry: `h${i}.attacker.example`, result: "failed", durationMs: 1, tags: 0 });
    for (const r of ["ghcr.io", "index.docker.io", "registry.corp.example:5000", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "me.azurecr.io"])
      metrics.scan({ registry: r, result: "scanned", durationMs: 1, tags: 1 });
    const text = await metrics.registry.metrics();
    const labels = new Set([...text.matchAll(/^flux_image_bot_scans_total\{[^}]*registry="([^"]*)"/gm)].map((m) => m[1]));
    expect([...labels].sort()).toEqual(["*.azurecr.io", "*.dkr.ecr.amazonaws.com", "ghcr.io", "index.docker.io", "other", "registry.corp.example:5000"]);
    expect(text.length).toBeLessThan(64 * 1024);
  });
});

describe("flux-image-bot apply", () => {
  let dir: string;
  let outside: string;
  const io = {
    out: () => undefined,
    errs: [] as string[],
    err(s: string) {
      this.errs.push(s);
    },
  };
  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), "fib-symlink-"));
    dir = join(base, "checkout");
    outside = join(base, "outside");
    cpSync("test/fixtures/example", dir, { recursive: true });
    mkdirSync(outside);
  });
  afterAll(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

  it("refuses to write a file that is a symlink out of the checkout, and writes one pointing inside", async () => {
    const deployment = join(dir, "apps/homepage/deployment.yaml");
    const victim = join(outside, "deployment.yaml");
    copyFileSync(deployment, victim);
    unlinkSync(deployment);
    symlinkSync(victim, deployment);
    const before = readFileSync(victim, "utf8");
    expect(await main(["apply", dir, "--tags", join(dir, "tags.json")], io)).toBe(1);
    expect(io.errs.join("\n")).toMatch(/local\.outside-tree: refusing to write apps\/homepage\/deployment\.yaml: it resolves to .*outside/);
    expect(readFileSync(victim, "utf8")).toBe(before);

    // the same link pointing inside the checkout is followed, as Flux reads it
    const inside = join(dir, "apps/homepage/real.yml");
    copyFileSync(victim, inside);
    unlinkSync(deployment);
    symlinkSync(inside, deployment);
    expect(await main(["apply", dir, "--tags", join(dir, "tags.json")], io)).toBe(0);
    expect(readFileSync(inside, "utf8")).not.toBe(before);
    expect(readFileSync(victim, "utf8")).toBe(before);
  });
});
