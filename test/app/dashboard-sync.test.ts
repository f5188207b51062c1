import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createOctokitRepoGateway } from "../../src/adapters/github/octokit-repo-gateway.js";
import { MemoryStateStore } from "../../src/adapters/state/memory-state-store.js";
import { syncDashboard, type DashboardDeps } from "../../src/app/sync-dashboard.js";
import { DASHBOARD_MARKER } from "../../src/core/dashboard/keys.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github.js";
import { octokitFor } from "../adapters/github/helpers.js";
import { FakeQueue, fixedClock, silentLogger } from "../fixtures/dashboard/fakes.js";
import { fleetState, REPO } from "../fixtures/dashboard/repo-state.js";
import type { IssueGateway } from "../../src/app/ports/index.js";

const BOT = "flux-image-bot[bot]";
const TITLE = "Flux Image Automation Dashboard";

describe("syncDashboard against the fake GitHub", () => {
  let fake: FakeGitHub;
  let issues: IssueGateway;
  let state: MemoryStateStore;
  let queue: FakeQueue;
  let deps: DashboardDeps;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.seedRepo({ owner: "acme", repo: "fleet", installationId: 42, files: { "README.md": "hi\n" } });
    issues = createOctokitRepoGateway(async (id) => octokitFor(fake.url, fake.createInstallationToken(id)), { writeIntervalMs: 0 });
    state = new MemoryStateStore();
    queue = new FakeQueue();
    deps = { issues, state, queue, clock: fixedClock("2024-05-01T12:00:00Z"), logger: silentLogger, title: TITLE, enabled: true, botLogin: BOT };
    await state.update(REPO, () => fleetState());
  });
  afterEach(async () => {
    await fake.close();
  });

  const patches = () => fake.requests.filter((r) => r.method === "PATCH" || r.method === "POST").length;
  const ours = () => fake.issues("acme", "fleet").filter((i) => i.user.login === BOT);

  it("creates the issue on the first sync and remembers its number", async () => {
    const out = await syncDashboard(deps, REPO);
    expect(out.result).toBe("created");
    const [issue] = ours();
    expect(issue).toMatchObject({ number: out.issueNumber, title: TITLE, state: "open" });
    expect(issue!.body).toContain(DASHBOARD_MARKER);
    expect((await state.get(REPO))!.dashboard).toMatchObject({ issueNumber: out.issueNumber, lastBodyHash: expect.any(String) });
  });

  it("keeps one issue when the configured bot login is wrong", async () => {
    const wrong = { ...deps, botLogin: "someone-else[bot]" };
    const first = await syncDashboard(wrong, REPO);
    expect(first.result).toBe("created");
    expect(await syncDashboard(wrong, REPO)).toMatchObject({ issueNumber: first.issueNumber });
    expect(fake.issues("acme", "fleet").filter((i) => (i.body ?? "").includes(DASHBOARD_MARKER))).toHaveLength(1);
  });

  it("does not write when nothing changed", async () => {
    await syncDashboard(deps, REPO);
    const writes = patches();
    expect(await syncDashboard(deps, REPO)).toMatchObject({ result: "unchanged" });
    expect(patches()).toBe(writes);
  });

  it("finds its issue by the marker, not by the title, among the bot's issues", async () => {
    fake.addIssue("acme", "fleet", { title: TITLE, body: "a user's issue with the same title" });
    fake.addIssue("acme", "fleet", { title: "fake", body: `${DASHBOARD_MARKER} forged by a user` });
    fake.addIssue("acme", "fleet", { title: "Something else", body: "not the dashboard", user: { login: BOT, type: "Bot" } });
    const mine = fake.addIssue("acme", "fleet", { title: "Renamed by a user", body: `${DASHBOARD_MARKER}\nold body`, user: { login: BOT, type: "Bot" } });
    const out = await syncDashboard(deps, REPO);
    expect(out).toEqual({ result: "updated", issueNumber: mine.number });
    expect(ours().find((i) => i.number === mine.number)!.body).toContain("## Images");
    expect(fake.issues("acme", "fleet")).toHaveLength(4);
  });

  it("reopens the issue when it was closed while automations exist", async () => {
    const { issueNumber } = await syncDashboard(deps, REPO);
    fake.issues("acme", "fleet").find((i) => i.number === issueNumber)!.state = "closed";
    expect(await syncDashboard(deps, REPO)).toEqual({ result: "reopened", issueNumber });
    expect(ours()[0]!.state).toBe("open");
  });

  it("says disabled and skips repositories not read yet", async () => {
    expect(await syncDashboard({ ...deps, enabled: false }, REPO)).toEqual({ result: "disabled" });
    expect(await syncDashboard(deps, { ...REPO, repo: "other" })).toEqual({ result: "skipped" });
    expect(ours()).toHaveLength(0);
  });

  it("acts on a box ticked between the read and the write instead of unticking it silently", async () => {
    const { issueNumber } = await syncDashboard(deps, REPO);
    await state.update(REPO, (s) => {
      s.activity.unshift({ at: "2024-05-01T11:59:00Z", kind: "commit", automation: "flux-system/flux-system", summary: "1 file(s) on main" }); // something to write
    });
    let reads = 0;
    const racing: IssueGateway = {
      ...issues,
      async getIssue(repo, n) {
        const i = await issues.getIssue(repo, n);
        if (++reads === 1) {
          const fi = fake.issues("acme", "fleet").find((x) => x.number === n)!;
          fi.body = fi.body.replace("- [ ] <!-- scan-repository=apps/homepage -->", "- [x] <!-- scan-repository=apps/homepage -->");
        }
        return i;
      },
    };
    expect(await syncDashboard({ ...deps, issues: racing }, REPO)).toEqual({ result: "updated", issueNumber });
    expect(queue.jobs.filter((j) => j.name === "scan-image")).toEqual([
      { name: "scan-image", data: expect.objectContaining({ namespace: "apps", name: "homepage", force: true }) },
    ]);
    const body = ours()[0]!.body;
    expect(body).toContain("- [ ] <!-- scan-repository=apps/homepage -->");
    expect(body).toContain("queued: scan ImageRepository apps/homepage");
  });

  it("labels its issue once: at creation, or an older issue on its next sync; a removed label stays removed", async () => {
    const labelled = { ...deps, labels: ["flux-image-update"] };
    const old = await syncDashboard(deps, REPO);
    const fi = fake.issues("acme", "fleet").find((x) => x.number === old.issueNumber)!;
    expect(fi.labels).toEqual([]);
    await syncDashboard(labelled, REPO);
    expect(fi.labels).toEqual(["flux-image-update"]);
    fi.labels = [];
    await syncDashboard(labelled, REPO);
    expect(fi.labels).toEqual([]);
  });

  it("acts on a ticked box once, credits who ticked it, and unticks it", async () => {
    const { issueNumber } = await syncDashboard(deps, REPO);
    const fi = fake.issues("acme", "fleet").find((x) => x.number === issueNumber)!;
    fi.body = fi.body.replace("- [ ] <!-- sync-repository -->", "- [x] <!-- sync-repository -->");
    expect((await syncDashboard(deps, { ...REPO, by: "alice" })).result).toBe("updated");
    expect(queue.jobs).toEqual([{ name: "sync-repo", data: expect.objectContaining({ forceScan: true, reason: "dashboard box ticked by alice" }) }]);
    expect(fi.body).toContain("- [ ] <!-- sync-repository -->");
    expect((await state.get(REPO))!.dashboard!.recentActions![0]).toMatchObject({ by: "alice", key: "sync-repository" });
    // a second sync sees the box unticked and queues nothing more
    await syncDashboard(deps, REPO);
    expect(queue.jobs).toHaveLength(1);
  });

  it("edits a chatops reply once the scan it waits for has run", async () => {
    const issue = fake.addIssue("acme", "fleet", { title: "question" });
    const reply = fake.addComment("acme", "fleet", issue.number, "> cmd\n\nScan queued.", { login: BOT, type: "Bot" });
    await state.update(REPO, (s) => {
      s.dashboard = {
        issueNumber: 0,
        replies: [
          {
            commentId: 1,
            replyId: reply.id,
            issueNumber: issue.number,
            at: "2024-05-01T11:56:00Z",
            text: "> cmd\n\nScan queued.",
            waitFor: { kind: "scan", key: "flux-system/podinfo" },
          },
        ],
      };
    });
    await syncDashboard(deps, REPO);
    expect(fake.comments("acme", "fleet")[0]!.body).toBe(
      "> cmd\n\nScan queued.\n\nDone: found 143 tags, latest <code>6.6.2</code> <code>6.6.1</code> <code>6.6.0</code> <code>6.5.4</code> <code>6.5.3</code>.",
    );
    expect((await state.get(REPO))!.dashboard!.replies![0]!.waitFor).toBeUndefined();
  });
});
