import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GitStore } from "../../helpers/fake-github-git.js";
import { type FakeGitHub, startFakeGitHub } from "../../helpers/fake-github.js";

describe("fake GitHub git store", () => {
  it("computes git's object ids", () => {
    const git = new GitStore();
    // `printf 'hello\n' | git hash-object --stdin` and git's well-known empty tree.
    expect(git.putBlob("hello\n")).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    expect(git.putTree([])).toBe("4b825dc642cb6eb9a060e54bf8d69288fbee4904");
    const tree = git.buildTree(new Map([["hello.txt", { mode: "100644", sha: git.putBlob("hello\n") }]]));
    // `git mktree` of one file hello.txt with that blob.
    expect(tree).toBe("aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7");
  });
});

describe("fake GitHub server", () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await startFakeGitHub();
  });
  afterEach(async () => {
    await fake.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${fake.url}${path}`, { headers: { authorization: "Bearer abc", ...headers } });

  it("seeds from a directory and serves ETags with 304s", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fake-gh-"));
    mkdirSync(join(dir, "apps"));
    writeFileSync(join(dir, "apps", "x.yaml"), "x: 1\n");
    fake.seedRepo({ owner: "o", repo: "r", installationId: 1, dir });
    expect(fake.listFiles("o", "r", "main")).toEqual({ "apps/x.yaml": "x: 1\n" });
    const first = await get("/api/v3/repos/o/r/git/ref/heads/main");
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    const second = await get("/repos/o/r/git/ref/heads/main", { "if-none-match": etag });
    expect(second.status).toBe(304);
    expect(fake.counts().perRepo["o/r"]).toMatchObject({ requests: 2, reads: 2, notModified: 1 });
    expect(fake.counts().perInstallation[1]).toMatchObject({ requests: 2 });
    expect(fake.tokensSeen.has("abc")).toBe(true);
  });

  it("injects faults for the next N matching requests", async () => {
    fake.seedRepo({ owner: "o", repo: "r", installationId: 1, files: { a: "a" } });
    fake.failNext({ method: "GET", path: /^\/repos\/o\/r$/, status: 403, rateLimit: true, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await get("/repos/o/r");
      expect(res.status).toBe(403);
      expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(Number(res.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
    }
    expect((await get("/repos/o/r")).status).toBe(200);
    expect(fake.pendingFaults()).toBe(0);
  });

  it("records commits pushed by someone else", async () => {
    const { headSha } = fake.seedRepo({ owner: "o", repo: "r", installationId: 1, files: { a: "1" } });
    const sha = fake.pushCommit("o", "r", "main", { files: { a: "2", b: "3" }, message: "theirs", author: { name: "Alice", email: "a@x" } });
    expect(fake.listCommits("o", "r", "main").map((c) => [c.sha, c.message, c.author.name])).toEqual([
      [sha, "theirs", "Alice"],
      [headSha, "Initial commit", "Someone Else"],
    ]);
    fake.pushCommit("o", "r", "main", { files: { b: null } });
    expect(fake.listFiles("o", "r", "main")).toEqual({ a: "2" });
  });

  it("answers unknown routes and repositories with 404", async () => {
    expect((await get("/repos/o/missing")).status).toBe(404);
    expect((await get("/nothing/here")).status).toBe(404);
  });
});
