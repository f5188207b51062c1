import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createOctokitRepoGateway } from "../../src/adapters/github/octokit-repo-gateway.js";
import { MemoryStateStore } from "../../src/adapters/state/memory-state-store.js";
import { runCommand, type CommandDeps } from "../../src/app/run-command.js";
import { MemoryThrottle } from "../../src/app/throttle.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github.js";
import { octokitFor } from "../adapters/github/helpers.js";
import { FakeQueue, fixedClock, silentLogger } from "../fixtures/dashboard/fakes.js";
import { automation, fleetState, imageRepo, REPO } from "../fixtures/dashboard/repo-state.js";
import type { CommandJobData } from "../../src/app/ports/index.js";

const BOT = "flux-image-bot[bot]";

describe("runCommand against the fake GitHub", () => {
  let fake: FakeGitHub;
  let state: MemoryStateStore;
  let queue: FakeQueue;
  let deps: CommandDeps;
  let issueNumber: number;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.seedRepo({ owner: "acme", repo: "fleet", installationId: 42, files: { "README.md": "hi\n" } });
    fake.setCollaborator("acme", "fleet", "alice", "write");
    fake.setCollaborator("acme", "fleet", "rita", "read");
    issueNumber = fake.addIssue("acme", "fleet", { title: "Images?" }).number;
    const issues = createOctokitRepoGateway(async (id) => octokitFor(fake.url, fake.createInstallationToken(id)), { writeIntervalMs: 0 });
    state = new MemoryStateStore();
    queue = new FakeQueue();
    deps = {
      issues,
      state,
      queue,
      clock: fixedClock("2024-05-01T12:00:00Z"),
      logger: silentLogger,
      title: "Dashboard",
      enabled: true,
      botLogin: BOT,
      prefix: "/flux",
      throttle: new MemoryThrottle(),
    };
    await state.update(REPO, () => fleetState());
  });
  afterEach(async () => {
    await fake.close();
  });

  const command = (body: string, author = "alice"): CommandJobData => {
    const c = fake.addComment("acme", "fleet", issueNumber, body, { login: author, type: "User" });
    return { ...REPO, issueNumber, commentId: c.id, author, body };
  };
  const replies = () => fake.comments("acme", "fleet").filter((c) => c.user.login === BOT);

  it("scans an image repository for a writer: eyes, one reply, scan-image with force", async () => {
    const data = command("/flux reconcile image repository podinfo");
    expect(await runCommand(deps, data)).toEqual({ result: "scan-queued" });
    expect(fake.reactions("acme", "fleet")).toEqual([expect.objectContaining({ content: "eyes", commentId: data.commentId })]);
    expect(queue.jobs[0]).toEqual({ name: "scan-image", data: expect.objectContaining({ namespace: "flux-system", name: "podinfo", force: true }) });
    expect(replies().map((c) => c.body)).toEqual([
      "> <code>/flux reconcile image repository podinfo</code>\n\nScan of <code>flux-system/podinfo</code> queued.",
    ]);
    const s = await state.get(REPO);
    expect(s!.dashboard!.replies![0]).toMatchObject({ commentId: data.commentId, waitFor: { kind: "scan", key: "flux-system/podinfo" } });
    expect(s!.dashboard!.recentActions![0]).toMatchObject({ by: "alice", what: "queued: scan ImageRepository flux-system/podinfo (chatops)" });
  });

  it("suspends and resumes an automation in every cluster that holds it, and runs each", async () => {
    const a = automation("flux-system", "twin");
    await state.update(REPO, (s) => {
      s.model!.automations = [
        { ...a, cluster: "clusters/prod/gotk-sync.yaml", scope: "clusters/prod/gotk-sync.yaml" },
        { ...a, cluster: "clusters/staging/gotk-sync.yaml", scope: "clusters/staging/gotk-sync.yaml" },
      ];
    });
    expect(await runCommand(deps, command("/flux suspend image update twin"))).toEqual({ result: "suspended" });
    const suspended = await state.get(REPO);
    expect(
      Object.entries(suspended!.automations)
        .filter(([k, v]) => k.endsWith("/twin") && v.suspendedByChatops)
        .map(([k]) => k)
        .sort(),
    ).toEqual(["clusters/prod/gotk-sync.yaml:flux-system/twin", "clusters/staging/gotk-sync.yaml:flux-system/twin"]);
    queue.jobs.length = 0;
    expect(await runCommand(deps, command("/flux resume image update twin"))).toEqual({ result: "resumed" });
    expect(Object.entries((await state.get(REPO))!.automations).some(([k, v]) => k.endsWith("/twin") && v.suspendedByChatops)).toBe(false);
    expect(
      queue.jobs
        .filter((j) => j.name === "reconcile")
        .map((j) => j.data.scope)
        .sort(),
    ).toEqual(["clusters/prod/gotk-sync.yaml", "clusters/staging/gotk-sync.yaml"]);
  });

  it("edits its reply instead of adding another when the job runs again", async () => {
    const data = command("/flux reconcile source git");
    await runCommand(deps, data);
    await runCommand(deps, data);
    expect(replies()).toHaveLength(1);
    expect(queue.jobs.filter((j) => j.name === "sync-repo")[0]!.data).toMatchObject({ forceScan: true });
  });

  it("refuses acting commands to people without write access, politely", async () => {
    expect(await runCommand(deps, command("/flux reconcile image update flux-system", "rita"))).toEqual({ result: "refused" });
    expect(await runCommand(deps, command("/flux suspend image update flux-system", "mallory"))).toEqual({ result: "refused" });
    expect(queue.jobs).toEqual([]);
    expect(replies().map((c) => c.body.split("\n\n")[1])).toEqual([
      "Sorry, this command needs write access to the repository, and rita does not have it.",
      "Sorry, this command needs write access to the repository, and mallory does not have it.",
    ]);
  });

  it("answers get and help to readers, and nothing to strangers", async () => {
    expect(await runCommand(deps, command("/flux get images update", "rita"))).toEqual({ result: "get" });
    expect(replies()[0]!.body).toMatch(/```\nNAMESPACE +\tNAME +\tLAST RUN +\tSUSPENDED\tREADY\tMESSAGE\napps +\tapps-weekly\t/);
    expect(await runCommand(deps, command("/flux help", "mallory"))).toEqual({ result: "refused" });
    expect(replies()[1]!.body).toContain("needs read access");
  });

  it("lists the known names when a command names an unknown object", async () => {
    expect(await runCommand(deps, command("/flux reconcile image repository nginx"))).toEqual({ result: "unknown-object" });
    expect(replies()[0]!.body).toContain(
      "There is no ImageRepository <code>flux-system/nginx</code> in this repository. Known: <code>apps/homepage</code>, <code>apps/private-api</code>, <code>flux-system/podinfo</code>.",
    );
    expect(queue.jobs).toEqual([]);
  });

  it("defaults the namespace to the only one with that name, else flux-system", async () => {
    await runCommand(deps, command("/flux reconcile image update apps-weekly"));
    expect(queue.jobs[0]).toMatchObject({ name: "reconcile", data: { namespace: "apps", name: "apps-weekly" } });
    await state.update(REPO, (s) => {
      s.model!.repositories.push(imageRepo("apps", "podinfo", "ghcr.io/x/podinfo"));
      s.model!.automations.push(automation("apps", "flux-system"));
    });
    await runCommand(deps, command("/flux reconcile image repository podinfo"));
    expect(queue.jobs.find((j) => j.name === "scan-image")).toMatchObject({ data: { namespace: "flux-system", name: "podinfo" } });
    await runCommand(deps, command("/flux reconcile image repository podinfo -n apps"));
    expect(queue.jobs.filter((j) => j.name === "scan-image")[1]).toMatchObject({ data: { namespace: "apps", name: "podinfo" } });
  });

  it("suspends and resumes an automation in state", async () => {
    expect(await runCommand(deps, command("/flux suspend image update flux-system"))).toEqual({ result: "suspended" });
    expect((await state.get(REPO))!.automations["flux-system/flux-system"]!.suspendedByChatops).toEqual({ by: "alice", at: "2024-05-01T12:00:00.000Z" });
    expect(await runCommand(deps, command("/flux resume image update flux-system"))).toEqual({ result: "resumed" });
    expect((await state.get(REPO))!.automations["flux-system/flux-system"]!.suspendedByChatops).toBeUndefined();
    expect(queue.jobs.some((j) => j.name === "reconcile")).toBe(true);
  });

  it("answers malformed commands with the usage, escaping what the comment said", async () => {
    expect(await runCommand(deps, command("/flux reconcile image repository <img src=x> @org/team `x|y`"))).toEqual({ result: "invalid" });
    const body = replies()[0]!.body;
    expect(body).toContain("I could not understand that command: give one name.");
    expect(body).toContain("reconcile image repository");
    expect(body).not.toContain("<img");
    expect(body).not.toContain("@org");
    expect(body).not.toContain("`x");
  });

  it("ignores comments that are not commands, and its own", async () => {
    expect(await runCommand(deps, command("thanks /flux"))).toEqual({ result: "not-a-command" });
    expect(await runCommand(deps, { ...command("/flux help"), author: BOT })).toEqual({ result: "own-comment" });
    expect(replies()).toHaveLength(0);
    expect(fake.reactions("acme", "fleet")).toHaveLength(0);
  });
});
