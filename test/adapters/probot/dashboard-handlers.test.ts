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
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

describe("dashboard and chatops webhook handlers", () => {
  let probot: Probot;
  let queue: FakeQueue;
  let state: MemoryStateStore;
  let outcomes: Array<[string, string]>;
  let seen: Set<string>;
  let before: unknown;

  useNock();
  beforeEach(async () => {
    queue = new FakeQueue();
    state = new MemoryStateStore();
    outcomes = [];
    seen = new Set();
    before = await state.update(REPO, () => fleetState());
    probot = new Probot({
      appId: 1,
      privateKey,
      secret: "test",
      logLevel: "fatal",
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    });
    await probot.load((app) =>
      registerDashboardHandlers(app, {
        queue,
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

  const receive = (name: "issues" | "issue_comment" | "pull_request", payload: Record<string, any>, id = "d-1") =>
    probot.receive({ id, name, payload } as never);

  const BODY = "| Image | Change | Type |\n\n- [ ] <!-- rebase-pull-request --> Tick to rebase\n\n<!-- flux-image-bot:pull-request -->\n";
  const pullRequest = (action: "closed" | "edited", over: Record<string, any> = {}): Record<string, any> => ({
    action,
    installation: { id: 42, account: { login: "acme" } },
    repository: { name: "fleet", full_name: "acme/fleet", owner: { login: "acme" } },
    sender: { login: "carol", type: "User" },
    pull_request: {
      number: 17,
      state: action === "closed" ? "closed" : "open",
      merged: false,
      body: BODY,
      user: { login: "flux-image-bot[bot]", type: "Bot" },
    },
    ...over,
  });

  describe("pull_request.closed and pull_request.edited", () => {
    it("queues ignoring the versions of a bot pull request closed without merging", async () => {
      await receive("pull_request", pullRequest("closed"));
      expect(queue.jobs).toEqual([
        { name: "pull-request-event", data: { ...REPO, account: "acme", number: 17, action: "closed", by: "carol", reason: "pull request closed by carol" } },
      ]);
      expect(outcomes).toEqual([["pull_request.closed", "enqueued"]]);
    });

    it("queues a rebase when the rebase box is newly ticked", async () => {
      const p = pullRequest("edited", { changes: { body: { from: BODY } } });
      p.pull_request.body = BODY.replace("- [ ] <!-- rebase", "- [x] <!-- rebase");
      await receive("pull_request", p);
      expect(queue.jobs).toEqual([{ name: "pull-request-event", data: expect.objectContaining({ number: 17, action: "rebase", by: "carol" }) }]);
    });

    it.each<{ why: string; payload: Record<string, any> }>`
      why                                            | payload
      ${"a merged pull request"}                     | ${pullRequest("closed", { pull_request: { number: 17, merged: true, body: BODY, user: { login: "flux-image-bot[bot]", type: "Bot" } } })}
      ${"someone else's pull request"}               | ${pullRequest("closed", { pull_request: { number: 17, merged: false, body: BODY, user: { login: "mallory", type: "User" } } })}
      ${"a pull request of the bot closed by a bot"} | ${pullRequest("closed", { sender: { login: "flux-image-bot[bot]", type: "Bot" } })}
      ${"an edit that ticks nothing"}                | ${pullRequest("edited", { changes: { body: { from: BODY } } })}
      ${"a title edit"}                              | ${pullRequest("edited", { changes: { title: { from: "x" } } })}
    `("ignores $why", async ({ payload }) => {
      await receive("pull_request", payload);
      expect(queue.jobs).toEqual([]);
      expect(outcomes.map((o) => o[1])).toEqual(["skipped"]);
    });
  });

  describe("issues.edited", () => {
    it("only queues a dashboard sync with the sender: the job acts on the boxes", async () => {
      await receive("issues", fixture("issues-edited.json"));
      expect(queue.jobs).toEqual([{ name: "sync-dashboard", data: { ...REPO, account: "acme", by: "alice", reason: "dashboard boxes ticked by alice" } }]);
      expect(await state.get(REPO)).toEqual(before);
      expect(outcomes).toEqual([["issues.edited", "enqueued"]]);
      // the same delivery again is a duplicate
      await receive("issues", fixture("issues-edited.json"));
      expect(queue.jobs).toHaveLength(1);
      expect(outcomes[1]).toEqual(["issues.edited", "duplicate"]);
    });

    it.each<{ why: string; change: (p: any) => unknown }>`
      why                                 | change
      ${"an edit by the bot"}             | ${(p: any) => (p.sender = { login: "flux-image-bot[bot]", type: "Bot" })}
      ${"an issue without the marker"}    | ${(p: any) => (p.issue.body = p.issue.body.replace("<!-- flux-image-bot:dashboard -->", ""))}
      ${"an issue not opened by the bot"} | ${(p: any) => (p.issue.user = { login: "mallory", type: "User" })}
      ${"a dashboard of another bot"}     | ${(p: any) => (p.issue.user = { login: "evil-app[bot]", type: "Bot" })}
      ${"a title edit"}                   | ${(p: any) => (p.changes = { title: { from: "x" } })}
      ${"no box ticked"}                  | ${(p: any) => (p.issue.body = p.changes.body.from)}
    `("ignores $why", async ({ change }) => {
      const p = fixture("issues-edited.json");
      change(p);
      await receive("issues", p);
      expect(queue.jobs).toEqual([]);
      expect(outcomes).toEqual([["issues.edited", "skipped"]]);
    });
  });

  describe("issue_comment.created", () => {
    it("queues a run-command job with what the job needs", async () => {
      await receive("issue_comment", fixture("issue-comment-created.json"));
      expect(queue.jobs).toEqual([
        {
          name: "run-command",
          data: {
            ...REPO,
            account: "acme",
            issueNumber: 12,
            commentId: 5001,
            author: "alice",
            body: "/flux reconcile image repository podinfo -n flux-system",
            reason: "chatops",
          },
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
      why                           | change
      ${"a comment by a bot"}       | ${(p: any) => (p.comment.user = p.sender = { login: "renovate[bot]", type: "Bot" })}
      ${"a bot login as a User"}    | ${(p: any) => (p.comment.user = { login: "flux-image-bot[bot]", type: "User" })}
      ${"a comment without prefix"} | ${(p: any) => (p.comment.body = "LGTM, thanks!")}
      ${"a longer word"}            | ${(p: any) => (p.comment.body = "/fluxcd help")}
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
