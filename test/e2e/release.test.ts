/**
 * Release intelligence through the whole app (fake GitHub, real Redis, the
 * Debian docker-registry holding images with labels and creation times):
 * a major update awaiting approval until its dashboard box is ticked, then a
 * pull request that says what changed and how old it is; an automation
 * outside its schedule waiting until the run-now box or its window.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHarness, type Harness } from "../helpers/app-harness.js";
import { exampleFiles, installationPayload } from "../helpers/e2e-fixtures.js";
import { ociPusher } from "../helpers/oci-push.js";
import { ensureDockerRegistry, startRegistry, type TestRegistry } from "../helpers/registry-server.js";

const unavailable = ensureDockerRegistry();
if (unavailable) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPING release e2e tests: ${unavailable}`);
}
const suite = unavailable ? describe.skip : describe;

const DIR = "clusters/production/image-automation";
const AUTOMATION = `${DIR}/image-update-automation.yaml`;
const POLICIES = `${DIR}/image-policies.yaml`;
const REPOS = `${DIR}/image-repositories.yaml`;
const DEPLOY = "apps/homepage/deployment.yaml";
const SRC = "org.opencontainers.image.source";
const REV = "org.opencontainers.image.revision";

suite("release intelligence end to end", () => {
  let h: Harness;
  let reg: TestRegistry;
  let credDir: string;
  let now = new Date();
  const daysAgo = (d: number): string => new Date(Date.now() - d * 86_400_000).toISOString();
  // an hour of the day (UTC) twelve hours away: the schedule's window is closed now
  const windowHour = (new Date().getUTCHours() + 12) % 24;

  function files(opts: { policyAnnotations?: string; automationAnnotations?: string; pr?: boolean }): Record<string, string> {
    const f = exampleFiles(reg.host);
    f[REPOS] = f[REPOS].replace("  insecure: true", "  insecure: true\n  secretRef:\n    name: regcred");
    if (opts.policyAnnotations) f[POLICIES] = f[POLICIES].replace("  name: my-app\n", `  name: my-app\n  annotations:\n${opts.policyAnnotations}`);
    if (opts.automationAnnotations)
      f[AUTOMATION] = f[AUTOMATION].replace("  name: flux-system\n", `  name: flux-system\n  annotations:\n${opts.automationAnnotations}`);
    if (opts.pr) f[AUTOMATION] = f[AUTOMATION].replace("    push:\n      branch: main", "    push:\n      branch: flux/image-updates");
    return f;
  }
  const dashboard = (repo: string) => h.github.issues("octo", repo).find((i) => (i.body ?? "").includes("<!-- flux-image-bot:dashboard -->"))!;
  const botCommits = (repo: string, branch: string) => h.github.listCommits("octo", repo, branch).filter((c) => c.author.name === "flux-image-automation");
  async function tick(repo: string, box: string): Promise<void> {
    const issue = dashboard(repo);
    const from = issue.body;
    const ticked = from.replace(`- [ ] <!-- ${box} -->`, `- [x] <!-- ${box} -->`);
    expect(ticked).not.toBe(from);
    const res = await fetch(`${h.github.url}/repos/octo/${repo}/issues/${issue.number}`, {
      method: "PATCH",
      headers: { authorization: "token user-alice", "content-type": "application/json" },
      body: JSON.stringify({ body: ticked }),
    });
    expect(res.status).toBe(200);
    const status = await h.deliver("issues", {
      action: "edited",
      issue: {
        number: issue.number,
        title: issue.title,
        body: ticked,
        state: "open",
        updated_at: new Date().toISOString(),
        user: { login: "flux-image-bot[bot]", type: "Bot" },
      },
      changes: { body: { from } },
      repository: { name: repo, full_name: `octo/${repo}`, owner: { login: "octo" }, default_branch: "main", private: false },
      sender: { login: "alice", type: "User" },
      installation: { id: 21 },
    });
    expect(status).toBe(200);
    await h.drain();
  }

  beforeAll(async () => {
    reg = await startRegistry();
    const push = ociPusher(reg);
    await push.image("gethomepage/homepage", "v0.9.0", {
      created: daysAgo(60),
      labels: { [SRC]: "https://github.com/gethomepage/homepage", [REV]: "aaaaaaa111" },
    });
    await push.image("gethomepage/homepage", "v1.0.4", {
      created: daysAgo(2),
      labels: { [SRC]: "https://github.com/gethomepage/homepage", [REV]: "bbbbbbb222" },
    });
    now = new Date();
    credDir = mkdtempSync(join(tmpdir(), "fib-creds-"));
    const auth = Buffer.from(`${reg.username}:${reg.password}`).toString("base64");
    writeFileSync(join(credDir, "creds.json"), JSON.stringify({ accounts: { "4001": { login: "octo", regcred: { auths: { [reg.host]: { auth } } } } } }));
    h = await startHarness(
      { REGISTRY_ALLOWED_HOSTS: reg.host, REGISTRY_CREDENTIALS_FILE: join(credDir, "creds.json") },
      { overrides: { clock: { now: () => now } } },
    );
    h.github.addInstallation(21, "octo");
    h.github.seedRepo({
      owner: "octo",
      repo: "approve",
      installationId: 21,
      files: files({ policyAnnotations: "    flux-image-bot/approve: major\n", pr: true }),
    });
    h.github.seedRepo({
      owner: "octo",
      repo: "scheduled",
      installationId: 21,
      files: files({ automationAnnotations: `    flux-image-bot/schedule: "* ${windowHour} * * *"\n    flux-image-bot/timezone: UTC\n` }),
    });
    h.github.seedRepo({
      owner: "octo",
      repo: "window",
      installationId: 21,
      files: files({ automationAnnotations: `    flux-image-bot/schedule: "* ${windowHour} * * *"\n` }),
    });
    h.github.seedRepo({ owner: "octo", repo: "burst", installationId: 21, files: files({ automationAnnotations: "    flux-image-bot/debounce: 10m\n" }) });
    h.github.setCollaborator("octo", "approve", "alice", "write");
    h.github.setCollaborator("octo", "scheduled", "alice", "write");
    await h.deliver("installation", installationPayload(21, "octo", ["approve", "scheduled", "window", "burst"]));
    await h.drain();
  }, 90_000);

  afterAll(async () => {
    await h?.stop();
    await reg?.stop();
    rmSync(credDir, { recursive: true, force: true });
  });

  it("a major update waits for approval: no pull request, a box on the dashboard", async () => {
    expect(h.github.pulls("octo", "approve")).toHaveLength(0);
    expect(h.github.readFile("octo", "approve", "main", DEPLOY)).toContain(":v0.9.0 #");
    const state = await h.services.state.get({ installationId: 21, owner: "octo", repo: "approve" });
    expect(state?.automations["flux-system/flux-system"]?.release?.approvals).toEqual([
      expect.objectContaining({ policy: "flux-system/my-app", tag: "v1.0.4", type: "major" }),
    ]);
    // the scan record keeps what the image says about itself
    expect(state?.scans["flux-system/homepage"]?.images?.["v1.0.4"]).toMatchObject({
      source: "https://github.com/gethomepage/homepage",
      revision: "bbbbbbb222",
    });
    const body = dashboard("approve").body;
    expect(body).toContain("## Release information");
    expect(body).toContain("Awaiting approval");
    expect(body).toContain("- [ ] <!-- approve-update=flux-system/my-app/v1.0.4 -->");
    expect(
      Object.values(state?.problems ?? {})
        .flat()
        .filter((p) => p.severity !== "warning"),
    ).toEqual([]);
  });

  it("ticking the box approves it: the pull request says what changed and how old it is", async () => {
    await tick("approve", "approve-update=flux-system/my-app/v1.0.4");
    const pulls = h.github.pulls("octo", "approve");
    expect(pulls).toHaveLength(1);
    const body = pulls[0]!.body;
    expect(body).toContain("### Release information");
    expect(body).toContain("**major**, published 2 days ago");
    expect(body).toContain("[compare](https://github.com/gethomepage/homepage/compare/aaaaaaa111...bbbbbbb222)");
    // the commit message stays the automation's template
    const commits = botCommits("approve", "flux/image-updates");
    expect(commits).toHaveLength(1);
    expect(commits[0]!.message).toMatch(/^Automated image update\n\nAutomation name: flux-system\/flux-system\n/);
    expect(commits[0]!.message).not.toMatch(/published|Release information/);
    const after = dashboard("approve").body;
    expect(after).not.toContain("approve-update=flux-system/my-app/v1.0.4 -->");
  }, 60_000);

  it("outside the schedule the changes wait; the run-now box commits them", async () => {
    expect(botCommits("scheduled", "main")).toHaveLength(0);
    const state = await h.services.state.get({ installationId: 21, owner: "octo", repo: "scheduled" });
    expect(state?.automations["flux-system/flux-system"]).toMatchObject({ lastResult: "waiting", release: { wait: { reason: "schedule" } } });
    const body = dashboard("scheduled").body;
    expect(body).toContain("Awaiting schedule");
    await tick("scheduled", "run-now=flux-system/flux-system");
    expect(botCommits("scheduled", "main")).toHaveLength(1);
    expect(h.github.readFile("octo", "scheduled", "main", DEPLOY)).toContain(":v1.0.4 #");
  }, 60_000);

  it("inside the window the next run commits", async () => {
    expect(botCommits("window", "main")).toHaveLength(0);
    const next = new Date(now);
    next.setUTCHours(windowHour, 5, 0, 0);
    if (next.getTime() < now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
    now = next;
    await h.services.queue.enqueue("reconcile", {
      installationId: 21,
      owner: "octo",
      repo: "window",
      namespace: "flux-system",
      name: "flux-system",
      reason: "test",
    });
    await h.drain();
    expect(botCommits("window", "main")).toHaveLength(1);
  }, 60_000);

  it("debounce: a burst of tags makes one commit once it has been quiet for the debounce", async () => {
    const burst = { installationId: 21, owner: "octo", repo: "burst", namespace: "flux-system", name: "flux-system", reason: "test" };
    const waitOf = async () => (await h.services.state.get({ installationId: 21, owner: "octo", repo: "burst" }))?.automations["flux-system/flux-system"];
    expect(botCommits("burst", "main")).toHaveLength(0);
    expect(await waitOf()).toMatchObject({ lastResult: "waiting", release: { wait: { reason: "debounce" } } });
    const since = (await waitOf())!.release!.wait!.since;
    // seven minutes later another tag: the wait starts again
    now = new Date(now.getTime() + 7 * 60_000);
    await ociPusher(reg).image("gethomepage/homepage", "v1.0.5", { created: daysAgo(0) });
    await h.services.queue.enqueue("scan-image", { ...burst, name: "homepage", force: true });
    await h.drain();
    expect(botCommits("burst", "main")).toHaveLength(0);
    const restarted = (await waitOf())!.release!.wait!;
    expect(Date.parse(restarted.since)).toBeGreaterThan(Date.parse(since));
    // eleven minutes after the last tag: one commit with the newest
    now = new Date(now.getTime() + 11 * 60_000);
    await h.services.queue.enqueue("reconcile", burst);
    await h.drain();
    expect(botCommits("burst", "main")).toHaveLength(1);
    expect(h.github.readFile("octo", "burst", "main", DEPLOY)).toContain(":v1.0.5 #");
  }, 60_000);
});
