/**
 * spec.git.push.branch different from the checkout branch: the bot pushes
 * its commit to that branch and opens one pull request into the checkout
 * branch, then updates the same pull request when a newer tag appears.
 * A protected checkout branch becomes a Problem suggesting push.branch.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { FakeRegistry } from "../adapters/registry/fake-registry.js";
import { startHarness, type Harness } from "../helpers/app-harness.js";
import { exampleFiles, installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";

const AUTOMATION = "clusters/production/image-automation/image-update-automation.yaml";

describe("pull requests and protected branches", () => {
  let h: Harness;
  let registry: FakeRegistry;
  const tags: Record<string, string[]> = { "gethomepage/homepage": ["v0.9.0", "v1.0.4"] };

  beforeAll(async () => {
    registry = await startTagRegistry(tags);
    h = await startHarness({ REGISTRY_ALLOWED_HOSTS: registry.host, MIN_INTERVAL_SECONDS: "1" });
    h.github.addInstallation(8, "acme");
    const prFiles = exampleFiles(registry.host);
    prFiles[AUTOMATION] = prFiles[AUTOMATION].replace("    push:\n      branch: main", "    push:\n      branch: flux/image-updates");
    h.github.seedRepo({ owner: "acme", repo: "pr-repo", installationId: 8, files: prFiles });
    const protectedFiles = exampleFiles(registry.host);
    h.github.seedRepo({ owner: "acme", repo: "locked", installationId: 8, files: protectedFiles, protectedBranches: ["main"] });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    await registry?.close();
  });

  it("opens one pull request, then updates it for a newer tag", async () => {
    await h.deliver("installation", installationPayload(8, "acme", ["pr-repo", "locked"]));
    await h.drain();
    const pulls = h.github.pulls("acme", "pr-repo");
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ state: "open" });
    const pr = pulls[0] as unknown as { head?: string; base?: string; body?: string; title?: string };
    expect(JSON.stringify(pr)).toContain("flux/image-updates");
    expect(pr.body).toContain("apps/homepage/deployment.yaml");
    expect(pr.body).toContain(`${registry.host}/gethomepage/homepage:v1.0.4`);
    expect(h.github.readFile("acme", "pr-repo", "main", "apps/homepage/deployment.yaml")).toContain(":v0.9.0 #");
    expect(h.github.readFile("acme", "pr-repo", "flux/image-updates", "apps/homepage/deployment.yaml")).toContain(":v1.0.4 #");

    // a newer tag: the next run adds a commit to the same branch and updates the same pull request
    tags["gethomepage/homepage"].push("v1.1.1");
    await h.services.queue.enqueue("scan-image", {
      installationId: 8,
      owner: "acme",
      repo: "pr-repo",
      namespace: "flux-system",
      name: "homepage",
      force: true,
      reason: "test",
    });
    await h.drain();
    expect(h.github.pulls("acme", "pr-repo")).toHaveLength(1);
    expect(h.github.readFile("acme", "pr-repo", "flux/image-updates", "apps/homepage/deployment.yaml")).toContain(":v1.1.1 #");
    expect((h.github.pulls("acme", "pr-repo")[0] as unknown as { body: string }).body).toContain("v1.1.1");
    const botCommits = h.github.listCommits("acme", "pr-repo", "flux/image-updates").filter((c) => c.author.name === "flux-image-automation");
    expect(botCommits).toHaveLength(2);
    expect(h.github.listCommits("acme", "pr-repo", "main").filter((c) => c.author.name === "flux-image-automation")).toHaveLength(0);
  }, 60_000);

  it("turns a protected branch into a Problem that suggests spec.git.push.branch", async () => {
    const state = await h.services.state.get({ installationId: 8, owner: "acme", repo: "locked" });
    const problems = Object.values(state?.problems ?? {}).flat();
    const p = problems.find((x) => x.code === "github.protected-branch");
    expect(p?.message).toMatch(/push\.branch/);
    expect(state?.automations["flux-system/flux-system"]).toMatchObject({ lastResult: "failed" });
    expect(h.github.listCommits("acme", "locked", "main").filter((c) => c.author.name === "flux-image-automation")).toHaveLength(0);
  });
});
