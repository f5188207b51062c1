/**
 * Redis dies (SIGKILL) in the middle of a reconcile and comes back on the
 * same port a moment later with its append-only file: the workers do not
 * crash, the job finishes once Redis is back, and the update is committed
 * exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { FakeRegistry } from "../adapters/registry/fake-registry.js";
import { setTimeout as sleep } from "node:timers/promises";
import { botCommits, startFaultHarness, type FaultHarness } from "../helpers/fault-harness.js";
import { exampleFiles, installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";
import { HOMEPAGE_TAGS } from "../helpers/fault-fixtures.js";
import { startOwnRedis, type OwnRedis } from "../helpers/fault-redis.js";

const OWNER = "octo";
const REPO = "homelab";
const INSTALLATION = 500;

describe("Redis stopped and restarted during a reconcile", () => {
  let redis: OwnRedis;
  let registry: FakeRegistry;
  let h: FaultHarness;
  const crashes: unknown[] = [];
  const onCrash = (e: unknown) => void crashes.push(e);

  beforeAll(async () => {
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
    redis = await startOwnRedis();
    registry = await startTagRegistry({ "gethomepage/homepage": HOMEPAGE_TAGS });
    h = await startFaultHarness({ redisUrl: redis.url, env: { REGISTRY_ALLOWED_HOSTS: registry.host } });
    h.github.addInstallation(INSTALLATION, OWNER);
    h.github.seedRepo({ owner: OWNER, repo: REPO, installationId: INSTALLATION, files: exampleFiles(registry.host) });
  }, 30_000);

  afterAll(async () => {
    await h?.stop();
    await redis?.stop();
    await registry?.close();
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
  });

  it("finishes the job after Redis returns, with one commit and no crash", async () => {
    let restarted: Promise<void> | undefined;
    h.before = async (call) => {
      if (restarted || call.route !== "PATCH /repos/{owner}/{repo}/git/refs/heads/main") return;
      // Redis goes away right before the commit lands; it is back 1.5 s later
      await redis.kill("SIGKILL");
      restarted = sleep(1500).then(() => redis.restart());
    };
    try {
      expect(await h.deliver("installation", installationPayload(INSTALLATION, OWNER, [REPO]))).toBe(200);
      await h.waitFor(() => restarted !== undefined, 15_000, "the reconcile to reach the ref update");
      await restarted;
      await h.settle(20_000);
    } finally {
      h.before = undefined;
    }
    expect(crashes).toEqual([]);
    expect(botCommits(h.github, OWNER, REPO)).toHaveLength(1);
    expect(h.github.readFile(OWNER, REPO, "main", "apps/homepage/deployment.yaml")).toContain("homepage:v1.1.1 #");
    const state = await h.services.state.get({ installationId: INSTALLATION, owner: OWNER, repo: REPO });
    expect(state?.automations["flux-system/flux-system"]?.lastCommit?.sha).toBe(botCommits(h.github, OWNER, REPO)[0]!.sha);
    expect((await h.failedJobs()).map((j) => j.failedReason)).toEqual([]);
    const reconciles = await h.services.queues.queues.reconcile.getCompleted();
    expect(reconciles.some((j) => (j.returnvalue as { result?: string })?.result === "committed")).toBe(true);
  }, 40_000);
});
