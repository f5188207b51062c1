/**
 * Composition root of the server: builds the adapters from the
 * configuration and wires them into the use cases. Only the entry file
 * (main.ts) and tests call this.
 */
import { Redis } from "ioredis";
import type { Probot } from "probot";
import { BullJobQueue, createQueues, type BullQueues } from "./adapters/queue/bullmq-queue.js";
import { startWorkers, type Processors } from "./adapters/queue/workers.js";
import { registerHandlers } from "./adapters/probot/handlers.js";
import { createOctokitRepoGateway, type OctokitRepoGateway } from "./adapters/github/octokit-repo-gateway.js";
import { createRedisEtagStore } from "./adapters/github/redis-etag-store.js";
import { redisWriteSlots } from "./adapters/github/write-limiter.js";
import type { GetOctokit } from "./adapters/github/octokit-like.js";
import {
  createRegistryAccess,
  createRegistryClient,
  credentialIdentity,
  loadCaFile,
  loadServerCredentials,
  type LookupFunction,
  type RegistryClient,
} from "./adapters/registry/index.js";
import { RedisScanCache, scanCacheKey } from "./adapters/scan-cache/index.js";
import { RedisStateStore } from "./adapters/state/redis-state-store.js";
import type { AppConfig } from "./config/env.js";
import { reconcileAutomation } from "./app/reconcile-automation.js";
import { scanImage } from "./app/scan-image.js";
import { ImageScanner } from "./app/image-scanner.js";
import { syncRepository } from "./app/sync-repository.js";
import { createPromMetrics, type PromMetrics } from "./adapters/http/metrics.js";
import { syncDashboard } from "./app/sync-dashboard.js";
import { runCommand } from "./app/run-command.js";
import { handlePullRequestEvent } from "./app/pull-request-events.js";
import { registerDashboardHandlers } from "./adapters/probot/dashboard-handlers.js";
import { withoutPayloadInErrors } from "./adapters/probot/safe-app.js";
import { RedisThrottle } from "./adapters/state/redis-throttle.js";
import { WorkerTemplateRenderer } from "./adapters/template/worker-renderer.js";
import { DEFAULT_READ_BUDGET, type ReadBudget } from "./core/read-budget.js";
import type { JobQueue, Clock, Logger, RepoId, StateStore, Throttle } from "./app/ports/index.js";

export interface Services {
  redis: Redis;
  queues: BullQueues;
  queue: BullJobQueue;
  state: StateStore;
  gateway: OctokitRepoGateway;
  registry: RegistryClient;
  scanner: ImageScanner;
  processors: Processors;
  metrics: PromMetrics;
  throttle: Throttle;
  /** the app's bot login (`<slug>[bot]`) */
  botLogin: string;
  seenDelivery(id: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  registry?: RegistryClient;
  clock?: Clock;
  getOctokit?: GetOctokit;
  /** the app's bot login (`<slug>[bot]`); resolved from GitHub at start when absent */
  botLogin?: string;
  /** tests: DNS and ports for registry connections (cloud registry host names served on loopback) */
  registryNetwork?: { lookup?: LookupFunction; portOverride?: (host: string, port: number) => number | undefined };
}

/** Redis options: workers wait for Redis (maxRetriesPerRequest: null), as BullMQ asks. */
export function redisFor(url: string, role: "worker" | "producer"): Redis {
  return new Redis(url, role === "worker" ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 3, enableOfflineQueue: true });
}

export async function checkRedis(url: string): Promise<void> {
  const probe = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null, connectTimeout: 3000 });
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    const where = url.replace(/\/\/[^@/]*@/, "//***@");
    throw new Error(
      `Redis is not reachable at ${where} (${(e as Error).message}). Start one (e.g. 'redis-server' or 'docker run -p 6379:6379 redis:7') or set REDIS_URL.`,
    );
  } finally {
    probe.disconnect();
  }
}

/** `<slug>[bot]` of the app, from GET /app with the app's JWT. */
export async function resolveBotLogin(probot: Probot, fallback = "flux-image-bot[bot]"): Promise<string> {
  try {
    const octokit = await probot.auth();
    const { data } = await octokit.request("GET /app");
    return data?.slug ? `${data.slug}[bot]` : fallback;
  } catch {
    return fallback;
  }
}

export function createServices(config: AppConfig, probot: Probot, logger: Logger, overrides: ServiceOverrides = {}): Services {
  const redis = redisFor(config.REDIS_URL, "worker");
  const connection = redisFor(config.REDIS_URL, "worker");
  const queues = createQueues(connection, config.QUEUE_PREFIX, logger);
  const queue = new BullJobQueue(queues.queues, Date.now, { redis, prefix: config.QUEUE_PREFIX });
  const state = new RedisStateStore(redis, config.QUEUE_PREFIX);
  const clock: Clock = overrides.clock ?? { now: () => new Date() };
  const credentials = config.REGISTRY_CREDENTIALS_FILE ? loadServerCredentials(config.REGISTRY_CREDENTIALS_FILE) : undefined;
  for (const w of credentials?.warnings ?? []) logger.warn({ file: config.REGISTRY_CREDENTIALS_FILE }, `registry credentials file: ${w}`);
  const metrics = createPromMetrics(queues.queues, { registryHosts: [...config.REGISTRY_ALLOWED_HOSTS, ...(credentials?.hosts ?? [])] });
  const rawGetOctokit: GetOctokit = overrides.getOctokit ?? ((id: number) => probot.auth(id) as never);
  const hooked = new WeakSet<object>();
  const getOctokit: GetOctokit = async (id) => {
    const octokit = await rawGetOctokit(id);
    const hook = (
      octokit as {
        hook?: {
          after(n: string, f: (res: { status: number; headers: Record<string, string | undefined> }) => void): void;
          error(n: string, f: (e: { status?: number; response?: { headers: Record<string, string | undefined> } }) => never): void;
        };
      }
    ).hook;
    if (hook && !hooked.has(octokit)) {
      hooked.add(octokit);
      hook.after("request", (res) =>
        metrics.githubResponse({
          status: res.status,
          rateLimitRemaining: res.headers["x-ratelimit-remaining"] ? Number(res.headers["x-ratelimit-remaining"]) : undefined,
        }),
      );
      hook.error("request", (e) => {
        metrics.githubResponse({
          status: e.status ?? 0,
          rateLimitRemaining: e.response?.headers["x-ratelimit-remaining"] ? Number(e.response.headers["x-ratelimit-remaining"]) : undefined,
        });
        throw e;
      });
    }
    return octokit;
  };
  const gateway = createOctokitRepoGateway(getOctokit, {
    pullRequestLabels: config.PULL_REQUEST_LABELS,
    writeIntervalMs: config.GITHUB_WRITE_INTERVAL_MS,
    writeSlots: redisWriteSlots(redis, config.QUEUE_PREFIX),
    // ETags in Redis: every worker, and a restarted one, gets GitHub's 304s (free of rate limit) for what any of them read.
    etagStore: createRedisEtagStore(redis, { prefix: `${config.QUEUE_PREFIX}:etag:` }),
    logger,
  });
  const operatorCa = config.REGISTRY_CA_FILE ? loadCaFile(config.REGISTRY_CA_FILE) : undefined;
  const registry =
    overrides.registry ??
    createRegistryClient({
      operatorCa,
      ...overrides.registryNetwork,
      mode: "server",
      allowedHosts: config.REGISTRY_ALLOWED_HOSTS,
      pageSize: config.REGISTRY_PAGE_SIZE,
      maxPages: config.REGISTRY_MAX_PAGES,
      maxTags: config.REGISTRY_MAX_TAGS,
      maxConcurrentPerHost: config.REGISTRY_MAX_CONCURRENCY_PER_HOST,
      maxConcurrent: config.REGISTRY_MAX_CONCURRENCY,
      maxResponseBytes: config.REGISTRY_MAX_PAGE_BYTES,
      tokenCacheBytes: config.REGISTRY_TOKEN_CACHE_BYTES,
      credentialHosts: config.REGISTRY_CREDENTIAL_HOSTS,
      userAgent: "flux-image-bot",
      logger,
    });
  const access = createRegistryAccess({
    mode: "server",
    credentials,
    providerAccounts: config.REGISTRY_PROVIDER_ACCOUNTS,
    allowedHosts: config.REGISTRY_ALLOWED_HOSTS,
    operatorCa,
    ...overrides.registryNetwork,
  });
  const scanner = new ImageScanner({
    client: registry,
    cache: new RedisScanCache(redis, { prefix: `${config.QUEUE_PREFIX}:scan` }),
    credentials,
    access,
    minIntervalMs: config.MIN_INTERVAL_SECONDS * 1000,
    maxScanMs: config.REGISTRY_SCAN_TIMEOUT_SECONDS * 1000,
    cacheKey: scanCacheKey,
    identity: credentialIdentity,
    metrics,
    now: () => clock.now(),
  });
  const base = { state, queue: queue as JobQueue, clock, logger };
  const readBudget: ReadBudget = { ...DEFAULT_READ_BUDGET, maxFiles: config.REPOSITORY_MAX_FILES, maxBytes: config.REPOSITORY_MAX_BYTES };
  const renderer = new WorkerTemplateRenderer({ timeoutMs: config.TEMPLATE_TIMEOUT_MS, maxMemoryMb: config.TEMPLATE_MAX_MEMORY_MB });
  const botLogin = overrides.botLogin ?? "flux-image-bot[bot]";
  const throttle = new RedisThrottle(redis, config.QUEUE_PREFIX);
  const webUrl = config.GHE_HOST ? `${config.GHE_PROTOCOL ?? "https"}://${config.GHE_HOST}` : "https://github.com";
  const dashboardDeps = {
    ...base,
    issues: gateway,
    title: config.DASHBOARD_TITLE,
    enabled: config.DASHBOARD_ENABLED,
    botLogin,
    labels: config.PULL_REQUEST_LABELS,
    webUrl,
  };
  const commandDeps = {
    ...dashboardDeps,
    prefix: config.CHATOPS_PREFIX,
    throttle,
    refusalIntervalMs: config.CHATOPS_REFUSAL_INTERVAL_SECONDS * 1000,
    rateLimit: { max: config.CHATOPS_RATE_LIMIT, windowMs: config.CHATOPS_RATE_WINDOW_SECONDS * 1000 },
  };
  const processors: Processors = {
    "sync-repo": (data) =>
      syncRepository(
        { ...base, gateway, minIntervalMs: config.MIN_INTERVAL_SECONDS * 1000, syncIntervalMs: config.SYNC_INTERVAL_SECONDS * 1000, readBudget },
        data,
      ),
    "scan-image": (data) => scanImage({ ...base, scanner }, data),
    reconcile: (data) => reconcileAutomation({ ...base, gateway, scanner, metrics, renderer, readBudget }, data),
    "sync-dashboard": (data) => syncDashboard(dashboardDeps, data),
    "run-command": (data) => runCommand(commandDeps, data),
    "pull-request-event": (data) => handlePullRequestEvent(base, data),
  };
  return {
    redis,
    queues,
    queue,
    state,
    gateway,
    registry,
    scanner,
    processors,
    metrics,
    throttle,
    botLogin,
    async seenDelivery(id: string) {
      const set = await redis.set(`${config.QUEUE_PREFIX}:delivery:${id}`, "1", "EX", 3 * 24 * 3600, "NX");
      return set === null;
    },
    async close() {
      await queues.close();
      await renderer.close();
      await state.close?.();
      redis.disconnect();
      connection.disconnect();
    },
  };
}

export function appFunction(services: Services, config: AppConfig) {
  return (probot: Probot): void => {
    const app = withoutPayloadInErrors(probot);
    registerHandlers(app, {
      queue: services.queue,
      state: services.state,
      seenDelivery: (id) => services.seenDelivery(id),
      onDelivery: (event, outcome) => services.metrics.webhook(event, outcome),
      removeRepository: async (repo: RepoId) => {
        await services.queue.removeRepository(repo);
      },
    });
    registerDashboardHandlers(app, {
      queue: services.queue,
      state: services.state,
      prefix: config.CHATOPS_PREFIX,
      botLogin: services.botLogin,
      commandLimit: { throttle: services.throttle, max: config.CHATOPS_RATE_LIMIT, windowMs: config.CHATOPS_RATE_WINDOW_SECONDS * 1000 },
      seenDelivery: (id) => services.seenDelivery(id),
      onDelivery: (event, outcome) => services.metrics.webhook(event, outcome),
    });
  };
}

export { startWorkers };
