/**
 * The two-cluster fixture (bootstrapped production and staging, overlays with
 * namePrefix and labels, a dev overlay and an _archive/ that nothing applies)
 * through the core: each automation sees only its own cluster's policies, and
 * nothing applied by no cluster is used.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { planRepository } from "../../../src/app/plan-repository.js";
import { parseRepository } from "../../../src/core/manifests/parse.js";
import { loadTree } from "../../helpers/load-tree.js";

const DIR = "test/fixtures/clusters";

const tags = JSON.parse(readFileSync(join(DIR, "tags.json"), "utf8")) as Record<string, string[]>;
const source = { scan: async (r: { spec: { image: string } }) => ({ ok: true as const, tags: tags[r.spec.image] ?? [] }) };

describe("two bootstrapped clusters with overlays", () => {
  const files = loadTree(DIR);
  const model = parseRepository(files, { repository: { owner: "acme", repo: "fleet" }, branch: "main" });

  it("finds one cluster per gotk-sync.yaml, named by its path", () => {
    expect(model.clusters?.map((c) => c.name)).toEqual(["clusters/production/flux-system/gotk-sync.yaml", "clusters/staging/flux-system/gotk-sync.yaml"]);
    expect(model.clusters?.every((c) => c.root?.namespace === "flux-system" && c.root.name === "flux-system")).toBe(true);
  });

  it("reads objects at their built identity, and only live ones", () => {
    const ids = (list: Array<{ cluster?: string; namespace: string; name: string }>): string[] =>
      list.map((o) => `${o.cluster}|${o.namespace}/${o.name}`).sort();
    expect(ids(model.policies)).toEqual([
      "clusters/production/flux-system/gotk-sync.yaml|flux-system/podinfo",
      "clusters/staging/flux-system/gotk-sync.yaml|flux-system/stg-podinfo",
    ]);
    expect(ids(model.automations)).toEqual([
      "clusters/production/flux-system/gotk-sync.yaml|flux-system/production",
      "clusters/staging/flux-system/gotk-sync.yaml|flux-system/stg-staging",
    ]);
    const prod = model.policies.find((p) => p.cluster?.startsWith("clusters/production"));
    expect(prod?.labels).toMatchObject({
      automation: "enabled",
      "kustomize.toolkit.fluxcd.io/name": "image-automation",
      "kustomize.toolkit.fluxcd.io/namespace": "flux-system",
    });
    expect(prod?.identitySource).toEqual(["namespace in infra/image-automation/base/kustomization.yaml"]);
    const stg = model.policies.find((p) => p.cluster?.startsWith("clusters/staging"));
    expect(stg?.identitySource).toEqual([
      "namespace in infra/image-automation/base/kustomization.yaml",
      "namePrefix in infra/image-automation/staging/kustomization.yaml",
    ]);
    expect(stg?.spec.imageRepositoryRef.name).toBe("stg-podinfo");
    expect(model.problems.filter((p) => p.severity !== "warning")).toEqual([]);
  });

  it("plans production and staging from their own policies; the dev policy and _archive/ change nothing", async () => {
    const plan = await planRepository(files, { tags: source, defaultBranch: "main", parse: { repository: { owner: "acme", repo: "fleet" }, branch: "main" } });
    const changes = plan.automations.map((a) => [a.automation.name, a.changed.map((f) => f.path), a.message]);
    expect(changes).toEqual([
      ["production", ["apps/production/kustomization.yaml"], "production: 6.5.0 -> 6.6.2 "],
      ["stg-staging", ["apps/staging/kustomization.yaml"], "staging: 6.5.0 -> 6.7.0-rc.1 "],
    ]);
    const written = plan.automations.flatMap((a) => a.changed.map((f) => f.content)).join("\n");
    expect(written).not.toContain("7.0.0-dev.1");
    expect(written).not.toContain("_archive");
  });

  it("with the repository unknown, every GitRepository is taken as this one and the same clusters come out", () => {
    const m = parseRepository(files);
    expect(m.clusters?.length).toBe(2);
    expect(m.problems.map((p) => p.code)).toContain("cluster.repository-unknown");
  });

  it("on another branch, or for another repository, no root applies: the fallback refuses the ambiguous names", () => {
    const other = parseRepository(files, { repository: { owner: "acme", repo: "elsewhere" }, branch: "main" });
    expect(other.clusters?.map((c) => c.fallback)).toEqual([true]);
    // production's and dev's ImagePolicy flux-system/podinfo differ: neither is used
    expect(other.policies.filter((p) => p.name === "podinfo")).toEqual([]);
    expect(other.problems.filter((p) => p.code === "manifest.duplicate").length).toBeGreaterThanOrEqual(2);
  });
});
