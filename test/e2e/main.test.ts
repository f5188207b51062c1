/**
 * The real entry (`npm start` → start()) with roles: a web process and a
 * worker process sharing one Redis, against the fake GitHub (GHE_HOST) and
 * an in-test registry. Health and readiness answer on both PORTs, metrics on
 * both METRICS_PORTs and never on PORT (the public webhook port).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { loadConfig } from "../../src/config/env.js";
import { start } from "../../src/main.js";
import type { FakeRegistry } from "../adapters/registry/fake-registry.js";
import { testPrivateKey } from "../helpers/app-harness.js";
import { exampleFiles, installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { ensureRedis, type TestRedis } from "../helpers/redis.js";
import { freePort } from "../helpers/registry-server.js";
import { postWebhook } from "../helpers/webhook-server.js";

describe("npm start with --role web and --role worker", () => {
  let github: FakeGitHub;
  let registry: FakeRegistry;
  let redis: TestRedis;
  let web: Awaited<ReturnType<typeof start>>;
  let worker: Awaited<ReturnType<typeof start>>;
  let webPort: number;
  let workerPort: number;
  let webMetrics: number;
  let workerMetrics: number;
  let prefix: string;

  beforeAll(async () => {
    github = await startFakeGitHub();
    registry = await startTagRegistry({ "gethomepage/homepage": ["v0.9.0", "v1.1.1"] });
    redis = await ensureRedis();
    github.addInstallation(11, "octo");
    github.seedRepo({ owner: "octo", repo: "roles", installationId: 11, files: exampleFiles(registry.host) });
    webPort = await freePort();
    workerPort = await freePort();
    webMetrics = await freePort();
    workerMetrics = await freePort();
    prefix = `tm${randomBytes(4).toString("hex")}`;
    const env = {
      APP_ID: "1",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: "main-secret",
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      HOST: "127.0.0.1",
      GITHUB_WRITE_INTERVAL_MS: "0",
      REGISTRY_ALLOWED_HOSTS: registry.host,
      LOG_LEVEL: "fatal" as const,
    };
    web = await start(loadConfig({ ...env, PORT: String(webPort), METRICS_PORT: String(webMetrics) }, ["--role", "web"]));
    worker = await start(loadConfig({ ...env, PORT: String(workerPort), METRICS_PORT: String(workerMetrics) }, ["--role", "worker"]));
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await web?.stop();
    const r = new Redis(redis.url);
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
    await redis.stop();
    await registry.close();
    await github.close();
  });

  it("answers health and readiness on PORT and metrics only on METRICS_PORT, on both roles", async () => {
    for (const [port, metrics] of [
      [webPort, webMetrics],
      [workerPort, workerMetrics],
    ]) {
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      expect(await (await fetch(`http://127.0.0.1:${metrics}/metrics`)).text()).toContain("flux_image_bot_jobs");
      expect((await fetch(`http://127.0.0.1:${metrics}/healthz`)).status).toBe(404);
    }
    expect((await fetch(`http://127.0.0.1:${webPort}/admin/queues`)).status).toBe(404);
  });

  it("takes a signed webhook on web and commits from the worker", async () => {
    const payload = installationPayload(11, "octo", ["roles"]);
    const url = `http://127.0.0.1:${webPort}/api/github/webhooks`;
    expect(await postWebhook(url, "main-secret", "installation", payload, "main-1")).toBe(200);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && github.listCommits("octo", "roles", "main").filter((c) => c.author.name === "flux-image-automation").length === 0)
      await new Promise((r) => setTimeout(r, 100));
    expect(github.listCommits("octo", "roles", "main").filter((c) => c.author.name === "flux-image-automation")).toHaveLength(1);
    expect(github.readFile("octo", "roles", "main", "apps/homepage/deployment.yaml")).toContain(":v1.1.1 #");
    expect(await postWebhook(url, "wrong-secret", "installation", payload, "main-2")).toBeGreaterThanOrEqual(400);
  }, 40_000);
});
