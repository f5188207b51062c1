/** From the webhook to the reply: Probot delivers the comment, the queued job runs against GitHub's API mocked with nock. */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import nock from "nock";
import { useNock } from "../../helpers/nock-scope.js";
import { Probot, ProbotOctokit } from "probot";
import { createOctokitRepoGateway } from "../../../src/adapters/github/octokit-repo-gateway.js";
import { registerDashboardHandlers } from "../../../src/adapters/probot/dashboard-handlers.js";
import { MemoryStateStore } from "../../../src/adapters/state/memory-state-store.js";
import { runCommand, type CommandDeps } from "../../../src/app/run-command.js";
import { FakeQueue, fixedClock, silentLogger } from "../../fixtures/dashboard/fakes.js";
import { fleetState, REPO } from "../../fixtures/dashboard/repo-state.js";
import type { CommandJobData } from "../../../src/app/ports/index.js";

const fixture = (): Record<string, any> => JSON.parse(readFileSync(new URL("../../fixtures/dashboard/issue-comment-created.json", import.meta.url), "utf8"));
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const API = "https://api.github.com";

describe("chatops from webhook to reply", () => {
  let probot: Probot;
  let queue: FakeQueue;
  let deps: CommandDeps;

  useNock();
  beforeEach(async () => {
    queue = new FakeQueue();
    const state = new MemoryStateStore();
    await state.update(REPO, () => fleetState());
    probot = new Probot({
      appId: 1,
      privateKey,
      secret: "test",
      logLevel: "fatal",
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    });
    await probot.load((app) => registerDashboardHandlers(app, { queue, prefix: "/flux" }));
    const issues = createOctokitRepoGateway((id) => probot.auth(id) as never, { writeIntervalMs: 0 });
    deps = {
      issues,
      state,
      queue,
      clock: fixedClock("2024-05-01T12:00:00Z"),
      logger: silentLogger,
      title: "Dashboard",
      enabled: true,
      botLogin: "flux-image-bot[bot]",
      prefix: "/flux",
    };
  });
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  async function deliverAndRun(payload: Record<string, any>): Promise<{ result: string } | null> {
    await probot.receive({ id: "d-1", name: "issue_comment", payload } as never);
    const job = queue.jobs.find((j) => j.name === "run-command");
    return job ? runCommand(deps, job.data as unknown as CommandJobData) : null;
  }

  /** GitHub's answers for one command; `reacts`: a permitted user's command gets 👀 (a refused one does not) */
  function github(login: string, role: string, expectReply: (body: string) => boolean, reacts = true) {
    const scope = nock(API)
      .post("/app/installations/42/access_tokens")
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: { issues: "write" }, repository_selection: "all" });
    if (reacts) scope.post("/repos/acme/fleet/issues/comments/5001/reactions", { content: "eyes" }).reply(201, { id: 1, content: "eyes" });
    return scope
      .get(`/repos/acme/fleet/collaborators/${login}/permission`)
      .reply(200, { permission: role === "maintain" ? "write" : role, role_name: role, user: { login } })
      .post("/repos/acme/fleet/issues/12/comments", (b: { body: string }) => expectReply(b.body))
      .reply(201, { id: 9001, html_url: "https://github.com/acme/fleet/pull/12#issuecomment-9001", body: "", user: { login: "flux-image-bot[bot]" } });
  }

  it("refuses a commenter without write access, politely, in one reply and without a reaction", async () => {
    const p = fixture();
    p.comment.user = p.sender = { login: "rita", type: "User" };
    const scope = github("rita", "read", (b) => b.includes("Sorry, this command needs write access to the repository, and rita does not have it."), false);
    expect(await deliverAndRun(p)).toEqual({ result: "refused" });
    expect(scope.isDone()).toBe(true);
    expect(queue.names()).toEqual(["run-command"]);
  });

  it("answers a command naming an unknown object with the known names", async () => {
    const p = fixture();
    p.comment.body = "/flux reconcile image repository nginx";
    const scope = github(
      "alice",
      "maintain",
      (b) => b.includes("There is no ImageRepository <code>flux-system/nginx</code>") && b.includes("<code>flux-system/podinfo</code>"),
    );
    expect(await deliverAndRun(p)).toEqual({ result: "unknown-object" });
    expect(scope.isDone()).toBe(true);
  });

  it("queues a forced scan for a writer", async () => {
    const scope = github("alice", "write", (b) => b.endsWith("Scan of <code>flux-system/podinfo</code> queued."));
    expect(await deliverAndRun(fixture())).toEqual({ result: "scan-queued" });
    expect(scope.isDone()).toBe(true);
    expect(queue.jobs.find((j) => j.name === "scan-image")!.data).toMatchObject({ namespace: "flux-system", name: "podinfo", force: true });
  });

  it("does nothing for a comment by a bot: no job, no request", async () => {
    const p = fixture();
    p.comment.user = p.sender = { login: "dependabot[bot]", type: "Bot" };
    expect(await deliverAndRun(p)).toBeNull();
    expect(queue.jobs).toEqual([]);
  });
});
