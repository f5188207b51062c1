/**
 * End to end through the app: the two-cluster fixture (bootstrapped
 * production and staging, overlays, a dev policy and an _archive/ that no
 * cluster applies) in one repository. Each automation commits from its own
 * cluster's policy; the dev build is never written.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import type { FakeRegistry } from "../adapters/registry/fake-registry.js";
import { startHarness, type Harness } from "../helpers/app-harness.js";
import { installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";
import { loadTree } from "../helpers/load-tree.js";

describe("a repository with two clusters through the app", () => {
  let h: Harness;
  let registry: FakeRegistry;
  const repo = { installationId: 9, owner: "acme", repo: "fleet" };

  beforeAll(async () => {
    const tags = JSON.parse(readFileSync("test/fixtures/clusters/tags.json", "utf8"))["ghcr.io/stefanprodan/podinfo"] as string[];
    registry = await startTagRegistry({ "stefanprodan/podinfo": tags });
    h = await startHarness({ REGISTRY_ALLOWED_HOSTS: registry.host });
    h.github.addInstallation(repo.installationId, repo.owner);
    const files = Object.fromEntries(
      loadTree("test/fixtures/clusters").map((f) => [
        f.path,
        f.content
          .replaceAll("ghcr.io/stefanprodan/podinfo", `${registry.host}/stefanprodan/podinfo`)
          .replace("  interval: 5m\n", "  interval: 5m\n  insecure: true\n"),
      ]),
    );
    h.github.seedRepo({ ...repo, files });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    await registry?.close();
  });

  it("commits production's and staging's updates from their own policies, once each", async () => {
    expect(await h.deliver("installation", installationPayload(repo.installationId, repo.owner, [repo.repo]), { id: "clusters-1" })).toBe(200);
    await h.drain();
    const messages = h.github
      .listCommits(repo.owner, repo.repo, "main")
      .filter((c) => c.author.name === "fluxcdbot")
      .map((c) => c.message)
      .sort();
    expect(messages).toEqual(["production: 6.5.0 -> 6.6.2 ", "staging: 6.5.0 -> 6.7.0-rc.1 "]);
    expect(h.github.readFile(repo.owner, repo.repo, "main", "apps/production/kustomization.yaml")).toContain(
      'newTag: 6.6.2 # {"$imagepolicy": "flux-system:podinfo:tag"}',
    );
    expect(h.github.readFile(repo.owner, repo.repo, "main", "apps/staging/kustomization.yaml")).toContain(
      'newTag: 6.7.0-rc.1 # {"$imagepolicy": "flux-system:stg-podinfo:tag"}',
    );
    expect(h.github.readFile(repo.owner, repo.repo, "main", "_archive/deployment.yaml")).toContain("podinfo:6.0.0 #");
    const state = await h.services.state.get(repo);
    expect(state?.model?.clusters?.map((c) => c.name)).toEqual([
      "clusters/production/flux-system/gotk-sync.yaml",
      "clusters/staging/flux-system/gotk-sync.yaml",
    ]);
    expect(Object.keys(state?.automations ?? {}).sort()).toEqual([
      "clusters/production/flux-system/gotk-sync.yaml:flux-system/production",
      "clusters/staging/flux-system/gotk-sync.yaml:flux-system/stg-staging",
    ]);
    // the dashboard shows one table per cluster, each policy with the tag its cluster allows
    await h.services.processors["sync-dashboard"]({ ...repo, reason: "test" }, { attemptsMade: 0 });
    const dashboard = h.github.issues(repo.owner, repo.repo).find((i) => (i.body ?? "").includes("<!-- flux-image-bot:dashboard -->"));
    const body = dashboard?.body ?? "";
    expect(body).toContain("Cluster <code>clusters/production/flux-system/gotk-sync.yaml</code>");
    expect(body).toContain("Cluster <code>clusters/staging/flux-system/gotk-sync.yaml</code>");
    expect(body).not.toContain("no marker in the files");
    expect(body).toContain("6.6.2");
    expect(body).toContain("6.7.0-rc.1");
    expect(body).not.toContain("7.0.0-dev.1");
    expect(body).not.toContain("waiting for a scan");
  }, 90_000);
});
