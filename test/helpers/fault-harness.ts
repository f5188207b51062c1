/**
 * The whole app for fault tests: like app-harness, plus what faults need —
 * a hook before every GitHub request (to push a commit under the bot, delay,
 * hang or kill something at an exact step), short BullMQ backoffs, capped
 * rate-limit delays, any number of worker sets on the same queues, a Redis
 * URL of the test's choosing, and waits that see retried (delayed) jobs.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes } from "node:crypto";
import type { Job, JobsOptions, Queue } from "bullmq";
import { Probot } from "probot";
import { pino } from "pino";
import { loadConfig, type AppConfig } from "../../src/config/env.js";
import { createRegistryClient } from "../../src/adapters/registry/index.js";
import { DEFAULT_JOB_OPTIONS } from "../../src/adapters/queue/bullmq-queue.js";
import { appFunction, createServices, startWorkers, type Services } from "../../src/services.js";
import { QuietOctokit, testPrivateKey } from "./app-harness.js";
import { startFakeGitHub, type FakeGitHub } from "./fake-github.js";
import { postWebhook, runningJobs, serveWebhooks } from "./webhook-server.js";
import { ensureRedis } from "./redis.js";
import type { JobName } from "../../src/app/ports/index.js";

/** A GitHub request about to be sent: `route` is Octokit's template, e.g. `PATCH /repos/{owner}/{repo}/git/refs/heads/main` (branch names are part of the route: ref-path.ts). */
export interface GitHubCall {
  route: string;
  owner?: string;
  repo?: string;
  params: Record<string, unknown>;
}

export type BeforeHook = (call: GitHubCall) => void | Promise<void>;

export interface JobDone {
  queue: JobName;
  outcome: "completed" | "failed" | "retry" | "delayed";
}

export interface WorkerSet {
  close(): Promise<void>;
}

export interface FaultHarnessOptions {
  env?: Record<string, string>;
  /** Redis to use (default: the shared test Redis) */
  redisUrl?: string;
  /** start one worker set now (default true) */
  workers?: boolean;
  concurrency?: number;
  /** BullMQ backoff between attempts (fixed), default 150 ms */
  backoffMs?: number;
  /** cap on rate-limit delays, default 800 ms */
  maxDelayMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** registry client retries (default 1, with 20 ms backoff) */
  registryRetries?: number;
  /** a fake GitHub to reuse (default: a new one, closed by stop) */
  github?: FakeGitHub;
  /** share another harness's queues (a second worker process on the same Redis) */
  queuePrefix?: string;
}

export interface FaultHarness {
  github: FakeGitHub;
  services: Services;
  config: AppConfig;
  logs: string[];
  jobs: JobDone[];
  /** runs before every GitHub request of this process's services */
  before: BeforeHook | undefined;
  deliver(name: string, payload: unknown, opts?: { id?: string }): Promise<number>;
  startWorkers(opts?: { concurrency?: number; lockDurationMs?: number; stalledIntervalMs?: number }): WorkerSet;
  /** waits until nothing is waiting, active, or delayed for a retry (schedules aside) */
  settle(timeoutMs?: number): Promise<void>;
  /** polls `check` until it returns true */
  waitFor(check: () => boolean | Promise<boolean>, timeoutMs?: number, what?: string): Promise<void>;
  failedJobs(): Promise<Job[]>;
  schedulerKeys(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Every job BullMQ adds from these queues gets a short fixed backoff (a test knob; the app keeps 5 s exponential). */
export function shortenBackoff(queues: Record<string, Queue>, backoffMs: number): void {
  for (const q of Object.values(queues)) {
    (q as unknown as { jobsOpts: JobsOptions }).jobsOpts = { ...DEFAULT_JOB_OPTIONS, backoff: { type: "fixed", delay: backoffMs } };
  }
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export async function startFaultHarness(o: FaultHarnessOptions = {}): Promise<FaultHarness> {
  const github = o.github ?? (await startFakeGitHub());
  const ownRedis = o.redisUrl ? undefined : await ensureRedis();
  const redisUrl = o.redisUrl ?? ownRedis!.url;
  const secret = "fault-secret";
  const config = loadConfig({
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: secret,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: o.queuePrefix ?? `f${randomBytes(4).toString("hex")}`,
    GITHUB_WRITE_INTERVAL_MS: "0",
    WORKER_CONCURRENCY: String(o.concurrency ?? 4),
    DASHBOARD_ENABLED: "false",
    ...o.env,
  });
  const logs: string[] = [];
  const jobs: JobDone[] = [];
  const logger = pino({ level: "info" }, { write: (s: string) => void logs.push(s) });
  const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), secret, baseUrl: `${github.url}/api/v3`, Octokit: QuietOctokit, log: logger });
  const harness = { before: undefined as BeforeHook | undefined };
  const hooked = new WeakSet<object>();
  const getOctokit = async (id: number) => {
    const octokit = (await probot.auth(id)) as unknown as { hook: { before(n: string, f: (opts: Record<string, unknown>) => Promise<void>): void } };
    if (!hooked.has(octokit)) {
      hooked.add(octokit);
      octokit.hook.before("request", async (opts) => {
        const route = `${String(opts.method)} ${String(opts.url)}`;
        await harness.before?.({ route, owner: opts.owner as string | undefined, repo: opts.repo as string | undefined, params: opts });
      });
    }
    return octokit as never;
  };
  const registry = createRegistryClient({
    mode: "server",
    allowedHosts: config.REGISTRY_ALLOWED_HOSTS,
    maxPages: config.REGISTRY_MAX_PAGES,
    pageSize: config.REGISTRY_PAGE_SIZE,
    retries: o.registryRetries ?? 1,
    backoffBaseMs: 20,
    maxRetryAfterMs: 2_000,
  });
  const services = createServices(config, probot, logger, { botLogin: "flux-image-bot[bot]", getOctokit, registry });
  shortenBackoff(services.queues.queues, o.backoffMs ?? 150);
  const webhooks = await serveWebhooks(appFunction(services, config), probot, secret);

  const sets: WorkerSet[] = [];
  const start = (w: { concurrency?: number; lockDurationMs?: number; stalledIntervalMs?: number } = {}): WorkerSet => {
    const set = startWorkers(services.processors, {
      connection: services.redis,
      prefix: config.QUEUE_PREFIX,
      concurrency: w.concurrency ?? config.WORKER_CONCURRENCY,
      logger,
      maxDelayMs: o.maxDelayMs ?? 800,
      lockDurationMs: w.lockDurationMs ?? o.lockDurationMs,
      stalledIntervalMs: w.stalledIntervalMs ?? o.stalledIntervalMs,
      onJobDone: (e) => void jobs.push({ queue: e.queue, outcome: e.outcome }),
    });
    sets.push(set);
    return set;
  };
  if (o.workers !== false) start();

  const queues = Object.values(services.queues.queues);
  // Connection errors while Redis is away go to the log, not to console.error (BullMQ's fallback without a listener).
  const quiet = (e: Error) => void logs.push(JSON.stringify({ level: 50, msg: "queue error", error: e.message }));
  for (const q of queues) {
    q.on("error", quiet);
    void Promise.resolve((q as unknown as { jobScheduler?: Promise<{ on(n: string, f: (e: Error) => void): void }> }).jobScheduler)
      .then((s) => s?.on("error", quiet))
      .catch(() => undefined);
  }
  let counter = 0;
  const self: FaultHarness = {
    github,
    services,
    config,
    logs,
    jobs,
    get before() {
      return harness.before;
    },
    set before(h) {
      harness.before = h;
    },
    deliver: (name, payload, d = {}) => postWebhook(webhooks.url, secret, name, payload, d.id ?? `f-${Date.now()}-${counter++}`),
    startWorkers: start,
    async settle(timeoutMs = 20_000) {
      let quiet = 0;
      await waitFor(
        async () => {
          let busy = await runningJobs(queues);
          // a job waiting out a backoff or a rate limit is delayed too; schedules are "repeat:" jobs
          for (const q of queues) busy += (await q.getDelayed()).filter((j) => !String(j.id).startsWith("repeat:")).length;
          quiet = busy === 0 ? quiet + 1 : 0;
          return quiet >= 3;
        },
        timeoutMs,
        "the queues to settle",
      );
    },
    waitFor,
    async failedJobs() {
      return (await Promise.all(queues.map((q) => q.getFailed()))).flat();
    },
    async schedulerKeys() {
      return (await Promise.all(queues.map((q) => q.getJobSchedulers(0, -1)))).flat().map((s) => s.key);
    },
    async stop() {
      harness.before = undefined;
      for (const s of sets) await s.close().catch(() => undefined);
      await webhooks.close();
      for (const q of queues) await q.obliterate({ force: true }).catch(() => undefined);
      const keys = await services.redis.keys(`${config.QUEUE_PREFIX}:*`).catch(() => [] as string[]);
      if (keys.length) await services.redis.del(...keys).catch(() => undefined);
      await services.close();
      if (!o.github) await github.close();
      await ownRedis?.stop();
    },
  };
  return self;
}

/** Bot commits on a branch, newest first. */
export function botCommits(github: FakeGitHub, owner: string, repo: string, branch = "main") {
  return github.listCommits(owner, repo, branch).filter((c) => c.author.name === "flux-image-automation");
}
