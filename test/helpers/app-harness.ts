/**
 * The whole app against fakes: a fake GitHub, an in-test registry, a real
 * Redis with a random queue prefix, the app's webhook receiver on a random
 * port (webhooks are signed and verified), and in-process workers.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import { pino } from "pino";
import { loadConfig, type AppConfig } from "../../src/config/env.js";
import { appFunction, createServices, startWorkers, type ServiceOverrides, type Services } from "../../src/services.js";
import { startFakeGitHub, type FakeGitHub } from "./fake-github.js";
import { ensureRedis, type TestRedis } from "./redis.js";
import { postWebhook, runningJobs, serveWebhooks } from "./webhook-server.js";

export const QuietOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  retry: { enabled: false },
  throttle: { ...(o.throttle as object), enabled: false },
}));

let cachedKey: string | undefined;
export function testPrivateKey(): string {
  cachedKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return cachedKey;
}

export interface Harness {
  github: FakeGitHub;
  redis: TestRedis;
  services: Services;
  config: AppConfig;
  /** authenticates as the app or an installation against the fake GitHub */
  probot: Probot;
  webhookUrl: string;
  logs: string[];
  /** POSTs a signed webhook; returns the HTTP status */
  deliver(name: string, payload: unknown, opts?: { id?: string; secret?: string }): Promise<number>;
  /** waits until no job is waiting or running (delayed ones are schedules) */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  opts: { concurrency?: number; workers?: boolean; overrides?: ServiceOverrides } = {},
): Promise<Harness> {
  const github = await startFakeGitHub();
  const redis = await ensureRedis();
  const secret = "e2e-secret";
  const config = loadConfig({
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: secret,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: `t${randomBytes(4).toString("hex")}`,
    GITHUB_WRITE_INTERVAL_MS: "0",
    WORKER_CONCURRENCY: String(opts.concurrency ?? 4),
    ...env,
  });
  const logs: string[] = [];
  const logger = pino({ level: "info" }, { write: (s: string) => void logs.push(s) });
  const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), secret, baseUrl: `${github.url}/api/v3`, Octokit: QuietOctokit, log: logger });
  const services = createServices(config, probot, logger, { botLogin: "flux-image-bot[bot]", ...opts.overrides });
  const webhooks = await serveWebhooks(appFunction(services, config), probot, secret);
  const webhookUrl = webhooks.url;
  const workers =
    opts.workers === false
      ? undefined
      : startWorkers(services.processors, {
          connection: services.redis,
          prefix: config.QUEUE_PREFIX,
          concurrency: config.WORKER_CONCURRENCY,
          logger,
          onJobDone: (e) => services.metrics.job(e),
        });
  let counter = 0;
  return {
    github,
    redis,
    services,
    config,
    probot,
    webhookUrl,
    logs,
    deliver: (name, payload, o = {}) => postWebhook(webhookUrl, o.secret ?? secret, name, payload, o.id ?? `d-${Date.now()}-${counter++}`),
    async drain(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let quiet = 0;
      while (Date.now() < deadline) {
        const busy = await runningJobs(Object.values(services.queues.queues));
        quiet = busy === 0 ? quiet + 1 : 0;
        if (quiet >= 3) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("queues did not drain in time");
    },
    async stop() {
      await workers?.close();
      await webhooks.close();
      for (const q of Object.values(services.queues.queues)) await q.obliterate({ force: true }).catch(() => undefined);
      const r = redis.client();
      const keys = await r.keys(`${config.QUEUE_PREFIX}:*`);
      if (keys.length) await r.del(...keys);
      r.disconnect();
      await services.close();
      await github.close();
      await redis.stop();
    },
  };
}
