/**
 * The operator's HTTP surface, served for real: createEndpoints with BullMQ
 * queues on the test Redis (random prefix) behind node:http on 127.0.0.1.
 * Plain HTTP checks for /healthz, /readyz (200, and 503 when Redis is gone),
 * /metrics and the Basic auth of /admin/queues; then headless Chromium
 * renders the Bull Board SPA and the page must list the bot's queues.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { pino } from "pino";
import { createEndpoints, metricsEndpoint, QUEUE_UI_PATH } from "../../src/adapters/http/endpoints.js";
import { createPromMetrics } from "../../src/adapters/http/metrics.js";
import { createQueues, JOB_NAMES, type BullQueues } from "../../src/adapters/queue/bullmq-queue.js";
import { dumpDom, ensureChromium, screenshot } from "../helpers/chromium.js";
import { ensureRedis, type TestRedis } from "../helpers/redis.js";

const PASSWORD = `pw-${randomBytes(6).toString("hex")}`;
const logger = pino({ level: "silent" });

interface Served {
  url: string;
  close(): Promise<void>;
}

async function serve(...handlers: Array<ReturnType<typeof createEndpoints>>): Promise<Served> {
  const server: Server = http.createServer((req, res) => {
    (async () => {
      for (const h of handlers) if (await h(req, res)) return true;
      return false;
    })()
      .then((handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end("not handled\n");
        }
      })
      .catch((e: unknown) => {
        res.writeHead(500);
        res.end(String(e));
      });
  });
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const basic = (user: string, pw: string): string => `Basic ${Buffer.from(`${user}:${pw}`).toString("base64")}`;

let redis: TestRedis;
let connection: Redis;
let queues: BullQueues;
let prefix: string;
let app: Served;
let noAdmin: Served;
let deadRedis: Served;
let deadClient: Redis;
const shotDir = mkdtempSync(join(tmpdir(), "fib-queue-ui-"));

beforeAll(async () => {
  redis = await ensureRedis();
  prefix = `t${randomBytes(4).toString("hex")}`;
  connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  queues = createQueues(connection, prefix);
  // something to show: a waiting sync and a delayed scan (no worker runs here)
  await queues.queues["sync-repo"].add("sync-repo", { installationId: 1, owner: "acme", repo: "app", reason: "test" });
  await queues.queues["scan-image"].add(
    "scan-image",
    { installationId: 1, owner: "acme", repo: "app", namespace: "flux-system", name: "app" },
    { delay: 3_600_000 },
  );
  const metrics = createPromMetrics(queues.queues);
  metrics.webhook("push", "enqueued");
  app = await serve(createEndpoints({ redis: connection, queues: queues.queues, adminPassword: PASSWORD, logger }), metricsEndpoint(metrics.registry));
  noAdmin = await serve(createEndpoints({ redis: connection, queues: queues.queues, logger }));
  deadClient = new Redis(redis.url, { maxRetriesPerRequest: 1, lazyConnect: true });
  deadClient.on("error", () => undefined);
  await deadClient.connect();
  deadClient.disconnect();
  deadRedis = await serve(createEndpoints({ redis: deadClient, queues: {}, logger }));
}, 60_000);

afterAll(async () => {
  await app?.close();
  await noAdmin?.close();
  await deadRedis?.close();
  if (queues) {
    for (const q of Object.values(queues.queues)) await q.obliterate({ force: true }).catch(() => undefined);
    await queues.close();
  }
  if (connection) {
    const keys = await connection.keys(`${prefix}:*`);
    if (keys.length) await connection.del(...keys);
    connection.disconnect();
  }
  await redis?.stop();
  rmSync(shotDir, { recursive: true, force: true });
});

describe("health and metrics", () => {
  it("/healthz answers 200", async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok\n");
  });

  it("/readyz answers 200 with Redis up, 503 when its Redis client is disconnected", async () => {
    const ok = await fetch(`${app.url}/readyz`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("ready\n");
    const down = await fetch(`${deadRedis.url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.text()).toMatch(/^not ready: Redis is not reachable/);
  });

  it("/metrics has the flux_image_bot_ metrics and the jobs gauge per queue and state", async () => {
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of [
      "flux_image_bot_scans_total",
      "flux_image_bot_scan_duration_seconds",
      "flux_image_bot_job_duration_seconds",
      "flux_image_bot_webhook_deliveries_total",
      "flux_image_bot_github_requests_total",
      "flux_image_bot_github_rate_limit_remaining",
      "flux_image_bot_jobs",
    ]) {
      expect(text).toContain(`# HELP ${name} `);
    }
    // Node process metrics under the same prefix (today flux_image_bot_process_process_…)
    expect(text).toMatch(/^# HELP flux_image_bot_\w*process_cpu_user_seconds_total /m);
    expect(text).toContain('flux_image_bot_webhook_deliveries_total{event="push",outcome="enqueued"} 1');
    expect(text).toMatch(/^flux_image_bot_jobs\{queue="sync-repo",state="waiting"\} 1$/m);
    expect(text).toMatch(/^flux_image_bot_jobs\{queue="scan-image",state="delayed"\} 1$/m);
    for (const q of JOB_NAMES) expect(text).toContain(`flux_image_bot_jobs{queue="${q}",state="active"} 0`);
  });
});

describe("queue UI access", () => {
  it("is 404 when ADMIN_PASSWORD is not configured", async () => {
    const res = await fetch(`${noAdmin.url}${QUEUE_UI_PATH}`, { headers: { authorization: basic("admin", PASSWORD) } });
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/ADMIN_PASSWORD/);
    expect((await fetch(`${noAdmin.url}${QUEUE_UI_PATH}/api/queues`)).status).toBe(404);
  });

  it("is 401 with a Basic challenge without credentials, with a wrong password, or with another scheme", async () => {
    const variants: Array<Record<string, string>> = [
      {},
      { authorization: basic("admin", "wrong") },
      { authorization: basic("admin", `${PASSWORD}x`) },
      { authorization: `Bearer ${PASSWORD}` },
      { authorization: basic(PASSWORD, "") },
    ];
    for (const headers of variants) {
      for (const path of [QUEUE_UI_PATH, `${QUEUE_UI_PATH}/`, `${QUEUE_UI_PATH}/api/queues`]) {
        const res = await fetch(`${app.url}${path}`, { headers });
        expect([path, JSON.stringify(headers), res.status]).toEqual([path, JSON.stringify(headers), 401]);
        expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
        expect(await res.text()).not.toContain("sync-repo");
      }
    }
  });

  it("serves the Bull Board page and its API with the right password (any user name)", async () => {
    const page = await fetch(`${app.url}${QUEUE_UI_PATH}`, { headers: { authorization: basic("anyone", PASSWORD) } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    // the queue list is drawn by the SPA (checked in Chromium below), not sent in the HTML
    const html = await page.text();
    expect(html).toContain("Bull Dashboard");
    expect(html).not.toContain("scan-image");
    const api = await fetch(`${app.url}${QUEUE_UI_PATH}/api/queues`, { headers: { authorization: basic("admin", PASSWORD) } });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual([...JOB_NAMES].sort());
  });
});

describe("queue UI in headless Chromium", () => {
  const chromium = ensureChromium();
  const browserIt = "bin" in chromium ? it : it.skip;
  if ("skip" in chromium) console.warn(`browser checks skipped: ${chromium.skip}`);

  browserIt(
    "renders the queue list for an authenticated operator, and a screenshot",
    async () => {
      const bin = (chromium as { bin: string }).bin;
      const url = `${app.url.replace("http://", `http://admin:${PASSWORD}@`)}${QUEUE_UI_PATH}`;
      const dom = await dumpDom(bin, url);
      // rendered by the SPA from /admin/queues/api/queues, not present in the HTML the server sends
      for (const q of JOB_NAMES) expect([q, dom.includes(q)]).toEqual([q, true]);
      expect(dom).toContain("Bull Dashboard");
      const file = join(shotDir, "queues.png");
      await screenshot(bin, url, file);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file).subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
      expect(statSync(file).size).toBeGreaterThan(10_000);
      // QUEUE_UI_SCREENSHOT=/path/queues.png keeps it (e.g. as a CI artifact)
      if (process.env.QUEUE_UI_SCREENSHOT) copyFileSync(file, process.env.QUEUE_UI_SCREENSHOT);
    },
    60_000,
  );

  browserIt(
    "shows no queues without credentials (headless Chromium gives up on the 401)",
    async () => {
      const dom = await dumpDom((chromium as { bin: string }).bin, `${app.url}${QUEUE_UI_PATH}`, { budgetMs: 3000 });
      for (const q of JOB_NAMES) expect([q, dom.includes(q)]).toEqual([q, false]);
      expect(dom).not.toContain("Bull Dashboard");
    },
    30_000,
  );
});
