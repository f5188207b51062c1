import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createOctokitRepoGateway, type OctokitRepoGateway } from "../../../src/adapters/github/octokit-repo-gateway.js";
import { type FakeGitHub, startFakeGitHub } from "../../helpers/fake-github.js";
import { octokitFor } from "./helpers.js";
import type { RepoId } from "../../../src/app/ports/index.js";

const REPO: RepoId = { installationId: 3, owner: "acme", repo: "fleet" };
const BOT = "flux-image-bot[bot]";

describe("IssueGateway against the fake GitHub", () => {
  let fake: FakeGitHub;
  let gw: OctokitRepoGateway;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.seedRepo({ owner: "acme", repo: "fleet", installationId: 3, files: { "a.txt": "a\n" } });
    fake.seedRepo({ owner: "acme", repo: "other", installationId: 3, defaultBranch: "trunk", private: false, files: {} });
    fake.seedRepo({ owner: "someone", repo: "else", installationId: 4, files: {} });
    gw = createOctokitRepoGateway(async (id) => octokitFor(fake.url, fake.createInstallationToken(id)), { writeIntervalMs: 0 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it("creates, reads, lists and updates the bot's issues", async () => {
    fake.addIssue("acme", "fleet", { title: "Not ours", user: { login: "alice", type: "User" } });
    const created = await gw.createIssue(REPO, { title: "Image automation", body: "<!-- state -->", labels: ["flux"] });
    expect(created).toMatchObject({ title: "Image automation", body: "<!-- state -->", state: "open", labels: ["flux"], author: BOT, authorType: "Bot" });
    expect(await gw.getIssue(REPO, created.number)).toEqual(created);
    expect((await gw.listIssues(REPO, { creator: BOT })).map((i) => i.number)).toEqual([created.number]);
    expect(await gw.listIssues(REPO, { creator: BOT, labels: ["other"] })).toEqual([]);
    const closed = await gw.updateIssue(REPO, created.number, { body: "new", state: "closed" });
    expect(closed).toMatchObject({ body: "new", state: "closed" });
    expect(await gw.listIssues(REPO, { creator: BOT })).toEqual([]);
    expect(await gw.listIssues(REPO, { creator: BOT, state: "all" })).toHaveLength(1);
    await expect(gw.getIssue(REPO, 999)).rejects.toMatchObject({ code: "github.not-found" });
  });

  it("reads the dashboard issue conditionally: unchanged is a free 304, an edit is seen", async () => {
    const created = await gw.createIssue(REPO, { title: "Dashboard", body: "one" });
    expect((await gw.getIssue(REPO, created.number)).body).toBe("one");
    gw.resetCounters();
    expect((await gw.getIssue(REPO, created.number)).body).toBe("one");
    expect(gw.counters().perRepo["acme/fleet"]).toMatchObject({ requests: 1, notModified: 1 });
    fake.issues("acme", "fleet").find((i) => i.number === created.number)!.body = "ticked";
    expect((await gw.getIssue(REPO, created.number)).body).toBe("ticked");
  });

  it("adds labels, making them in the repository once when missing, and keeps people's labels", async () => {
    const issue = await gw.createIssue(REPO, { title: "Dashboard", body: "" });
    fake
      .issues("acme", "fleet")
      .find((i) => i.number === issue.number)!
      .labels.push("team-a");
    await gw.addLabels(REPO, issue.number, ["flux-image-update"]);
    await gw.addLabels(REPO, issue.number, ["flux-image-update"]);
    expect((await gw.getIssue(REPO, issue.number)).labels).toEqual(["team-a", "flux-image-update"]);
    expect(fake.requests.filter((r) => r.method === "POST" && r.path === "/repos/acme/fleet/labels")).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === "GET" && r.path.startsWith("/repos/acme/fleet/labels/"))).toHaveLength(1);
  });

  it("labels the pull requests it opens", async () => {
    const labelled = createOctokitRepoGateway(async (id) => octokitFor(fake.url, fake.createInstallationToken(id)), {
      writeIntervalMs: 0,
      pullRequestLabels: ["flux-image-update", "automerge"],
    });
    fake.pushCommit("acme", "fleet", "flux/updates", { files: { "b.txt": "b\n" } });
    const pr = await labelled.createPullRequest(REPO, { head: "flux/updates", base: "main", title: "PR", body: "" });
    expect(fake.pulls("acme", "fleet").find((i) => i.number === pr.number)!.labels).toEqual(["flux-image-update", "automerge"]);
  });

  it("leaves pull requests out of issue reads", async () => {
    fake.pushCommit("acme", "fleet", "flux/updates", { files: { "b.txt": "b\n" } });
    // pushCommit on a missing branch starts an unrelated history; the PR only needs both branches to exist.
    const pr = await gw.createPullRequest(REPO, { head: "flux/updates", base: "main", title: "PR", body: "" });
    await gw.createIssue(REPO, { title: "Dashboard", body: "" });
    expect((await gw.listIssues(REPO, { creator: BOT })).map((i) => i.title)).toEqual(["Dashboard"]);
    await expect(gw.getIssue(REPO, pr.number)).rejects.toMatchObject({ code: "github.not-found" });
  });

  it("creates and edits comments, and reacts to issues and comments", async () => {
    const issue = fake.addIssue("acme", "fleet", { title: "x" });
    const c = await gw.createComment(REPO, issue.number, "Working on it");
    expect(c).toMatchObject({ body: "Working on it", author: BOT });
    expect(await gw.updateComment(REPO, c.id, "Done")).toMatchObject({ id: c.id, body: "Done" });
    const theirs = fake.addComment("acme", "fleet", issue.number, "/flux update", { login: "alice", type: "User" });
    await gw.addReaction(REPO, { commentId: theirs.id }, "eyes");
    await gw.addReaction(REPO, { issueNumber: issue.number }, "+1");
    expect(fake.reactions("acme", "fleet").map((r) => [r.content, r.commentId ?? r.issueNumber])).toEqual([
      ["eyes", theirs.id],
      ["+1", issue.number],
    ]);
    expect(fake.comments("acme", "fleet").map((x) => x.body)).toEqual(["Done", "/flux update"]);
  });

  it("reads collaborator permissions", async () => {
    fake.setCollaborator("acme", "fleet", "alice", "maintain");
    fake.setCollaborator("acme", "fleet", "bob", "read");
    expect(await gw.getCollaboratorPermission(REPO, "alice")).toBe("maintain");
    expect(await gw.getCollaboratorPermission(REPO, "bob")).toBe("read");
    expect(await gw.getCollaboratorPermission(REPO, "mallory")).toBe("none");
  });

  it("lists the installation's repositories only", async () => {
    const repos = await gw.listInstallationRepos(3);
    expect(repos).toEqual([
      { owner: "acme", repo: "fleet", defaultBranch: "main", private: true },
      { owner: "acme", repo: "other", defaultBranch: "trunk", private: false },
    ]);
    expect(gw.counters().perRepo["installation/3"]).toMatchObject({ requests: 1 });
  });

  it("cannot see another installation's repository", async () => {
    await expect(gw.getDefaultBranch({ installationId: 3, owner: "someone", repo: "else" })).rejects.toMatchObject({ code: "github.not-found" });
  });
});
