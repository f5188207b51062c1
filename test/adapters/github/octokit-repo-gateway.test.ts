import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createOctokitRepoGateway, type OctokitRepoGateway } from "../../../src/adapters/github/octokit-repo-gateway.js";
import { type FakeGitHub, startFakeGitHub } from "../../helpers/fake-github.js";
import { AUTHOR, octokitFor } from "./helpers.js";
import type { RepoId } from "../../../src/app/ports/index.js";

const REPO: RepoId = { installationId: 7, owner: "acme", repo: "fleet" };
const FILES = {
  "clusters/prod/app.yaml": 'image: nginx:1.0 # {"$imagepolicy": "flux-system:nginx"}\n',
  "clusters/prod/kustomization.yaml": "resources: [app.yaml]\n",
  "README.md": "fleet\n",
};

describe("OctokitRepoGateway against the fake GitHub", () => {
  let fake: FakeGitHub;
  let gw: OctokitRepoGateway;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.seedRepo({ owner: "acme", repo: "fleet", installationId: 7, files: FILES });
    const token = fake.createInstallationToken(7);
    gw = createOctokitRepoGateway(async () => octokitFor(fake.url, token), { writeIntervalMs: 0 });
  });
  afterEach(async () => {
    await fake.close();
  });

  async function head(branch = "main") {
    const h = await gw.getBranchHead(REPO, branch);
    if (!h) throw new Error("no branch");
    return h;
  }

  it("reads the default branch, the head, the tree and blobs", async () => {
    expect(await gw.getDefaultBranch(REPO)).toBe("main");
    const h = await head();
    expect(h.sha).toBe(fake.branchSha("acme", "fleet", "main"));
    const tree = await gw.listTree(REPO, h.treeSha);
    expect(tree.map((e) => e.path).sort()).toEqual(Object.keys(FILES).sort());
    const app = tree.find((e) => e.path === "clusters/prod/app.yaml")!;
    expect(await gw.readBlob(REPO, app.sha)).toBe(FILES["clusters/prod/app.yaml"]);
    expect(await gw.getBranchHead(REPO, "nope")).toBeNull();
  });

  it("answers a warm reconcile with at most 2 requests, both 304", async () => {
    const read = async () => {
      await gw.getDefaultBranch(REPO);
      const h = await head();
      for (const e of await gw.listTree(REPO, h.treeSha)) await gw.readBlob(REPO, e.sha);
    };
    await read();
    gw.resetCounters();
    fake.resetCounts();
    await read();
    expect(gw.counters().perRepo["acme/fleet"]).toEqual({ requests: 2, notModified: 2, writes: 0, errors: 0 });
    expect(fake.counts().perRepo["acme/fleet"]).toMatchObject({ requests: 2, notModified: 2 });
    expect(fake.requests.every((r) => r.ifNoneMatch)).toBe(true);
  });

  it("sees a moved branch through the conditional request", async () => {
    await head();
    const moved = fake.pushCommit("acme", "fleet", "main", { files: { "README.md": "changed\n" } });
    expect((await head()).sha).toBe(moved);
    expect(gw.counters().total.notModified).toBe(0);
  });

  it("sends branch names with their slashes and the API version on every request", async () => {
    const main = await head();
    await gw.setBranch(REPO, "flux/image-updates", main.sha, { force: true });
    await gw.commitFiles(REPO, {
      branch: "flux/image-updates",
      baseSha: main.sha,
      files: [{ path: "README.md", content: "x\n" }],
      message: "m",
      author: AUTHOR,
    });
    expect(await gw.getBranchHead(REPO, "flux/image-updates")).not.toBeNull();
    const refUrls = fake.requests.filter((r) => r.path.includes("/git/ref")).map((r) => `${r.method} ${r.rawUrl.replace(/\?.*$/, "")}`);
    expect(refUrls).toContain("GET /repos/acme/fleet/git/ref/heads/flux/image-updates");
    expect(refUrls).toContain("PATCH /repos/acme/fleet/git/refs/heads/flux/image-updates");
    expect(refUrls.join(" ")).not.toContain("%2F");
    expect(fake.requests.length).toBeGreaterThan(5);
    expect(fake.requests.filter((r) => r.apiVersion !== "2022-11-28")).toEqual([]);
  });

  it("fetches a blob once, then serves it from the cache", async () => {
    const h = await head();
    const sha = (await gw.listTree(REPO, h.treeSha))[0]!.sha;
    await gw.readBlob(REPO, sha);
    await gw.readBlob(REPO, sha);
    expect(fake.requests.filter((r) => r.path.includes("/git/blobs/"))).toHaveLength(1);
  });

  it("keeps the blob cache within its byte bound", async () => {
    const small = createOctokitRepoGateway(async () => octokitFor(fake.url, "t"), { writeIntervalMs: 0, blobCacheBytes: 10 });
    const h = await head();
    const entries = await small.listTree(REPO, h.treeSha);
    const big = entries.find((e) => e.path === "clusters/prod/app.yaml")!;
    await small.readBlob(REPO, big.sha);
    await small.readBlob(REPO, big.sha);
    expect(fake.requests.filter((r) => r.path.endsWith(big.sha))).toHaveLength(2);
  });

  it("walks subtrees when the recursive tree is truncated", async () => {
    const f2 = await startFakeGitHub({ truncateTreesOver: 2 });
    try {
      f2.seedRepo({ owner: "acme", repo: "fleet", installationId: 7, files: FILES });
      const g2 = createOctokitRepoGateway(async () => octokitFor(f2.url, "t"), { writeIntervalMs: 0 });
      const h = (await g2.getBranchHead(REPO, "main"))!;
      const tree = await g2.listTree(REPO, h.treeSha);
      expect(tree.map((e) => e.path).sort()).toEqual(Object.keys(FILES).sort());
    } finally {
      await f2.close();
    }
  });

  it("commits with one inline-content tree, one commit and a fast-forward", async () => {
    const h = await head();
    const out = await gw.commitFiles(REPO, {
      branch: "main",
      baseSha: h.sha,
      files: [
        { path: "clusters/prod/app.yaml", content: "image: nginx:1.1\n" },
        { path: "new/file.yaml", content: "x: 1\n" },
      ],
      message: "Update nginx to 1.1",
      author: AUTHOR,
    });
    expect(out).toEqual({ kind: "committed", sha: fake.branchSha("acme", "fleet", "main") });
    expect(fake.readFile("acme", "fleet", "main", "clusters/prod/app.yaml")).toBe("image: nginx:1.1\n");
    expect(fake.readFile("acme", "fleet", "main", "README.md")).toBe("fleet\n");
    const [last] = fake.listCommits("acme", "fleet", "main");
    expect(last).toMatchObject({ message: "Update nginx to 1.1", parents: [h.sha], author: AUTHOR, committer: AUTHOR });
    const writes = fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path.replace(/^\/repos\/acme\/fleet/, "")}`);
    expect(writes).toEqual(["POST /git/trees", "POST /git/commits", "PATCH /git/refs/heads/main"]);
    // The commit's tree is remembered: the next head read needs no commit fetch.
    fake.resetCounts();
    expect((await head()).sha).toBe(last!.sha);
    expect(fake.requests.map((r) => r.path)).toEqual(["/repos/acme/fleet/git/ref/heads/main"]);
  });

  it("reports a conflict when the branch moved, and leaves the other commit alone", async () => {
    const h = await head();
    const theirs = fake.pushCommit("acme", "fleet", "main", { files: { "README.md": "theirs\n" } });
    const out = await gw.commitFiles(REPO, { branch: "main", baseSha: h.sha, files: [{ path: "README.md", content: "ours\n" }], message: "m", author: AUTHOR });
    expect(out.kind).toBe("conflict");
    expect(fake.branchSha("acme", "fleet", "main")).toBe(theirs);
    expect(fake.readFile("acme", "fleet", "main", "README.md")).toBe("theirs\n");
  });

  it("is refused on a protected branch and suggests a push branch", async () => {
    fake.setProtected("acme", "fleet", "main", true);
    const h = await head();
    const out = await gw.commitFiles(REPO, { branch: "main", baseSha: h.sha, files: [{ path: "README.md", content: "x\n" }], message: "m", author: AUTHOR });
    expect(out.kind).toBe("refused");
    expect(out.kind === "refused" && out.message).toMatch(/spec\.git\.push\.branch/);
    expect(out.kind === "refused" && out.message).toMatch(/Protected branch/);
    expect(fake.branchSha("acme", "fleet", "main")).toBe(h.sha);
  });

  it("creates the push branch, force-moves it, and never forces without being asked", async () => {
    const h = await head();
    expect(await gw.setBranch(REPO, "flux/updates", h.sha, { force: false })).toEqual({ kind: "committed", sha: h.sha });
    expect(fake.branchSha("acme", "fleet", "flux/updates")).toBe(h.sha);
    const other = fake.pushCommit("acme", "fleet", "flux/updates", { files: { "a.txt": "a\n" } });
    const main2 = fake.pushCommit("acme", "fleet", "main", { files: { "b.txt": "b\n" } });
    expect((await gw.setBranch(REPO, "flux/updates", main2, { force: false })).kind).toBe("conflict");
    expect(fake.branchSha("acme", "fleet", "flux/updates")).toBe(other);
    expect(await gw.setBranch(REPO, "flux/updates", main2, { force: true })).toEqual({ kind: "committed", sha: main2 });
    expect(fake.branchSha("acme", "fleet", "flux/updates")).toBe(main2);
    fake.setProtected("acme", "fleet", "flux/updates", true);
    expect((await gw.setBranch(REPO, "flux/updates", h.sha, { force: true })).kind).toBe("refused");
  });

  it("finds, creates and updates the pull request", async () => {
    const h = await head();
    await gw.setBranch(REPO, "flux/updates", h.sha, { force: true });
    await gw.commitFiles(REPO, { branch: "flux/updates", baseSha: h.sha, files: [{ path: "README.md", content: "pr\n" }], message: "m", author: AUTHOR });
    expect(await gw.findOpenPullRequest(REPO, "flux/updates", "main")).toBeNull();
    const pr = await gw.createPullRequest(REPO, { head: "flux/updates", base: "main", title: "Update images", body: "one" });
    expect(pr).toMatchObject({ head: "flux/updates", base: "main", title: "Update images", body: "one" });
    expect(pr.url).toMatch(/\/acme\/fleet\/pull\/\d+$/);
    expect(await gw.findOpenPullRequest(REPO, "flux/updates", "main")).toEqual(pr);
    const updated = await gw.updatePullRequest(REPO, pr.number, { title: "Update images (2)", body: "two" });
    expect(updated).toMatchObject({ number: pr.number, title: "Update images (2)", body: "two" });
    expect(await gw.findOpenPullRequest(REPO, "flux/updates", "main")).toMatchObject({ body: "two" });
    await expect(gw.createPullRequest(REPO, { head: "flux/updates", base: "main", title: "t", body: "b" })).rejects.toMatchObject({ code: "github.conflict" });
  });

  it("maps injected faults to AppErrors", async () => {
    fake.failNext({ method: "GET", path: /git\/ref\//, status: 502 });
    await expect(gw.getBranchHead(REPO, "main")).rejects.toMatchObject({ code: "github.unavailable", retryable: true, status: 502 });
    fake.failNext({ method: "GET", path: /git\/ref\//, status: 403, rateLimit: true });
    const err = await gw.getBranchHead(REPO, "main").catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "github.rate-limited", retryable: true });
    expect((err as { resetAt: Date }).resetAt.getTime()).toBeGreaterThan(Date.now());
    expect(fake.pendingFaults()).toBe(0);
  });

  it("never puts a token into repository content, commits or pull requests", async () => {
    const h = await head();
    await gw.setBranch(REPO, "flux/updates", h.sha, { force: true });
    await gw.commitFiles(REPO, { branch: "flux/updates", baseSha: h.sha, files: [{ path: "README.md", content: "z\n" }], message: "m", author: AUTHOR });
    await gw.createPullRequest(REPO, { head: "flux/updates", base: "main", title: "t", body: "b" });
    const everything = JSON.stringify([
      fake.listFiles("acme", "fleet", "flux/updates"),
      fake.listCommits("acme", "fleet", "flux/updates"),
      fake.pulls("acme", "fleet"),
    ]);
    expect(fake.tokensSeen.size).toBeGreaterThan(0);
    for (const t of fake.tokensSeen) expect(everything).not.toContain(t);
  });
});
