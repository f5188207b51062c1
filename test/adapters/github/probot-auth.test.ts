import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit, createProbot } from "probot";
import { createOctokitRepoGateway } from "../../../src/adapters/github/octokit-repo-gateway.js";
import { type FakeGitHub, startFakeGitHub } from "../../helpers/fake-github.js";
import { AUTHOR } from "./helpers.js";
import type { RepoId } from "../../../src/app/ports/index.js";

/** Probot re-applies its own throttle options per instance, so switch retry and throttling off in a function default. */
const QuietOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  retry: { enabled: false },
  throttle: { ...(o.throttle as object), enabled: false },
}));

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const REPO: RepoId = { installationId: 42, owner: "acme", repo: "fleet" };

describe("the gateway on Probot's installation Octokit", () => {
  let fake: FakeGitHub;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.addInstallation(42, "acme");
    fake.seedRepo({ owner: "acme", repo: "fleet", installationId: 42, files: { "a.yaml": "a: 1\n" } });
  });
  afterEach(async () => {
    await fake.close();
  });

  async function exercise(app: Probot) {
    const gw = createOctokitRepoGateway((id) => app.auth(id), { writeIntervalMs: 0 });
    expect(await gw.getDefaultBranch(REPO)).toBe("main");
    const head = (await gw.getBranchHead(REPO, "main"))!;
    const out = await gw.commitFiles(REPO, {
      branch: "main",
      baseSha: head.sha,
      files: [{ path: "a.yaml", content: "a: 2\n" }],
      message: "bump",
      author: AUTHOR,
    });
    expect(out.kind).toBe("committed");
    await gw.createIssue(REPO, { title: "Dashboard", body: "state" });
    expect(fake.readFile("acme", "fleet", "main", "a.yaml")).toBe("a: 2\n");
    expect(fake.issues("acme", "fleet")[0]!.user).toEqual({ login: "flux-image-bot[bot]", type: "Bot" });
    // The app JWT bought an installation token, and every repository request used that token.
    expect(fake.requests.filter((r) => r.path === "/app/installations/42/access_tokens")).toHaveLength(1);
    expect(fake.requests.filter((r) => r.repo).every((r) => r.installationId === 42)).toBe(true);
    const tokens = [...fake.tokensSeen];
    expect(tokens.some((t) => t.startsWith("eyJ"))).toBe(true);
    expect(tokens.some((t) => t.startsWith("ghs_"))).toBe(true);
    const stored = JSON.stringify([
      fake.listFiles("acme", "fleet", "main"),
      fake.listCommits("acme", "fleet", "main"),
      fake.issues("acme", "fleet"),
      gw.counters(),
    ]);
    for (const t of tokens) expect(stored).not.toContain(t);
  }

  it("works with GHE_HOST and GHE_PROTOCOL=http (the /api/v3 prefix)", async () => {
    const app = createProbot({
      env: { APP_ID: "1", PRIVATE_KEY: privateKey, GHE_HOST: fake.host, GHE_PROTOCOL: "http", LOG_LEVEL: "fatal", WEBHOOK_SECRET: "s" },
      overrides: { Octokit: QuietOctokit },
    });
    await exercise(app);
    expect(fake.requests.every((r) => r.rawUrl.startsWith("/api/v3/"))).toBe(true);
  });

  it("works with an Octokit baseUrl", async () => {
    const app = new Probot({ appId: 1, privateKey, baseUrl: fake.url, Octokit: QuietOctokit, logLevel: "fatal" });
    await exercise(app);
  });

  it("answers an unknown installation with github.not-found", async () => {
    const app = new Probot({ appId: 1, privateKey, baseUrl: fake.url, Octokit: QuietOctokit, logLevel: "fatal" });
    const gw = createOctokitRepoGateway((id) => app.auth(id), { writeIntervalMs: 0 });
    await expect(gw.getDefaultBranch({ ...REPO, installationId: 99 })).rejects.toMatchObject({ code: "github.not-found" });
  });
});
