/**
 * `npm start`: the webhook server and a worker in one process, or apart with
 * `--role web|worker` (or ROLE), sharing one Redis.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import { pino } from "pino";
import { Probot, Server } from "probot";
import { ConfigError, loadConfig, type AppConfig } from "./config/env.js";
import { appFunction, checkRedis, createServices, resolveBotLogin, startWorkers, type Services } from "./services.js";
import { createEndpoints } from "./adapters/http/endpoints.js";

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

export async function start(config: AppConfig): Promise<{ stop(): Promise<void>; services: Services; server?: Server }> {
  await checkRedis(config.REDIS_URL);
  const log = createLogger(config);
  const ProbotWithDefaults = Probot.defaults(probotOptions(config, log));
  const probot = new ProbotWithDefaults();
  const botLogin = config.BOT_LOGIN || (await resolveBotLogin(probot));
  const services = createServices(config, probot, log, { botLogin });
  let server: Server | undefined;
  let workers: { close(): Promise<void> } | undefined;
  if (config.role !== "worker") {
    server = new Server({ Probot: ProbotWithDefaults, port: config.PORT, host: config.HOST, webhookPath: config.WEBHOOK_PATH, log });
    server.addHandler(createEndpoints({ redis: services.redis, queues: services.queues.queues, registry: config.METRICS_ENABLED ? services.metrics.registry : undefined, adminPassword: config.ADMIN_PASSWORD, logger: log }));
    await server.load(appFunction(services, config));
    await server.start();
  }
  let workerHttp: HttpServer | undefined;
  if (config.role === "worker") {
    // Workers serve no webhooks, but health and metrics, so probes and Prometheus can reach them.
    const endpoints = createEndpoints({ redis: services.redis, queues: services.queues.queues, registry: config.METRICS_ENABLED ? services.metrics.registry : undefined, logger: log });
    workerHttp = createServer((req, res) => {
      endpoints(req, res)
        .then((handled) => {
          if (!handled) {
            res.writeHead(404, { "content-type": "text/plain" });
            res.end("not found\n");
          }
        })
        .catch(() => {
          res.writeHead(500);
          res.end();
        });
    });
    await new Promise<void>((resolve) => workerHttp!.listen(config.PORT, config.HOST, resolve));
  }
  if (config.role !== "web") {
    workers = startWorkers(services.processors, { connection: services.redis, prefix: config.QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY, logger: log, onJobDone: (e) => services.metrics.job(e) });
    log.info({ role: config.role, concurrency: config.WORKER_CONCURRENCY }, "workers started");
  }
  return {
    services,
    server,
    async stop() {
      // Finish or hand back running jobs, then stop taking webhooks.
      await workers?.close();
      await server?.stop();
      await new Promise<void>((resolve) => (workerHttp ? workerHttp.close(() => resolve()) : resolve()));
      await services.close();
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
    process.stderr.write(`flux-image-bot: ${signal} received, shutting down\n`);
    running
      .stop()
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
