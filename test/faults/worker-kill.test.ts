/**
 * A worker process killed with SIGKILL in the middle of a reconcile (right
 * before its ref update): the job's lock runs out, another worker finds it
 * stalled, runs it again and commits the update exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import type { FakeRegistry } from "../adapters/registry/fake-registry.js";
import { botCommits, startFaultHarness, type FaultHarness } from "../helpers/fault-harness.js";
import { exampleFiles, installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";
import { HOMEPAGE_TAGS } from "../helpers/fault-fixtures.js";
import { testPrivateKey } from "../helpers/app-harness.js";

const OWNER = "octo";
const REPO = "homelab";
const INSTALLATION = 600;
const HANG_ROUTE = "PATCH /repos/{owner}/{repo}/git/refs/heads/main";

describe("a worker process killed mid-job", () => {
  let registry: FakeRegistry;
  let h: FaultHarness;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    registry = await startTagRegistry({ "gethomepage/homepage": HOMEPAGE_TAGS });
    // this process takes webhooks only until the child is dead
    h = await startFaultHarness({ workers: false, env: { REGISTRY_ALLOWED_HOSTS: registry.host } });
    h.github.addInstallation(INSTALLATION, OWNER);
    h.github.seedRepo({ owner: OWNER, repo: REPO, installationId: INSTALLATION, files: exampleFiles(registry.host) });
  }, 30_000);

  afterAll(async () => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      process.kill(child.pid, "SIGKILL");
      await exited;
    }
    await h?.stop();
    await registry?.close();
  });

  it("recovers the stalled job in another worker and commits once", async () => {
    child = spawn(process.execPath, ["--import", "tsx", "test/faults/worker-child.ts"], {
      env: {
        ...process.env,
        APP_ID: "1",
        PRIVATE_KEY: testPrivateKey(),
        WEBHOOK_SECRET: "unused",
        ROLE: "worker",
        REDIS_URL: h.config.REDIS_URL,
        QUEUE_PREFIX: h.config.QUEUE_PREFIX,
        REGISTRY_ALLOWED_HOSTS: registry.host,
        GITHUB_WRITE_INTERVAL_MS: "0",
        DASHBOARD_ENABLED: "false",
        FAULT_GITHUB_URL: h.github.url,
        FAULT_HANG_ROUTE: HANG_ROUTE,
        FAULT_LOCK_MS: "1000",
        FAULT_STALLED_MS: "300",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    await h.waitFor(() => out.includes("READY") || child!.exitCode !== null, 20_000, "the worker child to start");
    expect(child.exitCode).toBeNull();

    expect(await h.deliver("installation", installationPayload(INSTALLATION, OWNER, [REPO]))).toBe(200);
    await h.waitFor(() => out.includes(`HANG ${HANG_ROUTE}`), 20_000, `the child to reach the ref update (stderr: ${err.slice(-2000)})`);
    expect((await h.services.queues.queues.reconcile.getActive()).length).toBe(1);

    const exited = new Promise((r) => child!.once("exit", r));
    process.kill(child.pid!, "SIGKILL");
    await exited;
    expect(botCommits(h.github, OWNER, REPO)).toHaveLength(0);

    // a new worker: its stalled-job check moves the dead worker's job back once the lock ran out
    h.startWorkers({ stalledIntervalMs: 300, lockDurationMs: 5_000 });
    await h.waitFor(() => botCommits(h.github, OWNER, REPO).length > 0, 15_000, "the recovered job to commit");
    await h.settle(15_000);

    expect(botCommits(h.github, OWNER, REPO)).toHaveLength(1);
    expect(h.github.readFile(OWNER, REPO, "main", "apps/homepage/deployment.yaml")).toContain("homepage:v1.1.1 #");
    expect((await h.failedJobs()).map((j) => j.failedReason)).toEqual([]);
    const done = await h.services.queues.queues.reconcile.getCompleted();
    const committed = done.filter((j) => (j.returnvalue as { result?: string })?.result === "committed");
    expect(committed).toHaveLength(1);
    // it is the job the child had started (a second attempt of it), not a new one
    expect(committed[0]!.attemptsStarted).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
