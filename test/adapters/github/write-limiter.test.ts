import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createOctokitRepoGateway } from "../../../src/adapters/github/octokit-repo-gateway.js";
import { createWriteLimiter } from "../../../src/adapters/github/write-limiter.js";
import { type FakeGitHub, startFakeGitHub } from "../../helpers/fake-github.js";
import { AUTHOR, octokitFor } from "./helpers.js";
import type { RepoId } from "../../../src/app/ports/index.js";

describe("createWriteLimiter", () => {
  it("spaces writes of one installation and runs them in order", async () => {
    const limiter = createWriteLimiter({ intervalMs: 40 });
    const starts: number[] = [];
    const t0 = Date.now();
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        limiter.schedule(1, async () => {
          starts.push(Date.now() - t0);
          return n;
        }),
      ),
    );
    expect(results).toEqual([1, 2, 3]);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(35);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(35);
  });

  it("lets installations proceed in parallel", async () => {
    const limiter = createWriteLimiter({ intervalMs: 200 });
    const t0 = Date.now();
    await Promise.all([1, 2, 3, 4].map((id) => limiter.schedule(id, async () => id)));
    expect(Date.now() - t0).toBeLessThan(150);
  });

  it("keeps going after a failed write", async () => {
    const limiter = createWriteLimiter({ intervalMs: 0 });
    await expect(limiter.schedule(1, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.schedule(1, async () => "next")).resolves.toBe("next");
  });

  it("waits using the injected clock", async () => {
    let now = 1000;
    const waits: number[] = [];
    const limiter = createWriteLimiter({
      intervalMs: 1000,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    await limiter.schedule(9, async () => undefined);
    now += 250;
    await limiter.schedule(9, async () => undefined);
    expect(waits).toEqual([750]);
  });
});

describe("write spacing against a fake GitHub that enforces it", () => {
  let fake: FakeGitHub;
  const A: RepoId = { installationId: 1, owner: "a", repo: "r" };
  const B: RepoId = { installationId: 2, owner: "b", repo: "r" };

  beforeEach(async () => {
    fake = await startFakeGitHub({ writeLimitMs: 100 });
    fake.seedRepo({ owner: "a", repo: "r", installationId: 1, files: { "f.txt": "1\n" } });
    fake.seedRepo({ owner: "b", repo: "r", installationId: 2, files: { "f.txt": "1\n" } });
  });
  afterEach(async () => {
    await fake.close();
  });

  const commit = async (gw: ReturnType<typeof createOctokitRepoGateway>, repo: RepoId) => {
    const h = (await gw.getBranchHead(repo, "main"))!;
    return gw.commitFiles(repo, { branch: "main", baseSha: h.sha, files: [{ path: "f.txt", content: "2\n" }], message: "m", author: AUTHOR });
  };

  it("is answered with a secondary rate limit when writes are not spaced", async () => {
    const gw = createOctokitRepoGateway(async (id) => octokitFor(fake.url, fake.createInstallationToken(id)), { writeIntervalMs: 0 });
    await expect(commit(gw, A)).rejects.toMatchObject({ code: "github.rate-limited" });
  });

  it("passes with the limiter on, two installations at once", async () => {
    const gw = createOctokitRepoGateway(async (id) => octokitFor(fake.url, fake.createInstallationToken(id)), { writeIntervalMs: 110 });
    const t0 = Date.now();
    const [a, b] = await Promise.all([commit(gw, A), commit(gw, B)]);
    expect(a.kind).toBe("committed");
    expect(b.kind).toBe("committed");
    // Three writes each: two gaps of >=110ms per installation, in parallel rather than six writes in a row.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    const writes = [1, 2].map((id) => fake.requests.filter((r) => r.method !== "GET" && r.installationId === id).map((r) => r.at));
    for (const at of writes) {
      expect(at).toHaveLength(3);
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(100);
      expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(100);
    }
    // in parallel: each installation wrote before the other had finished (in a row, one's writes would all come first)
    const [a1, b1] = writes as [number[], number[]];
    expect(b1[0]!).toBeLessThan(a1[2]!);
    expect(a1[0]!).toBeLessThan(b1[2]!);
    expect(fake.counts().total.errors).toBe(0);
  });
});
