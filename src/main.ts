/**
 * `npm start`: the webhook server and a worker in one process, or apart with
 * `--role web|worker` (or ROLE), sharing one Redis.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { pino } from "pino";
import { Probot } from "probot";
import { ConfigError, loadConfig, type AppConfig } from "./config/env.js";
import { appFunction, checkRedis, createServices, resolveBotLogin, startWorkers, type Services } from "./services.js";
import { createEndpoints, metricsEndpoint } from "./adapters/http/endpoints.js";
import { createWebhookReceiver } from "./adapters/http/webhook-receiver.js";
import { within, type RunningWorkers } from "./adapters/queue/workers.js";
import type { Logger } from "./app/ports/index.js";

/** JSON lines in production (pino); `LOG_FORMAT=pretty` for people reading a terminal. */
export function createLogger(config: AppConfig) {
  return pino({
    level: config.LOG_LEVEL,
    name: "flux-image-bot",
    ...(config.LOG_FORMAT === "pretty" ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  });
}

export function probotOptions(config: AppConfig, log?: ReturnType<typeof createLogger>) {
  const privateKey = config.PRIVATE_KEY ?? readFileSync(config.PRIVATE_KEY_PATH as string, "utf8");
  const baseUrl = config.GHE_HOST ? `${config.GHE_PROTOCOL ?? "https"}://${config.GHE_HOST}/api/v3` : undefined;
  return {
    appId: config.APP_ID,
    privateKey: privateKey.replace(/\\n/g, "\n"),
    secret: config.WEBHOOK_SECRET,
    logLevel: config.LOG_LEVEL,
    logFormat: config.LOG_FORMAT,
    ...(log ? { log } : {}),
    ...(baseUrl ? { baseUrl } : {}),
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** An HTTP server trying `handlers` in turn (404 when none answers), with bounded header and body times. */
async function listen(handlers: Handler[], port: number, host: string | undefined, log: Logger): Promise<HttpServer> {
  const server = createServer((req, res) => {
    void (async () => {
      for (const h of handlers) if (await h(req, res)) return;
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
    })().catch((e) => {
      log.error({ path: (req.url ?? "").split("?")[0]?.slice(0, 200), error: (e as Error).message }, "request failed");
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // a client that trickles its headers or body is cut off (Node's defaults are 60 s and 300 s)
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // localhost unless HOST says otherwise, as Probot's server did (the image sets HOST=0.0.0.0)
    server.listen(port, host || "localhost", () => resolve());
  });
  return server;
}

function closeServer(server: HttpServer | undefined): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  return closed;
}

export interface Running {
  services: Services;
  /** the webhook (web/all) or health (worker) server on PORT */
  http: HttpServer;
  /** /metrics on METRICS_PORT, when METRICS_ENABLED */
  metricsHttp?: HttpServer;
  /**
   * Stops taking webhooks, lets running jobs finish until shortly before the deadline
   * (SHUTDOWN_TIMEOUT_SECONDS from now by default), hands back the rest, and closes the connections.
   */
  stop(timeoutMs?: number): Promise<void>;
}

export async function start(config: AppConfig): Promise<Running> {
  await checkRedis(config.REDIS_URL);
  const log = createLogger(config);
  const ProbotWithDefaults = Probot.defaults(probotOptions(config, log));
  const probot = new ProbotWithDefaults();
  const botLogin = config.BOT_LOGIN || (await resolveBotLogin(probot));
  const services = createServices(config, probot, log, { botLogin });
  const web = config.role !== "worker";
  const handlers: Handler[] = [];
  if (web) {
    await probot.load(appFunction(services, config));
    handlers.push(
      createWebhookReceiver({
        path: config.WEBHOOK_PATH,
        secret: config.WEBHOOK_SECRET as string,
        receive: (e) => probot.webhooks.receive(e as never),
        logger: log,
      }),
    );
  }
  // health (and, on web, the queue UI) on PORT; metrics never here: PORT is the public webhook port
  handlers.push(
    createEndpoints({ redis: services.redis, queues: services.queues.queues, adminPassword: web ? config.ADMIN_PASSWORD : undefined, logger: log }),
  );
  const http = await listen(handlers, config.PORT, config.HOST, log);
  const metricsHttp = config.METRICS_ENABLED ? await listen([metricsEndpoint(services.metrics.registry)], config.METRICS_PORT, config.HOST, log) : undefined;
  log.info({ role: config.role, port: config.PORT, metricsPort: metricsHttp ? config.METRICS_PORT : undefined }, "listening");
  let workers: RunningWorkers | undefined;
  if (config.role !== "web") {
    workers = startWorkers(services.processors, {
      connection: services.redis,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      logger: log,
      onJobDone: (e) => services.metrics.job(e),
    });
    log.info({ role: config.role, concurrency: config.WORKER_CONCURRENCY }, "workers started");
  }
  return {
    services,
    http,
    metricsHttp,
    async stop(timeoutMs = config.SHUTDOWN_TIMEOUT_SECONDS * 1000) {
      // everything below is bounded: with Redis gone, BullMQ's and ioredis's closes wait for a reconnect
      const deadline = Date.now() + Math.max(0, timeoutMs - 500);
      const httpClosed = closeServer(http);
      await workers?.close(deadline);
      await within(Promise.all([httpClosed, closeServer(metricsHttp)]), deadline - Date.now());
      http.closeAllConnections();
      metricsHttp?.closeAllConnections();
      await within(services.close(), deadline - Date.now());
      services.redis.disconnect();
    },
  };
}

async function runFromCommandLine(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`flux-image-bot: ${e.message}\nSee the Configuration section of the README.\n`);
      process.exit(2);
    }
    throw e;
  }
  let running: Awaited<ReturnType<typeof start>>;
  try {
    running = await start(config);
  } catch (e) {
    process.stderr.write(`flux-image-bot: ${(e as Error).message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const timeoutMs = config.SHUTDOWN_TIMEOUT_SECONDS * 1000;
    process.stderr.write(`flux-image-bot: ${signal} received, shutting down (at most ${config.SHUTDOWN_TIMEOUT_SECONDS} s)\n`);
    // the last word: whatever still hangs (a socket, a Redis command), the process is gone by the deadline
    setTimeout(() => {
      process.stderr.write(`flux-image-bot: shutdown took longer than SHUTDOWN_TIMEOUT_SECONDS (${config.SHUTDOWN_TIMEOUT_SECONDS}); exiting\n`);
      process.exit(1);
    }, timeoutMs).unref();
    running
      .stop(timeoutMs)
      .then(() => process.exit(0))
      .catch((err) => {
        process.stderr.write(`flux-image-bot: shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) void runFromCommandLine();
