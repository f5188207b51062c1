/**
 * Job and schedule keys of two repositories never collide: repository `app`
 * with namespace `flux-system` and repository `app-flux` with namespace
 * `system` (the same string once joined with '-') keep one schedule and one
 * waiting job each, and pruning one leaves the other's. Schedules made with
 * the old '-' keys are moved to the new keys once, so none runs twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { BullJobQueue, createQueues, type BullQueues } from "../../src/adapters/queue/bullmq-queue.js";
import { jobKey } from "../../src/app/jobs.js";
import { ensureRedis, type TestRedis } from "../helpers/redis.js";
import type { ObjectJobData } from "../../src/app/ports/index.js";

const A: ObjectJobData = { installationId: 7, owner: "octo", repo: "app", namespace: "flux-system", name: "auto", reason: "schedule" };
const B: ObjectJobData = { installationId: 7, owner: "octo", repo: "app-flux", namespace: "system", name: "auto", reason: "schedule" };
const repoOf = (d: ObjectJobData) => ({ installationId: d.installationId, owner: d.owner, repo: d.repo });

describe("job and schedule keys", () => {
  let redis: TestRedis;
  let conn: Redis;

  beforeAll(async () => {
    redis = await ensureRedis();
    conn = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    conn.disconnect();
    await redis.stop();
  });

  const fresh = async (): Promise<{ bull: BullQueues; queue: BullJobQueue; prefix: string; done(): Promise<void> }> => {
    const prefix = `tk${randomBytes(4).toString("hex")}`;
    const bull = createQueues(conn, prefix);
    const queue = new BullJobQueue(bull.queues, Date.now, { redis: conn, prefix });
    return {
      bull,
      queue,
      prefix,
      async done() {
        for (const q of Object.values(bull.queues)) await q.obliterate({ force: true });
        const keys = await conn.keys(`${prefix}:*`);
        if (keys.length) await conn.del(...keys);
        await bull.close();
      },
    };
  };

  it("differ for the tuples that used to collide, and never hold ':'", () => {
    expect(jobKey("reconcile", A)).not.toBe(jobKey("reconcile", B));
    expect(jobKey("scan-image", A)).not.toBe(jobKey("scan-image", B));
    // owner/repo and namespace/name shifts, and the separator itself inside a part
    expect(jobKey("reconcile", { ...A, owner: "octo-app", repo: "x" })).not.toBe(jobKey("reconcile", { ...A, owner: "octo", repo: "app-x" }));
    expect(jobKey("reconcile", { ...A, name: "a~b" })).not.toBe(jobKey("reconcile", { ...A, namespace: "flux-system~a", name: "b" }));
    for (const k of [
      jobKey("reconcile", A),
      jobKey("reconcile", { ...A, name: "a:b" }),
      jobKey("run-command", { ...A, issueNumber: 1, commentId: 2, author: "x", body: "" }),
    ])
      expect(k).not.toContain(":");
  });

  it("keep one schedule and one waiting job per repository, and pruning one leaves the other", async () => {
    const t = await fresh();
    try {
      await t.queue.upsertSchedule("reconcile", A, 60_000);
      await t.queue.upsertSchedule("reconcile", B, 60_000);
      const schedulers = await t.bull.queues.reconcile.getJobSchedulers(0, -1);
      expect(schedulers).toHaveLength(2);
      expect(schedulers.map((s) => (s.template?.data as ObjectJobData | undefined)?.repo).sort()).toEqual(["app", "app-flux"]);

      await t.queue.enqueue("reconcile", A);
      await t.queue.enqueue("reconcile", B);
      expect(await t.bull.queues.reconcile.getWaitingCount()).toBe(2);

      expect(await t.queue.pruneSchedules(repoOf(A), new Set())).toBe(1);
      const left = await t.bull.queues.reconcile.getJobSchedulers(0, -1);
      expect(left.map((s) => (s.template?.data as ObjectJobData | undefined)?.repo)).toEqual(["app-flux"]);
    } finally {
      await t.done();
    }
  });

  it("moves schedules made with the old '-' keys to the new keys, so none runs twice after an upgrade", async () => {
    const t = await fresh();
    try {
      const q = t.bull.queues.reconcile;
      // as the old code made them: `reconcile-7-octo-app-flux-system-auto` (B's old key is the same string)
      await q.upsertJobScheduler("reconcile-7-octo-app-flux-system-auto", { every: 60_000, startDate: Date.now() + 60_000 }, { name: "reconcile", data: A });
      await q.upsertJobScheduler(
        "reconcile-7-octo-other-flux-system-auto",
        { every: 90_000, startDate: Date.now() + 90_000 },
        { name: "reconcile", data: { ...A, repo: "other" } },
      );
      await t.bull.queues["sync-repo"].upsertJobScheduler(
        "sync-repo-7-octo-app",
        { every: 3_600_000, startDate: Date.now() + 3_600_000 },
        { name: "sync-repo", data: repoOf(A) },
      );

      // the first sync after the upgrade: upserts under the new keys, then prunes
      await t.queue.upsertSchedule("reconcile", A, 60_000);
      await t.queue.upsertSchedule("sync-repo", { ...repoOf(A), reason: "schedule" }, 3_600_000);
      await t.queue.pruneSchedules(repoOf(A), new Set([jobKey("reconcile", A), jobKey("sync-repo", repoOf(A))]));

      const keys = [...(await q.getJobSchedulers(0, -1)), ...(await t.bull.queues["sync-repo"].getJobSchedulers(0, -1))].map((s) => s.key).sort();
      expect(keys.filter((k) => /^(reconcile|sync-repo)-/.test(k))).toEqual([]);
      expect(keys).toEqual([jobKey("reconcile", A), jobKey("reconcile", { ...A, repo: "other" }), jobKey("sync-repo", repoOf(A))].sort());
      // the other repository's schedule kept its interval under its new key
      expect((await q.getJobScheduler(jobKey("reconcile", { ...A, repo: "other" })))?.every).toBe(90_000);
      // a second process finds nothing left to move
      expect(await new BullJobQueue(t.bull.queues, Date.now, { redis: conn, prefix: t.prefix }).migrateLegacyKeys()).toBe(0);
    } finally {
      await t.done();
    }
  });
});
