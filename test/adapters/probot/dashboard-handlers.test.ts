import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import nock from "nock";
import { useNock } from "../../helpers/nock-scope.js";
import { Probot, ProbotOctokit } from "probot";
import { registerDashboardHandlers } from "../../../src/adapters/probot/dashboard-handlers.js";
import { MemoryStateStore } from "../../../src/adapters/state/memory-state-store.js";
import { FakeQueue } from "../../fixtures/dashboard/fakes.js";
import { fleetState, REPO } from "../../fixtures/dashboard/repo-state.js";

const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../fixtures/dashboard/${name}`, import.meta.url), "utf8"));
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

describe("dashboard and chatops webhook handlers", () => {
  let probot: Probot;
  let queue: FakeQueue;
  let state: MemoryStateStore;
  let outcomes: Array<[string, string]>;
  let seen: Set<string>;

  useNock();
  beforeEach(async () => {
    queue = new FakeQueue();
    state = new MemoryStateStore();
    outcomes = [];
    seen = new Set();
    await state.update(REPO, () => fleetState());
    probot = new Probot({ appId: 1, privateKey, secret: "test", logLevel: "fatal", Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }) });
    await probot.load((app) =>
      registerDashboardHandlers(app, {
        queue,
        state,
        prefix: "/flux",
        botLogin: "flux-image-bot[bot]",
        seenDelivery: async (id) => (seen.has(id) ? true : (seen.add(id), false)),
        onDelivery: (event, outcome) => outcomes.push([event, outcome]),
      }),
    );
  });
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    expect(nock.isDone()).toBe(true);
    nock.cleanAll();
  });

  const receive = (name: "issues" | "issue_comment", payload: Record<string, any>, id = "d-1") => probot.receive({ id, name, payload } as never);

  describe("issues.edited", () => {
    it("queues the action of a newly ticked box once, plus a dashboard sync", async () => {
      await receive("issues", fixture("issues-edited.json"));
      expect(queue.jobs).toEqual([
        { name: "scan-image", data: expect.objectContaining({ ...REPO, account: "acme", namespace: "apps", name: "homepage", force: true }) },
        { name: "sync-dashboard", data: expect.objectContaining({ ...REPO, reason: "dashboard checkbox" }) },
      ]);
      const d = (await state.get(REPO))!.dashboard!;
      expect(d.pendingTicks).toEqual([{ key: "scan-repository=apps/homepage", at: expect.any(String), by: "alice" }]);
      expect(d.recentActions![0]).toMatchObject({ by: "alice", what: "queued: scan ImageRepository apps/homepage", key: "scan-repository=apps/homepage" });
      expect(outcomes).toEqual([["issues.edited", "enqueued"]]);
      // the same delivery again is a duplicate
      await receive("issues", fixture("issues-edited.json"));
      expect(queue.jobs).toHaveLength(2);
      expect(outcomes[1]).toEqual(["issues.edited", "duplicate"]);
    });

    it("queues sync-repo with forceScan and reconcile for their boxes", async () => {
      const p = fixture("issues-edited.json");
      p.changes.body.from = p.changes.body.from.replace("[x] <!-- sync-repository", "[ ] <!-- sync-repository");
      p.issue.body = p.issue.body.replace("[ ] <!-- reconcile-automation", "[x] <!-- reconcile-automation");
      await receive("issues", p);
      expect(queue.jobs.map((j) => [j.name, j.data.forceScan ?? j.data.force ?? j.data.name])).toEqual([
        ["scan-image", true],
        ["reconcile", "flux-system"],
        ["sync-repo", true],
        ["sync-dashboard", undefined],
      ]);
    });

    it.each<{ why: string; change: (p: any) => unknown }>`
      why                                 | change
      ${"an edit by the bot"}             | ${(p: any) => (p.sender = { login: "flux-image-bot[bot]", type: "Bot" })}
      ${"an issue without the marker"}    | ${(p: any) => (p.issue.body = p.issue.body.replace("<!-- flux-image-bot:dashboard -->", ""))}
      ${"an issue not opened by the bot"} | ${(p: any) => (p.issue.user = { login: "mallory", type: "User" })}
      ${"a dashboard of another bot"}     | ${(p: any) => (p.issue.user = { login: "evil-app[bot]", type: "Bot" })}
      ${"a title edit"}                   | ${(p: any) => (p.changes = { title: { from: "x" } })}
      ${"no box ticked"}                  | ${(p: any) => (p.issue.body = p.changes.body.from)}
      ${"a box naming an unknown object"} | ${(p: any) => (p.issue.body = p.issue.body.replace("apps/homepage -->", "apps/nope -->"), p.changes.body.from = p.changes.body.from.replace("apps/homepage -->", "apps/nope -->"))}
    `("ignores $why", async ({ change }) => {
      const p = fixture("issues-edited.json");
      change(p);
      await receive("issues", p);
      expect(queue.jobs).toEqual([]);
      expect(outcomes).toEqual([["issues.edited", "skipped"]]);
    });

    it("does not queue a box the dashboard job already acted on", async () => {
      await state.update(REPO, (s) => {
        s.dashboard = { issueNumber: 7, recentActions: [{ at: "2024-05-01T12:00:05Z", by: "a dashboard checkbox", what: "queued", key: "scan-repository=apps/homepage" }] };
      });
      await receive("issues", fixture("issues-edited.json"));
      expect(queue.jobs).toEqual([]);
    });
  });

  describe("issue_comment.created", () => {
    it("queues a run-command job with what the job needs", async () => {
      await receive("issue_comment", fixture("issue-comment-created.json"));
      expect(queue.jobs).toEqual([
        {
          name: "run-command",
          data: { ...REPO, account: "acme", issueNumber: 12, commentId: 5001, author: "alice", body: "/flux reconcile image repository podinfo -n flux-system", reason: "chatops" },
        },
      ]);
      expect(outcomes).toEqual([["issue_comment.created", "enqueued"]]);
    });

    it("queues commands from people without write access too: the job refuses them", async () => {
      const p = fixture("issue-comment-created.json");
      p.comment.user = p.sender = { login: "rita", type: "User" };
      p.comment.author_association = "NONE";
      await receive("issue_comment", p);
      expect(queue.jobs[0]!.data).toMatchObject({ author: "rita" });
    });

    it.each<{ why: string; change: (p: any) => unknown }>`
      why                          | change
      ${"a comment by a bot"}      | ${(p: any) => (p.comment.user = p.sender = { login: "renovate[bot]", type: "Bot" })}
      ${"a bot login as a User"}   | ${(p: any) => (p.comment.user = { login: "flux-image-bot[bot]", type: "User" })}
      ${"a comment without prefix"} | ${(p: any) => (p.comment.body = "LGTM, thanks!")}
      ${"a longer word"}           | ${(p: any) => (p.comment.body = "/fluxcd help")}
    `("ignores $why", async ({ change }) => {
      const p = fixture("issue-comment-created.json");
      change(p);
      await receive("issue_comment", p);
      expect(queue.jobs).toEqual([]);
      expect(outcomes).toEqual([["issue_comment.created", "skipped"]]);
    });

    it("queues a command naming an unknown object (the job answers with the known names)", async () => {
      const p = fixture("issue-comment-created.json");
      p.comment.body = "/flux reconcile image repository nginx";
      await receive("issue_comment", p);
      expect(queue.names()).toEqual(["run-command"]);
    });

    it("skips a delivery already seen", async () => {
      await receive("issue_comment", fixture("issue-comment-created.json"), "same");
      await receive("issue_comment", fixture("issue-comment-created.json"), "same");
      expect(queue.jobs).toHaveLength(1);
      expect(outcomes.map((o) => o[1])).toEqual(["enqueued", "duplicate"]);
    });
  });
});
