/**
 * reconcileAutomation on its own: the in-memory state store, a fake queue, an
 * in-memory repository gateway and a scanner stub; the model is parsed from
 * the fixtures as the sync would (parseRepository).
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { MemoryStateStore } from "../../src/adapters/state/memory-state-store.js";
import { AppError } from "../../src/core/errors.js";
import { reconcileAutomation, type ReconcileDeps } from "../../src/app/reconcile-automation.js";
import { fixedClock, silentLogger } from "../fixtures/dashboard/fakes.js";
import { loadTree } from "../helpers/load-tree.js";
import { MemoryRepoGateway } from "../helpers/memory-repo-gateway.js";
import { AUTOMATION_FILE, DEPLOYMENT, example, exampleTags, HOMEPAGE, job, NOW, pushTo, repo, setup, withAutomation } from "../helpers/reconcile-setup.js";
import { stubScanner } from "../helpers/stub-scanner.js";

describe("reconcileAutomation: nothing to run", () => {
  it("skips a repository that was never synced, writing nothing", async () => {
    const gateway = new MemoryRepoGateway(example());
    const store = new MemoryStateStore();
    const deps: ReconcileDeps = { gateway, state: store, scanner: stubScanner({}).scanner, clock: fixedClock(NOW), logger: silentLogger };
    expect(await reconcileAutomation(deps, job())).toEqual({ result: "skipped", reason: "repository not synced yet" });
    expect(gateway.calls).toEqual([]);
    expect(await store.get(repo)).toBeNull();
  });

  it("skips an automation that is no longer in the model", async () => {
    const { deps, gateway, store } = await setup(example());
    expect(await reconcileAutomation(deps, job({ name: "gone" }))).toEqual({
      result: "skipped",
      reason: "ImageUpdateAutomation flux-system/gone no longer exists",
    });
    expect(gateway.calls).toEqual([]);
    expect((await store.get(repo))?.automations).toEqual({});
  });

  it("makes no commit for spec.suspend: true and records the suspension", async () => {
    const files = example(withAutomation((y) => y.replace("spec:\n  interval: 30m\n", "spec:\n  suspend: true\n  interval: 30m\n")));
    const { deps, gateway, store, queue } = await setup(files);
    expect(await reconcileAutomation(deps, job())).toEqual({ result: "suspended" });
    expect(gateway.calls).toEqual([]);
    expect((await store.get(repo))?.automations["flux-system/flux-system"]).toEqual({ lastRunAt: NOW, lastResult: "suspended" });
    expect(queue.jobs).toEqual([]);
  });

  it("makes no commit while suspended by chatops", async () => {
    const by = { by: "octocat", at: "2026-02-01T00:00:00.000Z" };
    const { deps, gateway, store } = await setup(example(), { state: (s) => void (s.automations["flux-system/flux-system"] = { suspendedByChatops: by }) });
    expect(await reconcileAutomation(deps, job())).toEqual({ result: "suspended" });
    expect(gateway.calls).toEqual([]);
    expect(gateway.filesOf("main")[DEPLOYMENT]).toContain(`${HOMEPAGE}:v0.9.0 #`);
    expect((await store.get(repo))?.automations["flux-system/flux-system"]).toEqual({ suspendedByChatops: by, lastRunAt: NOW, lastResult: "suspended" });
  });

  it("writes nothing when the files already hold the latest tag, and records up-to-date", async () => {
    const files = example((f) => f.content.replace(`${HOMEPAGE}:v0.9.0 #`, `${HOMEPAGE}:v1.1.1 #`));
    const { deps, gateway, store } = await setup(files);
    expect(await reconcileAutomation(deps, job())).toEqual({ result: "up-to-date" });
    expect(gateway.calls).toEqual([]);
    const s = await store.get(repo);
    expect(s?.automations["flux-system/flux-system"]).toMatchObject({ lastRunAt: NOW, lastResult: "up-to-date", pending: [] });
    expect(s?.policies["flux-system/my-app"]?.latestRef).toMatchObject({ tag: "v1.1.1" });
    expect(s?.policies["flux-system/my-app"]?.refsInFiles).toEqual([{ file: DEPLOYMENT, line: 19, value: `${HOMEPAGE}:v1.1.1`, setter: expect.any(String) }]);
    expect(s?.activity).toEqual([]);
    expect(s?.problems["reconcile:flux-system/flux-system"]).toEqual([]);
  });
});

describe("reconcileAutomation: committing", () => {
  it("commits directly with the rendered message and the author, and records the refs and the activity", async () => {
    const { deps, gateway, store, queue } = await setup(example());
    const before = gateway.branches.get("main");
    const out = await reconcileAutomation(deps, job());
    const head = gateway.headCommit("main")!;
    expect(out).toEqual({ result: "committed", sha: head.sha, branch: "main", files: 1 });
    expect(head.parent).toBe(before);
    expect(head.author).toEqual({ name: "flux-image-automation", email: "flux-image-automation@users.noreply.github.com" });
    expect(head.message).toBe(
      [
        "Automated image update",
        "",
        "Automation name: flux-system/flux-system",
        "",
        "Files:",
        // Flux's file names are relative to spec.update.path
        "- homepage/deployment.yaml",
        "Objects:",
        "- Deployment homepage",
        "  Changes:",
        `    - ${HOMEPAGE}:v0.9.0 -> ${HOMEPAGE}:v1.1.1`,
        "",
      ].join("\n"),
    );
    expect(gateway.filesOf("main")[DEPLOYMENT]).toContain(`image: ${HOMEPAGE}:v1.1.1 # {"$imagepolicy": "flux-system:my-app"}`);
    expect(gateway.calls.map((c) => c.method)).toEqual(["commitFiles"]);

    const s = (await store.get(repo))!;
    expect(s.automations["flux-system/flux-system"]).toMatchObject({
      lastRunAt: NOW,
      lastResult: "committed",
      lastCommit: { sha: head.sha, branch: "main", at: NOW },
      pending: [],
    });
    expect(s.automations["flux-system/flux-system"]?.error).toBeUndefined();
    // the refs are those now in the files, not the ones the plan read
    expect(s.policies["flux-system/my-app"]?.refsInFiles).toEqual([{ file: DEPLOYMENT, line: 19, value: `${HOMEPAGE}:v1.1.1`, setter: expect.any(String) }]);
    expect(s.activity).toEqual([{ at: NOW, kind: "commit", automation: "flux-system/flux-system", sha: head.sha, summary: `1 file(s) on main` }]);
    // Flux's default exclusionList (^.*\.sig$) leaves the signature tag out
    expect(s.scans["flux-system/homepage"]).toMatchObject({ image: HOMEPAGE, tagCount: exampleTags()[HOMEPAGE]!.length - 1 });
    expect(queue.jobs).toEqual([{ name: "sync-dashboard", data: { ...repo, account: "acme", reason: "reconcile flux-system/flux-system" } }]);
  });

  it("opens a pull request from spec.git.push.branch, and a later run updates that one instead of opening another", async () => {
    const { deps, gateway, store, tags } = await setup(example(pushTo("flux/image-updates")));
    const main = gateway.branches.get("main");
    const first = await reconcileAutomation(deps, job());
    expect(first).toEqual({
      result: "pull-request",
      sha: gateway.branches.get("flux/image-updates"),
      branch: "flux/image-updates",
      number: 1,
      url: "https://github.example/pull/1",
      created: true,
    });
    expect(gateway.branches.get("main")).toBe(main);
    expect(gateway.headCommit("flux/image-updates")?.parent).toBe(main);
    expect(gateway.filesOf("flux/image-updates")[DEPLOYMENT]).toContain(`${HOMEPAGE}:v1.1.1 #`);
    expect(gateway.calls.map((c) => c.method)).toEqual(["setBranch", "commitFiles", "createPullRequest"]);
    expect(gateway.pullRequests).toHaveLength(1);
    expect(gateway.pullRequests[0]).toMatchObject({ head: "flux/image-updates", base: "main", state: "open" });
    expect(gateway.pullRequests[0]?.body).toContain("v1.1.1");
    const s1 = (await store.get(repo))!;
    expect(s1.automations["flux-system/flux-system"]?.pullRequest).toEqual({
      number: 1,
      url: "https://github.example/pull/1",
      branch: "flux/image-updates",
      at: NOW,
    });
    expect(s1.activity[0]).toMatchObject({ kind: "pull-request", number: 1, summary: "opened #1 from flux/image-updates" });

    // a newer tag: the bot adds a commit to the open pull request's branch and updates its text
    tags[HOMEPAGE] = [...tags[HOMEPAGE]!, "v1.2.0"];
    gateway.calls.length = 0;
    const firstSha = gateway.branches.get("flux/image-updates");
    const second = await reconcileAutomation(deps, job());
    expect(second).toMatchObject({ result: "pull-request", number: 1, created: false, branch: "flux/image-updates" });
    expect(gateway.calls.map((c) => c.method)).toEqual(["commitFiles", "updatePullRequest"]);
    expect(gateway.headCommit("flux/image-updates")?.parent).toBe(firstSha);
    expect(gateway.filesOf("flux/image-updates")[DEPLOYMENT]).toContain(`${HOMEPAGE}:v1.2.0 #`);
    expect(gateway.pullRequests).toHaveLength(1);
    expect(gateway.pullRequests[0]?.body).toContain("v1.2.0");
    expect((await store.get(repo))!.activity[0]).toMatchObject({ kind: "pull-request", number: 1, summary: "updated #1 from flux/image-updates" });
  });
});

describe("reconcileAutomation: failures", () => {
  it("makes no commit when the message template fails, and records the Problem", async () => {
    const files = example(withAutomation((y) => y.replace("Automation name: {{ .AutomationObject }}", "Automation name: {{ .AutomationObject")));
    const { deps, gateway, store } = await setup(files);
    const out = await reconcileAutomation(deps, job());
    expect(out).toEqual({
      result: "failed",
      code: "template.parse",
      message: expect.stringContaining("no commit made: the commit message template failed: unable to create commit message template from spec"),
    });
    expect(gateway.calls).toEqual([]);
    expect(gateway.filesOf("main")[DEPLOYMENT]).toContain(`${HOMEPAGE}:v0.9.0 #`);
    const s = (await store.get(repo))!;
    const code = "template.parse";
    expect(s.automations["flux-system/flux-system"]).toMatchObject({ lastResult: "failed", error: { code } });
    expect(s.problems["reconcile:flux-system/flux-system"]).toContainEqual(
      expect.objectContaining({ code, file: AUTOMATION_FILE, object: "ImageUpdateAutomation/flux-system/flux-system" }),
    );
    // what would have been committed stays pending
    expect(s.automations["flux-system/flux-system"]?.pending?.length).toBe(1);
  });

  it("re-reads and re-applies when the branch moved, then commits on top of the new head", async () => {
    const { deps, gateway } = await setup(example());
    gateway.moveBranchBeforeNextCommits(2);
    const out = await reconcileAutomation(deps, job());
    expect(out).toMatchObject({ result: "committed", branch: "main" });
    expect(gateway.calls.map((c) => c.method === "commitFiles" && c.outcome)).toEqual(["conflict", "conflict", "committed"]);
    const head = gateway.headCommit("main")!;
    expect(gateway.commits.get(head.parent!)?.message).toBe("moved");
    expect(Object.keys(gateway.filesOf("main"))).toEqual(expect.arrayContaining(["moved-0.txt", "moved-1.txt"]));
    expect(gateway.filesOf("main")[DEPLOYMENT]).toContain(`${HOMEPAGE}:v1.1.1 #`);
  });

  it("gives up after maxConflictRetries with a retryable github.conflict, and records the failure", async () => {
    const { deps, gateway, store } = await setup(example(), { maxConflictRetries: 2 });
    gateway.moveBranchBeforeNextCommits(10);
    const err = await reconcileAutomation(deps, job()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "github.conflict", retryable: true });
    expect(gateway.calls.filter((c) => c.method === "commitFiles")).toHaveLength(3);
    expect(gateway.filesOf("main")[DEPLOYMENT]).toContain(`${HOMEPAGE}:v0.9.0 #`);
    const s = (await store.get(repo))!;
    expect(s.automations["flux-system/flux-system"]).toMatchObject({
      lastResult: "failed",
      error: { code: "github.conflict", message: "the branch kept moving during 3 attempts; will try again on the next run" },
    });
    expect(s.problems["reconcile:flux-system/flux-system"]).toContainEqual(expect.objectContaining({ code: "github.conflict", file: AUTOMATION_FILE }));
  });

  it("fails with github.protected-branch when the branch refuses the commit, keeping the changes pending", async () => {
    const { deps, gateway, store } = await setup(example());
    gateway.refuseCommits = "Protected branch update failed for refs/heads/main";
    expect(await reconcileAutomation(deps, job())).toEqual({
      result: "failed",
      code: "github.protected-branch",
      message: "Protected branch update failed for refs/heads/main",
    });
    expect(gateway.calls.map((c) => c.method === "commitFiles" && c.outcome)).toEqual(["refused"]);
    expect(gateway.filesOf("main")[DEPLOYMENT]).toContain(`${HOMEPAGE}:v0.9.0 #`);
    const s = (await store.get(repo))!;
    expect(s.automations["flux-system/flux-system"]).toMatchObject({ lastResult: "failed", error: { code: "github.protected-branch" } });
    expect(s.automations["flux-system/flux-system"]?.pending?.length).toBe(1);
    expect(s.activity).toEqual([]);
  });

  it("fails with github.branch-not-found when the checkout branch does not exist", async () => {
    const files = example(withAutomation((y) => y.replace("ref:\n        branch: main", "ref:\n        branch: release")));
    const { deps, gateway, store } = await setup(files);
    const out = await reconcileAutomation(deps, job());
    expect(out).toEqual({
      result: "failed",
      code: "github.branch-not-found",
      message: 'the checkout branch "release" does not exist; fix spec.git.checkout.ref.branch',
    });
    expect(gateway.calls).toEqual([]);
    const s = (await store.get(repo))!;
    expect(s.automations["flux-system/flux-system"]).toMatchObject({ lastResult: "failed", error: { code: "github.branch-not-found" } });
    expect(s.problems["reconcile:flux-system/flux-system"]).toContainEqual(expect.objectContaining({ code: "github.branch-not-found", file: AUTOMATION_FILE }));
  });
});

describe("reconcileAutomation: a repository with two clusters", () => {
  const PRODUCTION = "clusters/production/flux-system/gotk-sync.yaml";
  const STAGING = "clusters/staging/flux-system/gotk-sync.yaml";
  const clusterTags = (): Record<string, string[]> => JSON.parse(readFileSync("test/fixtures/clusters/tags.json", "utf8"));

  it("keeps the state of each cluster's automation and policies under its own cluster key", async () => {
    const { deps, gateway, store } = await setup(loadTree("test/fixtures/clusters"), { tags: clusterTags() });
    const model = (await store.get(repo))!.model!;
    expect(model.automations.map((a) => `${a.scope}:${a.namespace}/${a.name}`).sort()).toEqual([
      `${PRODUCTION}:flux-system/production`,
      `${STAGING}:flux-system/stg-staging`,
    ]);

    const production = await reconcileAutomation(deps, job({ scope: PRODUCTION, name: "production" }));
    expect(production).toMatchObject({ result: "committed", branch: "main", files: 1 });
    expect(gateway.headCommit("main")?.message).toBe("production: 6.5.0 -> 6.6.2 ");
    const staging = await reconcileAutomation(deps, job({ scope: STAGING, name: "stg-staging" }));
    expect(staging).toMatchObject({ result: "committed", branch: "main", files: 1 });
    expect(gateway.headCommit("main")?.message).toBe("staging: 6.5.0 -> 6.7.0-rc.1 ");
    expect(gateway.filesOf("main")["apps/production/kustomization.yaml"]).toContain('newTag: 6.6.2 # {"$imagepolicy": "flux-system:podinfo:tag"}');
    expect(gateway.filesOf("main")["apps/staging/kustomization.yaml"]).toContain('newTag: 6.7.0-rc.1 # {"$imagepolicy": "flux-system:stg-podinfo:tag"}');

    const s = (await store.get(repo))!;
    expect(Object.keys(s.automations).sort()).toEqual([`${PRODUCTION}:flux-system/production`, `${STAGING}:flux-system/stg-staging`]);
    expect(s.automations[`${PRODUCTION}:flux-system/production`]).toMatchObject({ lastResult: "committed" });
    expect(s.automations[`${STAGING}:flux-system/stg-staging`]).toMatchObject({ lastResult: "committed" });
    expect(s.policies[`${PRODUCTION}:flux-system/podinfo`]).toMatchObject({
      latestRef: { tag: "6.6.2" },
      refsInFiles: [expect.objectContaining({ file: "apps/production/kustomization.yaml", value: "6.6.2" })],
    });
    expect(s.policies[`${STAGING}:flux-system/stg-podinfo`]).toMatchObject({
      latestRef: { tag: "6.7.0-rc.1" },
      refsInFiles: [expect.objectContaining({ file: "apps/staging/kustomization.yaml", value: "6.7.0-rc.1" })],
    });
    expect(s.activity.map((a) => a.automation)).toEqual([`${STAGING}:flux-system/stg-staging`, `${PRODUCTION}:flux-system/production`]);
    // a second run of production finds its files up to date; staging's state is left alone
    expect(await reconcileAutomation(deps, job({ scope: PRODUCTION, name: "production" }))).toEqual({ result: "up-to-date" });
    const after = (await store.get(repo))!;
    expect(after.automations[`${STAGING}:flux-system/stg-staging`]).toEqual(s.automations[`${STAGING}:flux-system/stg-staging`]);
    expect(after.policies[`${STAGING}:flux-system/stg-podinfo`]?.refsInFiles).toEqual(s.policies[`${STAGING}:flux-system/stg-podinfo`]?.refsInFiles);
  });
});
