/** Every control of an update: hold, release, ignore by closing the pull request, un-ignore, rebase. */
import { beforeEach, describe, expect, it } from "@jest/globals";
import { MemoryStateStore } from "../../src/adapters/state/memory-state-store.js";
import { applyBoxAction } from "../../src/app/box-actions.js";
import { handlePullRequestEvent } from "../../src/app/pull-request-events.js";
import { controlledResults, notePullRequest, rebaseRequested, versionOf, withoutSkippedProblems } from "../../src/app/update-controls.js";
import type { PolicyResult } from "../../src/core/plan.js";
import { FakeQueue, fixedClock, silentLogger } from "../fixtures/dashboard/fakes.js";
import { fleetState, REPO } from "../fixtures/dashboard/repo-state.js";
import { planWith } from "../helpers/plan-fixtures.js";
import type { RepoState } from "../../src/app/ports/index.js";

const podinfo = (tag: string): PolicyResult => ({
  namespace: "flux-system",
  name: "podinfo",
  latestRef: { name: "ghcr.io/stefanprodan/podinfo", tag },
  source: "scan",
});
const homepage: PolicyResult = { namespace: "apps", name: "homepage", latestRef: { name: "registry.example.com/web/homepage", tag: "v2.1.0" }, source: "scan" };
const CHANGE = {
  file: "apps/podinfo/deployment.yaml",
  name: "podinfo",
  oldValue: "ghcr.io/stefanprodan/podinfo:5.2.0",
  newValue: "ghcr.io/stefanprodan/podinfo:5.2.1",
  setter: "flux-system:podinfo",
};

describe("update controls", () => {
  let state: MemoryStateStore;
  let queue: FakeQueue;
  const clock = fixedClock("2024-05-01T12:00:00Z");
  const deps = () => ({ state, queue, clock, logger: silentLogger });
  const get = async (): Promise<RepoState> => (await state.get(REPO))!;

  beforeEach(async () => {
    state = new MemoryStateStore();
    queue = new FakeQueue();
    await state.update(REPO, () => fleetState());
  });

  it("hold keeps a policy's update out of the run; release lets it in again", async () => {
    await applyBoxAction(deps(), { ...REPO, account: "acme" }, { kind: "hold-update", namespace: "flux-system", name: "podinfo" }, "alice");
    expect((await get()).controls?.held).toEqual({ "flux-system/podinfo": { by: "alice", at: "2024-05-01T12:00:00.000Z" } });
    // the open pull request (apps-weekly's #17) is made again without the held update
    expect(rebaseRequested(await get(), "apps/apps-weekly")).toBe(true);
    expect(rebaseRequested(await get(), "flux-system/flux-system")).toBe(false);
    // every automation runs again, so a held update leaves open pull requests and the next commit
    expect(queue.jobs.map((j) => [j.name, j.data.name])).toEqual([
      ["reconcile", "flux-system"],
      ["reconcile", "apps-weekly"],
    ]);
    const held = controlledResults(await get(), [podinfo("5.2.1"), homepage]);
    expect(held.results.map((r) => r.latestRef?.tag)).toEqual([undefined, "v2.1.0"]);
    expect([...held.skipped]).toEqual(["flux-system/podinfo"]);
    // the marker left alone is the user's choice, not a problem
    const problems = [
      { code: "marker.no-result", object: "ImagePolicy/flux-system/podinfo", message: "x" },
      { code: "marker.no-result", object: "ImagePolicy/apps/homepage", message: "y" },
    ];
    expect(withoutSkippedProblems(problems, held.skipped).map((p) => p.object)).toEqual(["ImagePolicy/apps/homepage"]);

    await applyBoxAction(deps(), REPO, { kind: "release-update", namespace: "flux-system", name: "podinfo" }, "bob");
    expect((await get()).controls?.held).toEqual({});
    expect(controlledResults(await get(), [podinfo("5.2.1")]).results[0]!.latestRef?.tag).toBe("5.2.1");
  });

  it("closing a bot pull request without merging ignores its versions; a newer version is proposed again", async () => {
    await state.update(REPO, (s) => {
      s.automations["apps/apps-weekly"]!.pullRequest = { number: 17, url: "u", branch: "flux/apps", at: "t" };
      notePullRequest(s, "apps/apps-weekly", 17, planWith([CHANGE]), [podinfo("5.2.1"), homepage]);
    });
    expect((await get()).controls?.proposed).toEqual({ "17": { automation: "apps/apps-weekly", versions: { "flux-system/podinfo": "5.2.1" } } });
    expect(await handlePullRequestEvent(deps(), { ...REPO, number: 17, action: "closed", by: "carol" })).toEqual({ result: "ignored" });
    const s = await get();
    expect(s.controls?.ignored).toEqual({ "flux-system/podinfo": [{ version: "5.2.1", by: "carol", at: "2024-05-01T12:00:00.000Z", pullRequest: 17 }] });
    expect(s.controls?.proposed).toEqual({});
    expect(s.dashboard?.recentActions?.[0]).toMatchObject({ by: "carol", what: "ignored the versions of closed pull request #17 (flux-system/podinfo)" });
    expect(queue.jobs.map((j) => [j.name, j.data.name])).toEqual([
      ["reconcile", "apps-weekly"],
      ["sync-dashboard", undefined],
    ]);
    expect(controlledResults(s, [podinfo("5.2.1")]).skipped.has("flux-system/podinfo")).toBe(true);
    expect(controlledResults(s, [podinfo("5.3.0")]).results[0]!.latestRef?.tag).toBe("5.3.0");
    // a pull request the bot did not record (or closed twice) changes nothing
    expect(await handlePullRequestEvent(deps(), { ...REPO, number: 17, action: "closed", by: "carol" })).toEqual({ result: "unknown" });
  });

  it("un-ignore drops the version from the ignored list and runs the automations", async () => {
    await state.update(REPO, (s) => {
      s.controls = {
        ignored: {
          "flux-system/podinfo": [
            { version: "5.2.1", by: "carol", at: "t", pullRequest: 17 },
            { version: "5.2.0", by: "carol", at: "t" },
          ],
        },
      };
    });
    await applyBoxAction(deps(), REPO, { kind: "unignore-version", namespace: "flux-system", name: "podinfo", version: "5.2.1" }, "dave");
    expect((await get()).controls?.ignored).toEqual({ "flux-system/podinfo": [{ version: "5.2.0", by: "carol", at: "t" }] });
    expect(queue.names()).toEqual(["reconcile", "reconcile"]);
  });

  it("the rebase box asks the next run to recreate the branch; the run that serves it clears the request", async () => {
    await state.update(REPO, (s) => {
      s.automations["apps/apps-weekly"]!.pullRequest = { number: 17, url: "u", branch: "flux/apps", at: "t" };
    });
    expect(await handlePullRequestEvent(deps(), { ...REPO, number: 17, action: "rebase", by: "erin" })).toEqual({ result: "rebase-queued" });
    expect(rebaseRequested(await get(), "apps/apps-weekly")).toBe(true);
    expect(queue.jobs).toEqual([
      { name: "reconcile", data: expect.objectContaining({ namespace: "apps", name: "apps-weekly", reason: "rebase of #17 asked by erin" }) },
    ]);
    await state.update(REPO, (s) => {
      notePullRequest(s, "apps/apps-weekly", 17, undefined, []);
    });
    expect(rebaseRequested(await get(), "apps/apps-weekly")).toBe(false);
    expect(await handlePullRequestEvent(deps(), { ...REPO, number: 99, action: "rebase", by: "erin" })).toEqual({ result: "unknown" });
  });

  it("a resume box lifts a chatops suspension and runs the automation", async () => {
    await applyBoxAction(deps(), REPO, { kind: "resume-automation", namespace: "apps", name: "apps-weekly" }, "alice");
    expect((await get()).automations["apps/apps-weekly"]!.suspendedByChatops).toBeUndefined();
    expect(queue.jobs.map((j) => [j.name, j.data.name])).toEqual([["reconcile", "apps-weekly"]]);
  });

  it("remembers digests in versions", () => {
    expect(versionOf({ name: "x", tag: "1.0", digest: "sha256:ab" })).toBe("1.0@sha256:ab");
  });
});
