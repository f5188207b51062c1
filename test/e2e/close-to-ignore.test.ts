/**
 * Closing a bot pull request without merging ignores its version, through
 * the whole app: the signed pull_request webhook, the pull-request-event job,
 * the next run (no new pull request for that version), the dashboard (the
 * ignored version with a box to un-ignore), and a newer tag (a new pull
 * request). Then the box un-ignores.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { FakeRegistry } from "../adapters/registry/fake-registry.js";
import { startHarness, type Harness } from "../helpers/app-harness.js";
import { exampleFiles, installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";

const AUTOMATION = "clusters/production/image-automation/image-update-automation.yaml";
const REPO = { installationId: 9, owner: "acme", repo: "ignore-repo" };

describe("close a bot pull request to ignore its version", () => {
  let h: Harness;
  let registry: FakeRegistry;
  const tags: Record<string, string[]> = { "gethomepage/homepage": ["v0.9.0", "v1.0.4"] };

  beforeAll(async () => {
    registry = await startTagRegistry(tags);
    h = await startHarness({ REGISTRY_ALLOWED_HOSTS: registry.host, MIN_INTERVAL_SECONDS: "1" });
    h.github.addInstallation(9, "acme");
    const files = exampleFiles(registry.host);
    files[AUTOMATION] = files[AUTOMATION].replace("    push:\n      branch: main", "    push:\n      branch: flux/image-updates");
    h.github.seedRepo({ owner: "acme", repo: "ignore-repo", installationId: 9, files });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    await registry?.close();
  });

  const open = () => h.github.pulls("acme", "ignore-repo").filter((p) => p.state === "open");
  const dashboard = () => h.github.issues("acme", "ignore-repo").find((i) => i.body.includes("<!-- flux-image-bot:dashboard -->"))!;
  const rescan = async () => {
    await h.services.queue.enqueue("scan-image", { ...REPO, namespace: "flux-system", name: "homepage", force: true, reason: "test" });
    await h.drain();
  };

  it("ignores v1.0.4 once its pull request is closed, and proposes v1.1.1 when it comes", async () => {
    await h.deliver("installation", installationPayload(9, "acme", ["ignore-repo"]));
    await h.drain();
    const [pr] = open();
    expect(pr).toMatchObject({ title: "Update homepage to v1.0.4", labels: ["flux-image-update"] });
    expect(dashboard().labels).toEqual(["flux-image-update"]);

    // carol closes it without merging
    pr!.state = "closed";
    const status = await h.deliver("pull_request", {
      action: "closed",
      installation: { id: 9, account: { login: "acme" } },
      repository: { name: "ignore-repo", full_name: "acme/ignore-repo", owner: { login: "acme" } },
      sender: { login: "carol", type: "User" },
      pull_request: { number: pr!.number, state: "closed", merged: false, body: pr!.body, user: { login: "flux-image-bot[bot]", type: "Bot" } },
    });
    expect(status).toBe(200);
    await h.drain();
    const state = await h.services.state.get(REPO);
    expect(state?.controls?.ignored?.["flux-system/my-app"]).toEqual([expect.objectContaining({ version: "v1.0.4", by: "carol", pullRequest: pr!.number })]);

    // the next run makes no pull request for the ignored version
    await rescan();
    await h.services.queue.enqueue("reconcile", { ...REPO, namespace: "flux-system", name: "flux-system", reason: "test" });
    await h.drain();
    expect(open()).toEqual([]);
    const body = dashboard().body;
    expect(body).toContain("## Ignored versions");
    expect(body).toContain("- [ ] <!-- unignore-version=flux-system/my-app/v1.0.4 --> <code>flux-system/my-app</code> <code>v1.0.4</code> (pull request #");
    expect(body).toContain("ignored (#");

    // a newer tag makes a new pull request
    tags["gethomepage/homepage"]!.push("v1.1.1");
    await rescan();
    expect(open()).toHaveLength(1);
    expect(open()[0]).toMatchObject({ title: "Update homepage to v1.1.1" });
    expect(open()[0]!.number).not.toBe(pr!.number);
    expect(h.github.readFile("acme", "ignore-repo", "flux/image-updates", "apps/homepage/deployment.yaml")).toContain(":v1.1.1 #");
  }, 90_000);

  it("the rebase box makes the branch again on top of the moved base branch", async () => {
    const [pr] = open();
    const main = h.github.pushCommit("acme", "ignore-repo", "main", { files: { "README.md": "# homelab, moved\n" } });
    const ticked = pr!.body.replace("- [ ] <!-- rebase-pull-request -->", "- [x] <!-- rebase-pull-request -->");
    expect(ticked).not.toBe(pr!.body);
    await h.deliver("pull_request", {
      action: "edited",
      changes: { body: { from: pr!.body } },
      installation: { id: 9, account: { login: "acme" } },
      repository: { name: "ignore-repo", full_name: "acme/ignore-repo", owner: { login: "acme" } },
      sender: { login: "dave", type: "User" },
      pull_request: { number: pr!.number, state: "open", merged: false, body: ticked, user: { login: "flux-image-bot[bot]", type: "Bot" } },
    });
    await h.drain();
    const [top, ...rest] = h.github.listCommits("acme", "ignore-repo", "flux/image-updates");
    expect(top!.author.name).toBe("flux-image-automation");
    expect(top!.parents).toEqual([main]);
    expect(rest[0]!.sha).toBe(main);
    expect(h.github.readFile("acme", "ignore-repo", "flux/image-updates", "README.md")).toBe("# homelab, moved\n");
    expect(open().map((p) => p.number)).toEqual([pr!.number]);
    expect((await h.services.state.get(REPO))?.controls?.rebase).toEqual({});
  }, 90_000);

  /** Ticks a box on the dashboard the way a person does: edit the issue, GitHub sends issues.edited. */
  async function tick(key: string, by: string): Promise<void> {
    const issue = dashboard();
    const before = issue.body;
    issue.body = before.replace(`- [ ] <!-- ${key} -->`, `- [x] <!-- ${key} -->`);
    expect(issue.body).not.toBe(before);
    await h.deliver("issues", {
      action: "edited",
      changes: { body: { from: before } },
      installation: { id: 9, account: { login: "acme" } },
      repository: { name: "ignore-repo", full_name: "acme/ignore-repo", owner: { login: "acme" } },
      sender: { login: by, type: "User" },
      issue: { number: issue.number, body: issue.body, user: { login: "flux-image-bot[bot]", type: "Bot" } },
    });
    await h.drain();
    await h.drain();
  }

  it("holding the only update closes its pull request; releasing it opens a new one", async () => {
    const [pr] = open();
    await tick("hold-update=flux-system/my-app", "erin");
    expect(open()).toEqual([]);
    const closed = h.github.pulls("acme", "ignore-repo").find((p) => p.number === pr!.number)!;
    expect(closed.body).toMatch(/^_Closed by flux-image-bot: nothing is left to update/);
    expect(dashboard().body).toContain("held by erin, tick to release below");
    // closing it ourselves ignores nothing
    expect((await h.services.state.get(REPO))?.controls?.ignored?.["flux-system/my-app"]?.map((i) => i.version)).toEqual(["v1.0.4"]);

    await tick("release-update=flux-system/my-app", "erin");
    expect(open()).toHaveLength(1);
    expect(open()[0]).toMatchObject({ title: "Update homepage to v1.1.1" });
    expect(open()[0]!.number).not.toBe(pr!.number);
  }, 90_000);
});
