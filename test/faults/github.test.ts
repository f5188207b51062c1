/**
 * GitHub faults through the whole app (webhook → queue → workers → fake
 * GitHub): every test asserts nothing lost (the update is committed, the
 * job completes or is retried to success) and nothing doubled (one bot
 * commit on the branch).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { FakeRegistry } from "../adapters/registry/fake-registry.js";
import { botCommits, startFaultHarness, type FaultHarness } from "../helpers/fault-harness.js";
import { exampleFiles, installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";
import { HOMEPAGE_TAGS, repositoriesRemovedPayload } from "../helpers/fault-fixtures.js";

const OWNER = "octo";
const DEPLOYMENT = "apps/homepage/deployment.yaml";
const AUTOMATION = "flux-system/flux-system";

describe("GitHub faults: nothing lost, nothing doubled", () => {
  let h: FaultHarness;
  let registry: FakeRegistry;
  let nextInstallation = 100;

  beforeAll(async () => {
    registry = await startTagRegistry({ "gethomepage/homepage": HOMEPAGE_TAGS });
    h = await startFaultHarness({ env: { REGISTRY_ALLOWED_HOSTS: registry.host } });
  }, 30_000);

  afterAll(async () => {
    await h?.stop();
    await registry?.close();
  });

  /** A fresh installation with one repository holding the example; returns its ids. */
  function seed(repo: string, opts: { protectedBranches?: string[] } = {}) {
    const installationId = nextInstallation++;
    h.github.addInstallation(installationId, OWNER);
    const { headSha } = h.github.seedRepo({
      owner: OWNER,
      repo,
      installationId,
      files: exampleFiles(registry.host),
      protectedBranches: opts.protectedBranches,
    });
    return { installationId, repo, headSha, id: { installationId, owner: OWNER, repo } };
  }

  const updated = (repo: string) => h.github.readFile(OWNER, repo, "main", DEPLOYMENT)!.includes("homepage:v1.1.1 #");
  const jobsSince = (n: number) => h.jobs.slice(n);

  async function expectOneCommitAndNoFailures(repo: string, installationId: number) {
    const bot = botCommits(h.github, OWNER, repo);
    expect(bot).toHaveLength(1);
    expect(updated(repo)).toBe(true);
    const failed = (await h.failedJobs()).filter((j) => j.data.installationId === installationId);
    expect(failed.map((j) => j.failedReason)).toEqual([]);
  }

  it.each([
    ["500 on the repository read", { method: "GET", path: /$/, status: 500 }, "sync-repo"],
    ["502 on a branch read", { method: "GET", path: /\/git\/ref\/heads\/main$/, status: 502 }, "sync-repo"],
    ["500 on the ref update", { method: "PATCH", path: /\/git\/refs\/heads\/main$/, status: 500 }, "reconcile"],
    ["502 on the ref update", { method: "PATCH", path: /\/git\/refs\/heads\/main$/, status: 502 }, "reconcile"],
  ] as const)(
    "%s: the job is retried and the update committed once",
    async (_name, fault, queue) => {
      const { installationId, repo } = seed(`retry-${fault.status}-${fault.method.toLowerCase()}-${nextInstallation}`);
      const mark = h.jobs.length;
      h.github.failNext({ ...fault, path: new RegExp(`/repos/${OWNER}/${repo}${fault.path.source}`) });
      expect(await h.deliver("installation", installationPayload(installationId, OWNER, [repo]))).toBe(200);
      await h.settle();
      expect(h.github.pendingFaults()).toBe(0);
      expect(jobsSince(mark)).toContainEqual({ queue, outcome: "retry" });
      await expectOneCommitAndNoFailures(repo, installationId);
    },
    20_000,
  );

  it.each([
    [
      "primary (x-ratelimit-remaining: 0, x-ratelimit-reset)",
      { method: "PATCH", path: /\/git\/refs\/heads\/main$/, status: 403, rateLimit: true },
      "reconcile",
    ],
    [
      "secondary (retry-after)",
      {
        method: "GET",
        path: /$/,
        status: 403,
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        headers: { "retry-after": "1" },
      },
      "sync-repo",
    ],
    [
      "429 with retry-after on the ref update",
      { method: "PATCH", path: /\/git\/refs\/heads\/main$/, status: 429, headers: { "retry-after": "2" } },
      "reconcile",
    ],
  ] as const)(
    "a %s rate limit delays the job instead of failing it",
    async (_name, fault, queue) => {
      const { installationId, repo } = seed(`ratelimit-${nextInstallation}`);
      const mark = h.jobs.length;
      h.github.failNext({ ...fault, path: new RegExp(`/repos/${OWNER}/${repo}${fault.path.source}`) });
      expect(await h.deliver("installation", installationPayload(installationId, OWNER, [repo]))).toBe(200);
      await h.settle();
      const mine = jobsSince(mark);
      expect(mine).toContainEqual({ queue, outcome: "delayed" });
      expect(mine.filter((j) => j.outcome === "failed" || j.outcome === "retry")).toEqual([]);
      expect(h.logs.some((l) => l.includes("job delayed by a rate limit") && l.includes("github.rate-limited"))).toBe(true);
      await expectOneCommitAndNoFailures(repo, installationId);
    },
    20_000,
  );

  it("a deleted repository: its next sync fails for good (once, github.not-found, a Problem), its schedules go; the installation's other repository is unaffected", async () => {
    const installationId = nextInstallation++;
    h.github.addInstallation(installationId, OWNER);
    h.github.seedRepo({ owner: OWNER, repo: "gone", installationId, files: exampleFiles(registry.host) });
    h.github.seedRepo({ owner: OWNER, repo: "kept", installationId, files: exampleFiles(registry.host) });
    expect(await h.deliver("installation", installationPayload(installationId, OWNER, ["gone", "kept"]))).toBe(200);
    await h.settle();
    expect((await h.schedulerKeys()).filter((k) => k.includes(`~${installationId}~${OWNER}~gone`)).length).toBeGreaterThan(0);

    h.github.state.repos.delete(`${OWNER}/gone`);
    // the hourly sync schedule fires for both repositories
    for (const repo of ["gone", "kept"])
      await h.services.queue.enqueue("sync-repo", { installationId, owner: OWNER, repo, account: OWNER, reason: "schedule" });
    await h.settle();
    const failed = (await h.failedJobs()).filter((j) => j.data.installationId === installationId);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.name).toBe("sync-repo");
    expect(failed[0]!.data.repo).toBe("gone");
    expect(failed[0]!.failedReason).toMatch(/^github\.not-found: octo\/gone: /);
    // terminal: not retried
    expect(failed[0]!.attemptsMade).toBe(1);
    const gone = await h.services.state.get({ installationId, owner: OWNER, repo: "gone" });
    expect(gone?.problems.sync).toEqual([expect.objectContaining({ code: "github.not-found", message: expect.stringContaining("octo/gone") })]);
    const schedules = await h.schedulerKeys();
    expect(schedules.filter((k) => k.includes(`~${installationId}~${OWNER}~gone`))).toEqual([]);
    expect(schedules.filter((k) => k.includes(`~${installationId}~${OWNER}~kept`)).length).toBe(3);
    expect(botCommits(h.github, OWNER, "kept")).toHaveLength(1);
    expect(updated("kept")).toBe(true);
    expect((await h.services.state.get({ installationId, owner: OWNER, repo: "kept" }))?.problems.sync).toEqual([]);
  }, 20_000);

  it.each([
    ["422 not a fast forward (GitHub's real answer)", undefined],
    ["409 conflict", 409],
  ] as const)(
    "someone pushes between the read and the ref update (%s): re-read, re-apply on the new head, their change kept",
    async (_name, status) => {
      const { installationId, repo, headSha } = seed(`race-${status ?? 422}-${nextInstallation}`);
      let humanSha: string | undefined;
      h.before = (call) => {
        if (humanSha || call.repo !== repo || call.route !== "PATCH /repos/{owner}/{repo}/git/refs/heads/main") return;
        humanSha = h.github.pushCommit(OWNER, repo, "main", { files: { "README.md": "# homelab, edited by a human\n" }, message: "docs: edit README" });
        if (status)
          h.github.failNext({
            method: "PATCH",
            path: new RegExp(`/repos/${OWNER}/${repo}/git/refs/heads/main$`),
            status,
            message: "Reference update conflict",
          });
      };
      try {
        expect(await h.deliver("installation", installationPayload(installationId, OWNER, [repo]))).toBe(200);
        await h.settle();
      } finally {
        h.before = undefined;
      }
      expect(humanSha).toBeDefined();
      const commits = h.github.listCommits(OWNER, repo, "main");
      expect(commits.map((c) => c.author.name)).toEqual(["flux-image-automation", "Someone Else", "Someone Else"]);
      expect(commits[0]!.parents).toEqual([humanSha]);
      expect(commits[1]!.parents).toEqual([headSha]);
      expect(h.github.readFile(OWNER, repo, "main", "README.md")).toBe("# homelab, edited by a human\n");
      await expectOneCommitAndNoFailures(repo, installationId);
      const state = await h.services.state.get({ installationId, owner: OWNER, repo });
      expect(state?.automations[AUTOMATION]?.lastCommit?.sha).toBe(commits[0]!.sha);
      expect(state?.activity.filter((a) => a.kind === "commit").map((a) => a.sha)).toEqual([commits[0]!.sha]);
      expect(h.logs.some((l) => l.includes("branch moved during reconcile") && l.includes(repo))).toBe(true);
    },
    20_000,
  );

  it("the branch moves on every attempt of a run: the job is retried by the queue and commits once the branch holds still", async () => {
    const { installationId, repo } = seed(`busy-${nextInstallation}`);
    let pushes = 0;
    h.before = (call) => {
      if (pushes >= 4 || call.repo !== repo || call.route !== "PATCH /repos/{owner}/{repo}/git/refs/heads/main") return;
      pushes++;
      h.github.pushCommit(OWNER, repo, "main", { files: { [`notes/${pushes}.md`]: `push ${pushes}\n` }, message: `push ${pushes}` });
    };
    const mark = h.jobs.length;
    try {
      expect(await h.deliver("installation", installationPayload(installationId, OWNER, [repo]))).toBe(200);
      await h.settle();
    } finally {
      h.before = undefined;
    }
    expect(pushes).toBe(4);
    expect(jobsSince(mark)).toContainEqual({ queue: "reconcile", outcome: "retry" });
    await expectOneCommitAndNoFailures(repo, installationId);
    for (let i = 1; i <= 4; i++) expect(h.github.readFile(OWNER, repo, "main", `notes/${i}.md`)).toBe(`push ${i}\n`);
  }, 20_000);

  it("a protected branch: no commit, the job completes and the Problem suggests spec.git.push.branch", async () => {
    const { installationId, repo, id } = seed(`protected-${nextInstallation}`, { protectedBranches: ["main"] });
    expect(await h.deliver("installation", installationPayload(installationId, OWNER, [repo]))).toBe(200);
    await h.settle();
    expect(botCommits(h.github, OWNER, repo)).toHaveLength(0);
    const state = await h.services.state.get(id);
    expect(state?.automations[AUTOMATION]).toMatchObject({ lastResult: "failed", error: { code: "github.protected-branch" } });
    const problems = state?.problems[`reconcile:${AUTOMATION}`] ?? [];
    expect(problems).toContainEqual(expect.objectContaining({ code: "github.protected-branch", message: expect.stringContaining("spec.git.push.branch") }));
    expect(state?.automations[AUTOMATION]?.pending?.[0]).toMatchObject({ file: DEPLOYMENT, newValue: expect.stringContaining("v1.1.1") });
    expect((await h.failedJobs()).filter((j) => j.data.installationId === installationId)).toEqual([]);
  }, 20_000);

  it("installation deleted while its scan and reconcile jobs are queued: they skip, schedules and state are gone", async () => {
    const { installationId, repo, id } = seed(`uninstalled-${nextInstallation}`);
    const q = h.services.queues.queues;
    await q["scan-image"].pause();
    await q.reconcile.pause();
    try {
      expect(await h.deliver("installation", installationPayload(installationId, OWNER, [repo]))).toBe(200);
      await h.waitFor(async () => (await h.services.state.get(id))?.model !== undefined, 10_000, "the sync");
      await h.waitFor(async () => (await q.reconcile.getWaiting()).some((j) => j.data.installationId === installationId), 10_000, "a queued reconcile");
      expect((await h.schedulerKeys()).filter((k) => k.includes(`~${installationId}~`)).length).toBeGreaterThan(0);
      h.github.state.installations.delete(installationId);
      expect(await h.deliver("installation", installationPayload(installationId, OWNER, [repo], "deleted"))).toBe(200);
    } finally {
      await q["scan-image"].resume();
      await q.reconcile.resume();
    }
    await h.settle();
    expect(botCommits(h.github, OWNER, repo)).toHaveLength(0);
    expect((await h.schedulerKeys()).filter((k) => k.includes(`~${installationId}~`))).toEqual([]);
    expect(await h.services.state.get(id)).toBeNull();
    expect((await h.failedJobs()).filter((j) => j.data.installationId === installationId)).toEqual([]);
    const done = [...(await q.reconcile.getCompleted()), ...(await q["scan-image"].getCompleted())].filter((j) => j.data.installationId === installationId);
    expect(done.length).toBeGreaterThanOrEqual(2);
    for (const j of done) expect(j.returnvalue).toMatchObject({ result: "skipped" });
  }, 20_000);

  it("repository removed from the installation while its sync is queued: the sync skips, nothing is re-created", async () => {
    const { installationId, repo, id } = seed(`removed-${nextInstallation}`);
    const q = h.services.queues.queues;
    await q["sync-repo"].pause();
    try {
      expect(await h.deliver("installation", installationPayload(installationId, OWNER, [repo]))).toBe(200);
      await h.waitFor(async () => (await q["sync-repo"].getWaiting()).some((j) => j.data.installationId === installationId), 10_000, "a queued sync");
      // GitHub takes the repository away from the installation, then tells the app
      h.github.state.mustRepo(OWNER, repo).installationId = 9999;
      expect(await h.deliver("installation_repositories", repositoriesRemovedPayload(installationId, OWNER, [repo]))).toBe(200);
    } finally {
      await q["sync-repo"].resume();
    }
    await h.settle();
    expect(botCommits(h.github, OWNER, repo)).toHaveLength(0);
    expect((await h.schedulerKeys()).filter((k) => k.includes(`~${installationId}~`))).toEqual([]);
    expect(await h.services.state.get(id)).toBeNull();
    expect((await h.failedJobs()).filter((j) => j.data.installationId === installationId)).toEqual([]);
    const sync = (await q["sync-repo"].getCompleted()).filter((j) => j.data.installationId === installationId);
    expect(sync).toHaveLength(1);
    expect(sync[0]!.returnvalue).toMatchObject({ skipped: expect.stringContaining("not") });
  }, 20_000);
});
