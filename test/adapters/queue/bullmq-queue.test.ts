import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { BullJobQueue, createQueues, type BullQueues } from "../../../src/adapters/queue/bullmq-queue.js";
import { startWorkers } from "../../../src/adapters/queue/workers.js";
import { ensureRedis, type TestRedis } from "../../helpers/redis.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const repo = { installationId: 1, owner: "octo", repo: "app" };
const other = { installationId: 1, owner: "octo", repo: "app-x" };

describe("BullJobQueue on Redis", () => {
  let redis: TestRedis;
  let conn: Redis;
  let prefix: string;
  let bull: BullQueues;
  let queue: BullJobQueue;

  beforeAll(async () => {
    redis = await ensureRedis();
    conn = new Redis(redis.url, { maxRetriesPerRequest: null });
    prefix = `tq${randomBytes(4).toString("hex")}`;
    bull = createQueues(conn, prefix);
    queue = new BullJobQueue(bull.queues);
  });

  afterAll(async () => {
    for (const q of Object.values(bull.queues)) await q.obliterate({ force: true });
    await bull.close();
    conn.disconnect();
    await redis.stop();
  });

  it("turns a burst of identical jobs into one waiting job with a readable id", async () => {
    for (let i = 0; i < 10; i++) await queue.enqueue("sync-repo", { ...repo, reason: `push ${i}` });
    const jobs = await bull.queues["sync-repo"].getJobs(["waiting"]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].id).toMatch(/^sync-repo~1~octo~app~\d+~/);
    expect(jobs[0].id).not.toContain(":");
    await bull.queues["sync-repo"].drain();
  });

  it("runs one job per key at a time and keeps the last repeat while one is active", async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const processors = {
      "sync-repo": async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        runs++;
        if (runs === 1) await gate;
        running--;
        return "ok";
      },
      "scan-image": async () => "ok",
      reconcile: async () => "ok",
      "sync-dashboard": async () => "ok",
      "run-command": async () => "ok",
      "pull-request-event": async () => "ok",
    };
    const workers = startWorkers(processors, { connection: conn, prefix, concurrency: 4, logger: silent });
    await queue.enqueue("sync-repo", { ...repo, reason: "first" });
    while (runs === 0) await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 5; i++) await queue.enqueue("sync-repo", { ...repo, reason: `during ${i}` });
    release();
    const deadline = Date.now() + 10_000;
    while (runs < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    await workers.close();
    expect(runs).toBe(2); // the first, then one for all the repeats
    expect(maxRunning).toBe(1);
  });

  it("upserts schedulers idempotently and prunes only the repository's own", async () => {
    const scan = { ...repo, namespace: "flux-system", name: "podinfo" };
    const otherScan = { ...other, namespace: "flux-system", name: "podinfo" };
    await queue.upsertSchedule("scan-image", scan, 60_000);
    await queue.upsertSchedule("scan-image", scan, 60_000);
    await queue.upsertSchedule("scan-image", otherScan, 60_000);
    await queue.upsertSchedule("reconcile", { ...repo, namespace: "flux-system", name: "auto" }, 120_000);
    let schedulers = await bull.queues["scan-image"].getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key).sort()).toEqual(["scan-image~1~octo~app-x~flux-system~podinfo", "scan-image~1~octo~app~flux-system~podinfo"]);
    await queue.upsertSchedule("scan-image", scan, 30_000);
    schedulers = await bull.queues["scan-image"].getJobSchedulers(0, -1);
    expect(schedulers.find((s) => s.key === "scan-image~1~octo~app~flux-system~podinfo")?.every).toBe(30_000);
    const removed = await queue.pruneSchedules(repo, new Set(["reconcile~1~octo~app~flux-system~auto"]));
    expect(removed).toBe(1);
    expect((await bull.queues["scan-image"].getJobSchedulers(0, -1)).map((s) => s.key)).toEqual(["scan-image~1~octo~app-x~flux-system~podinfo"]);
    expect(await queue.removeRepository(repo)).toBe(1);
    expect(await bull.queues.reconcile.getJobSchedulers(0, -1)).toEqual([]);
  });
});
