/**
 * SIGTERM has a deadline (SHUTDOWN_TIMEOUT_SECONDS): the real process exits
 * within it with Redis gone (the review saw one still running 14 minutes
 * later), and with Redis up a job that does not finish in time is handed back
 * to the queue (waiting, for another worker) instead of staying active until
 * its lock expires.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { startOwnRedis, type OwnRedis } from "../helpers/fault-redis.js";
import { mainEnv, startMainProcess, type MainProcess } from "../helpers/main-process.js";
import { freePort } from "../helpers/registry-server.js";

const TIMEOUT_S = 4;
/** the bound asserted: the deadline plus room for a loaded 2-core machine */
const BOUND_MS = TIMEOUT_S * 1000 + 6000;

/** A "GitHub" that accepts connections and never answers: every job that calls it hangs. */
async function blackHole(): Promise<{ host: string; close(): Promise<void> }> {
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer(() => undefined);
  server.on("connection", (s) => (sockets.add(s), s.on("close", () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe("shutdown deadline", () => {
  let redis: OwnRedis;
  let github: Awaited<ReturnType<typeof blackHole>>;
  const started: MainProcess[] = [];

  beforeAll(async () => {
    redis = await startOwnRedis();
    github = await blackHole();
  }, 30_000);

  afterAll(async () => {
    for (const m of started) await m.kill();
    await github?.close();
    await redis?.stop();
  });

  const startMain = async (prefix: string): Promise<MainProcess> => {
    const env = mainEnv(redis.url, {
      PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      QUEUE_PREFIX: prefix,
      SHUTDOWN_TIMEOUT_SECONDS: String(TIMEOUT_S),
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      WORKER_CONCURRENCY: "2",
    });
    const m = await startMainProcess(env, ["--role", "all"]);
    started.push(m);
    return m;
  };

  it("hands a running job back to the queue and exits within the deadline", async () => {
    const prefix = `sd${randomBytes(4).toString("hex")}`;
    const main = await startMain(prefix);
    const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue("sync-repo", { connection: conn, prefix });
    try {
      await queue.add("sync-repo", { installationId: 1, owner: "octo", repo: "hangs", reason: "test" }, { jobId: "sync-repo~1~octo~hangs~t" });
      const deadline = Date.now() + 20_000;
      while ((await queue.getActiveCount()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await queue.getActiveCount()).toBe(1);

      const sent = Date.now();
      main.child.kill("SIGTERM");
      const exit = await main.exited;
      const ms = exit.at - sent;
      process.stdout.write(`shutdown with a hung job: exit ${exit.code} after ${ms} ms (SHUTDOWN_TIMEOUT_SECONDS=${TIMEOUT_S})\n`);
      expect(ms).toBeLessThan(BOUND_MS);
      expect(await queue.getActiveCount()).toBe(0);
      expect(await queue.getWaitingCount()).toBe(1);
      expect(main.logs().text).toContain("running jobs handed back");
    } finally {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      conn.disconnect();
    }
  }, 60_000);

  it("exits within the deadline when Redis is gone", async () => {
    const main = await startMain(`sd${randomBytes(4).toString("hex")}`);
    await redis.kill("SIGKILL");
    // the process notices: its connections fail and retry
    await new Promise((r) => setTimeout(r, 1500));
    const sent = Date.now();
    main.child.kill("SIGTERM");
    const exit = await main.exited;
    const ms = exit.at - sent;
    process.stdout.write(`shutdown with Redis gone: exit ${exit.code} after ${ms} ms (SHUTDOWN_TIMEOUT_SECONDS=${TIMEOUT_S})\n`);
    expect(ms).toBeLessThan(BOUND_MS);
    await redis.restart();
  }, 60_000);
});
