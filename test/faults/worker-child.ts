/**
 * A worker process for the SIGKILL fault test (`node --import tsx test/faults/worker-child.ts`):
 * createServices + startWorkers against the fake GitHub at FAULT_GITHUB_URL and REDIS_URL/QUEUE_PREFIX.
 * The GitHub request whose Octokit route equals FAULT_HANG_ROUTE never gets sent: the child prints
 * `HANG <route>` on stdout and waits forever, so the parent can kill it mid-job. FAULT_LOCK_MS sets
 * BullMQ's lockDuration and FAULT_STALLED_MS its stalledInterval, so a killed child's job is found stalled quickly.
 */
import { Probot } from "probot";
import { pino } from "pino";
import { loadConfig } from "../../src/config/env.js";
import { createServices, startWorkers } from "../../src/services.js";
import { QuietOctokit } from "../helpers/app-harness.js";

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = pino({ level: "info" }, pino.destination(2));
  const probot = new Probot({
    appId: Number(config.APP_ID),
    privateKey: config.PRIVATE_KEY!,
    secret: config.WEBHOOK_SECRET,
    baseUrl: `${process.env.FAULT_GITHUB_URL}/api/v3`,
    Octokit: QuietOctokit,
    log: logger,
  });
  const hangRoute = process.env.FAULT_HANG_ROUTE;
  const hooked = new WeakSet<object>();
  const getOctokit = async (id: number) => {
    const octokit = (await probot.auth(id)) as unknown as { hook: { before(n: string, f: (o: Record<string, unknown>) => Promise<void>): void } };
    if (!hooked.has(octokit)) {
      hooked.add(octokit);
      octokit.hook.before("request", async (o) => {
        const route = `${String(o.method)} ${String(o.url)}`;
        if (route !== hangRoute) return;
        process.stdout.write(`HANG ${route}\n`);
        await new Promise(() => undefined);
      });
    }
    return octokit as never;
  };
  const services = createServices(config, probot, logger, { botLogin: "flux-image-bot[bot]", getOctokit });
  startWorkers(services.processors, {
    connection: services.redis,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    logger,
    lockDurationMs: Number(process.env.FAULT_LOCK_MS ?? 60_000),
    // the stalled check is rate-limited queue-wide by the interval of whichever worker ran it last
    stalledIntervalMs: process.env.FAULT_STALLED_MS ? Number(process.env.FAULT_STALLED_MS) : undefined,
  });
  process.stdout.write("READY\n");
  // never outlive a test that forgot this child
  setTimeout(() => process.exit(3), Number(process.env.FAULT_CHILD_MAX_MS ?? 60_000)).unref();
}

main().catch((e) => {
  process.stderr.write(`worker child failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
