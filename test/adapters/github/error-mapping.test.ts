import { afterEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { useNock } from "../../helpers/nock-scope.js";
import { GitHubError, GitHubRateLimitedError } from "../../../src/adapters/github/errors.js";
import { createOctokitRepoGateway } from "../../../src/adapters/github/octokit-repo-gateway.js";
import { AppError } from "../../../src/core/errors.js";
import { AUTHOR, octokitFor } from "./helpers.js";
import type { RepoId } from "../../../src/app/ports/index.js";

const API = "https://api.github.com";
const REPO: RepoId = { installationId: 1, owner: "acme", repo: "fleet" };
const gateway = () => createOctokitRepoGateway(async () => octokitFor(API, "ghs_secret"), { writeIntervalMs: 0 });
const SHA = "a".repeat(40);

async function failure(p: Promise<unknown>): Promise<GitHubError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GitHubError);
  expect(err).toBeInstanceOf(AppError);
  return err as GitHubError;
}

describe("Octokit errors become AppErrors", () => {
  useNock();
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });

  it.each`
    status | headers                                                                | body                                                       | code                     | retryable
    ${404} | ${{}}                                                                  | ${{ message: "Not Found" }}                                | ${"github.not-found"}    | ${false}
    ${401} | ${{}}                                                                  | ${{ message: "Bad credentials" }}                          | ${"github.permission"}   | ${false}
    ${403} | ${{}}                                                                  | ${{ message: "Resource not accessible by integration" }}   | ${"github.permission"}   | ${false}
    ${403} | ${{ "x-ratelimit-remaining": "0", "x-ratelimit-reset": "2000000000" }} | ${{ message: "API rate limit exceeded" }}                  | ${"github.rate-limited"} | ${true}
    ${403} | ${{ "retry-after": "30" }}                                             | ${{ message: "You have exceeded a secondary rate limit" }} | ${"github.rate-limited"} | ${true}
    ${429} | ${{}}                                                                  | ${{ message: "Too many requests" }}                        | ${"github.rate-limited"} | ${true}
    ${409} | ${{}}                                                                  | ${{ message: "Git Repository is empty." }}                 | ${"github.conflict"}     | ${true}
    ${422} | ${{}}                                                                  | ${{ message: "Validation Failed" }}                        | ${"github.invalid"}      | ${false}
    ${500} | ${{}}                                                                  | ${{ message: "Server Error" }}                             | ${"github.unavailable"}  | ${true}
    ${502} | ${{}}                                                                  | ${{ message: "Bad Gateway" }}                              | ${"github.unavailable"}  | ${true}
    ${503} | ${{}}                                                                  | ${{ message: "Unavailable" }}                              | ${"github.unavailable"}  | ${true}
  `("maps $status $body.message to $code", async ({ status, headers, body, code, retryable }) => {
    nock(API)
      .get("/repos/acme/fleet")
      .reply(status as number, body as object, headers as Record<string, string>);
    const err = await failure(gateway().getDefaultBranch(REPO));
    expect(err).toMatchObject({ code, retryable, subject: "acme/fleet", status });
    expect(err.message.startsWith(`${code}: `)).toBe(true);
    expect(JSON.stringify(err.toJSON())).not.toContain("ghs_secret");
  });

  it("takes the rate-limit reset time from the headers", async () => {
    nock(API).get("/repos/acme/fleet").reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "2000000000" });
    const err = await failure(gateway().getDefaultBranch(REPO));
    expect(err).toBeInstanceOf(GitHubRateLimitedError);
    expect((err as GitHubRateLimitedError).resetAt.toISOString()).toBe(new Date(2_000_000_000_000).toISOString());
  });

  it("maps a network failure to github.unavailable", async () => {
    nock(API).get("/repos/acme/fleet").replyWithError("socket hang up");
    expect(await failure(gateway().getDefaultBranch(REPO))).toMatchObject({ code: "github.unavailable", retryable: true });
  });

  it("sends If-None-Match and serves the cached value on 304", async () => {
    const gw = gateway();
    nock(API).get("/repos/acme/fleet").reply(200, { default_branch: "trunk" }, { etag: '"v1"' });
    nock(API, { reqheaders: { "if-none-match": '"v1"' } })
      .get("/repos/acme/fleet")
      .reply(304, "", { etag: '"v1"' });
    expect(await gw.getDefaultBranch(REPO)).toBe("trunk");
    expect(await gw.getDefaultBranch(REPO)).toBe("trunk");
    expect(gw.counters().total).toMatchObject({ requests: 2, notModified: 1, errors: 0 });
  });

  it("treats a missing branch as null, not an error", async () => {
    nock(API).get("/repos/acme/fleet/git/ref/heads/feature/x").reply(404, { message: "Not Found" });
    expect(await gateway().getBranchHead(REPO, "feature/x")).toBeNull();
  });

  describe("ref update outcomes", () => {
    const commitFlow = (patchStatus: number, message: string) => {
      nock(API)
        .get(`/repos/acme/fleet/git/commits/${SHA}`)
        .reply(200, { sha: SHA, tree: { sha: "b".repeat(40) } });
      nock(API)
        .post(
          "/repos/acme/fleet/git/trees",
          (b: { base_tree: string; tree: Array<{ content?: string }> }) => b.base_tree === "b".repeat(40) && b.tree[0]?.content === "new\n",
        )
        .reply(201, { sha: "c".repeat(40) });
      nock(API)
        .post(
          "/repos/acme/fleet/git/commits",
          (b: { parents: string[]; author: object; committer: object }) => b.parents[0] === SHA && JSON.stringify(b.author) === JSON.stringify(AUTHOR),
        )
        .reply(201, { sha: "d".repeat(40) });
      nock(API)
        .patch("/repos/acme/fleet/git/refs/heads/main", { sha: "d".repeat(40), force: false })
        .reply(patchStatus, patchStatus < 300 ? { ref: "refs/heads/main", object: { sha: "d".repeat(40) } } : { message });
      return gateway().commitFiles(REPO, { branch: "main", baseSha: SHA, files: [{ path: "a.yaml", content: "new\n" }], message: "m", author: AUTHOR });
    };

    it("commits on a fast-forward", async () => {
      expect(await commitFlow(200, "")).toEqual({ kind: "committed", sha: "d".repeat(40) });
    });
    it("is a conflict on 422 not a fast forward", async () => {
      expect(await commitFlow(422, "Update is not a fast forward")).toEqual({ kind: "conflict" });
    });
    it("is a conflict on 409", async () => {
      expect(await commitFlow(409, "Conflict")).toEqual({ kind: "conflict" });
    });
    it.each([
      [422, "Protected branch update failed for refs/heads/main."],
      [422, 'Required status check "ci" is expected.'],
      [403, "Changes must be made through a pull request."],
      [403, "Resource not accessible by integration"],
    ])("is refused on %i %s", async (status, message) => {
      const out = await commitFlow(status, message);
      expect(out.kind).toBe("refused");
      expect(out.kind === "refused" && out.message).toContain(message);
      expect(out.kind === "refused" && out.message).toContain("spec.git.push.branch");
    });
    it("still throws rate limits", async () => {
      await expect(commitFlow(403, "You have exceeded a secondary rate limit")).rejects.toMatchObject({ code: "github.rate-limited" });
    });
  });
});
