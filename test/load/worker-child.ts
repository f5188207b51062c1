/**
 * A worker process for the load run (`tsx test/load/worker-child.ts`, started by run.ts with an IPC channel):
 * createServices + startWorkers against the fake GitHub (LOAD_GITHUB_URL) and the shared Redis.
 * Reports jobs processed per queue, peak RSS/heap and the gateway's request counters on {type:"stats"};
 * closes its workers and exits on {type:"stop"}.
 */
import { Probot } from "probot";
import { pino } from "pino";
import { loadConfig } from "../../src/config/env.js";
import { createServices, startWorkers } from "../../src/services.js";
import { QuietOctokit } from "../helpers/app-harness.js";

export interface ChildStats {
  type: "stats";
  name: string;
  pid: number;
  jobs: Record<string, Record<string, number>>;
  peakRssMb: number;
  peakHeapMb: number;
  rssMb: number;
  gateway: { requests: number; notModified: number; writes: number; errors: number };
  warnings: Record<string, number>;
}

const send = (m: unknown) => process.send?.(m);

async function main(): Promise<void> {
  const name = process.env.LOAD_WORKER_NAME ?? `worker-${process.pid}`;
  const config = loadConfig(process.env);
  const warnings: Record<string, number> = {};
  const logger = pino(
    { level: "warn" },
    {
      write: (line: string) => {
        try {
          const o = JSON.parse(line) as { msg?: string; code?: string; error?: string };
          const k = `${o.msg ?? "?"}${o.code ? ` [${o.code}]` : ""}`;
          warnings[k] = (warnings[k] ?? 0) + 1;
          if (Object.keys(warnings).length < 50 && warnings[k] === 1 && process.env.LOAD_VERBOSE) process.stderr.write(`[${name}] ${line}`);
        } catch {
          /* not JSON */
        }
      },
    },
  );
  const probot = new Probot({
    appId: Number(config.APP_ID),
    privateKey: config.PRIVATE_KEY!,
    secret: config.WEBHOOK_SECRET,
    baseUrl: `${process.env.LOAD_GITHUB_URL}/api/v3`,
    Octokit: QuietOctokit,
    log: logger,
  });
  const services = createServices(config, probot, logger, { botLogin: "flux-image-bot[bot]" });
  const jobs: Record<string, Record<string, number>> = {};
  const workers = startWorkers(services.processors, {
    connection: services.redis,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    logger,
    onJobDone: (e) => {
      const q = jobs[e.queue] ?? {};
      jobs[e.queue] = q;
      q[e.outcome] = (q[e.outcome] ?? 0) + 1;
      services.metrics.job(e);
    },
  });
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  sample();
  const sampler = setInterval(sample, 200);
  // Never outlive the parent: exit if it goes away or after a hard cap.
  const cap = setTimeout(() => process.exit(3), Number(process.env.LOAD_CHILD_MAX_MS ?? 30 * 60_000));
  cap.unref();
  process.on("disconnect", () => process.exit(4));
  process.on("message", (m: { type: string }) => {
    if (m.type === "stats") {
      sample();
      const stats: ChildStats = {
        type: "stats",
        name,
        pid: process.pid,
        jobs,
        peakRssMb: peakRss / 2 ** 20,
        peakHeapMb: peakHeap / 2 ** 20,
        rssMb: process.memoryUsage().rss / 2 ** 20,
        gateway: services.gateway.counters().total,
        warnings,
      };
      send(stats);
    }
    if (m.type === "stop") {
      clearInterval(sampler);
      void (async () => {
        await workers.close().catch(() => undefined);
        await services.close().catch(() => undefined);
        send({ type: "stopped" });
        process.exit(0);
      })();
    }
  });
  send({ type: "ready", name, pid: process.pid });
}

main().catch((e) => {
  process.stderr.write(`worker-child failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
