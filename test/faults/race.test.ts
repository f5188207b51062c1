/**
 * Two worker processes (two sets of services and workers on the same queues
 * and Redis) race on one repository: several automations commit to the same
 * branch at once, a person pushes meanwhile, and the same runs are enqueued
 * again and again from both sides. Every update lands exactly once, the
 * person's commit is kept, and the pull-request automation opens one PR.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { FakeRegistry } from "../adapters/registry/fake-registry.js";
import { setTimeout as sleep } from "node:timers/promises";
import { botCommits, startFaultHarness, type FaultHarness } from "../helpers/fault-harness.js";
import { installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";
import { automationObject, deploymentFile, imageObjects } from "../helpers/fault-fixtures.js";

const OWNER = "octo";
const REPO = "busy";
const INSTALLATION = 400;
const DIRECT = ["a", "b", "c", "d"];

describe("two workers racing on one repository", () => {
  let h1: FaultHarness;
  let h2: FaultHarness;
  let registry: FakeRegistry;

  beforeAll(async () => {
    const tags = Object.fromEntries([...DIRECT, "pr"].map((n) => [`team/${n}`, ["1.0.0", "1.1.0", "2.0.0"]]));
    registry = await startTagRegistry(tags);
    h1 = await startFaultHarness({ env: { REGISTRY_ALLOWED_HOSTS: registry.host }, concurrency: 4 });
    h2 = await startFaultHarness({ env: { REGISTRY_ALLOWED_HOSTS: registry.host }, concurrency: 4, github: h1.github, queuePrefix: h1.config.QUEUE_PREFIX });
    const files: Record<string, string> = {};
    for (const n of [...DIRECT, "pr"]) {
      files[`flux/${n}.yaml`] = imageObjects(n, `${registry.host}/team/${n}`);
      files[`flux/auto-${n}.yaml`] = automationObject(`auto-${n}`, `./apps/${n}`, n === "pr" ? { pushBranch: "flux-updates" } : {});
      files[`apps/${n}/deploy.yaml`] = deploymentFile(n, `${registry.host}/team/${n}:1.0.0`, n);
    }
    h1.github.addInstallation(INSTALLATION, OWNER);
    h1.github.seedRepo({ owner: OWNER, repo: REPO, installationId: INSTALLATION, files });
  }, 30_000);

  afterAll(async () => {
    await h2?.stop();
    await h1?.stop();
    await registry?.close();
  });

  it("commits every automation's update exactly once, keeps the person's commit and opens one pull request", async () => {
    // A person pushes to main just before the first bot moves main, whichever process that is: that bot's
    // commit was built on the old head, so the race happens every time, and the bot must re-apply.
    let humanPushed = false;
    const pushFirst = async (call: { route: string; params: Record<string, unknown> }): Promise<void> => {
      // the branch is part of the route (src/adapters/github/ref-path.ts sends its slashes as they are)
      if (humanPushed || call.route !== "PATCH /repos/{owner}/{repo}/git/refs/heads/main") return;
      humanPushed = true;
      h1.github.pushCommit(OWNER, REPO, "main", { files: { "NOTES.md": "a person's change\n" }, message: "notes" });
    };
    h1.before = pushFirst;
    h2.before = pushFirst;
    try {
      expect(await h1.deliver("installation", installationPayload(INSTALLATION, OWNER, [REPO]))).toBe(200);
      // the same runs, asked for again from both processes while the first ones are running
      const base = { installationId: INSTALLATION, owner: OWNER, repo: REPO, account: OWNER, namespace: "flux-system" };
      for (let round = 0; round < 3; round++) {
        await Promise.all(
          [h1, h2].flatMap((h) =>
            [...DIRECT, "pr"].map((n) => h.services.queue.enqueue("reconcile", { ...base, name: `auto-${n}`, reason: `again ${round}` })),
          ),
        );
        await sleep(60);
      }
      await h1.settle(30_000);
      await h2.settle(10_000);
    } finally {
      h1.before = undefined;
      h2.before = undefined;
    }

    expect(humanPushed).toBe(true);
    // the bot whose update the person's push overtook found the branch moved and re-applied on the new head
    expect([...h1.logs, ...h2.logs].some((l) => l.includes("branch moved during reconcile"))).toBe(true);
    const main = h1.github.listCommits(OWNER, REPO, "main");
    const bot = botCommits(h1.github, OWNER, REPO);
    expect(bot.map((c) => c.message).sort()).toEqual(DIRECT.map((n) => `update by auto-${n}`).sort());
    for (const n of DIRECT) expect(h1.github.readFile(OWNER, REPO, "main", `apps/${n}/deploy.yaml`)).toContain(`team/${n}:2.0.0 #`);
    expect(h1.github.readFile(OWNER, REPO, "main", "NOTES.md")).toBe("a person's change\n");
    expect(main.filter((c) => c.message === "notes")).toHaveLength(1);
    // a straight line: every commit has one parent (fast-forwards only)
    for (const c of main) expect(c.parents.length).toBeLessThanOrEqual(1);

    // the pull-request automation: one commit on its branch, one PR, main untouched for it
    expect(h1.github.readFile(OWNER, REPO, "main", "apps/pr/deploy.yaml")).toContain("team/pr:1.0.0 #");
    expect(h1.github.readFile(OWNER, REPO, "flux-updates", "apps/pr/deploy.yaml")).toContain("team/pr:2.0.0 #");
    expect(h1.github.listCommits(OWNER, REPO, "flux-updates").filter((c) => c.message === "update by auto-pr")).toHaveLength(1);
    expect(h1.github.pulls(OWNER, REPO)).toHaveLength(1);

    const failed = [...(await h1.failedJobs())].map((j) => `${j.name}: ${j.failedReason}`);
    expect(failed).toEqual([]);
    const state = (await h1.services.state.get({ installationId: INSTALLATION, owner: OWNER, repo: REPO }))!;
    for (const n of [...DIRECT, "pr"]) expect(state.automations[`flux-system/auto-${n}`]?.error).toBeUndefined();
    expect(state.activity.filter((a) => a.kind === "commit")).toHaveLength(DIRECT.length);
  }, 45_000);
});
