import { describe, expect, it } from "@jest/globals";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseRepository } from "../../../src/core/manifests/parse.js";
import type { RepoFile } from "../../../src/core/types.js";

function loadDir(dir: string): RepoFile[] {
  const out: RepoFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ path: relative(dir, p).split("\\").join("/"), content: readFileSync(p, "utf8") });
    }
  };
  walk(dir);
  return out;
}

const repo = (name: string, extra = "") => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: ${name}
${extra}spec:
  image: ghcr.io/org/${name}
  interval: 5m
`;

describe("parseRepository", () => {
  it("reads the example from the user's docs with the kustomization's namespace", () => {
    const model = parseRepository(loadDir("test/fixtures/example"));
    // No Flux Kustomization in the example: the implicit cluster, and plan says so.
    expect(model.problems).toEqual([]);
    expect(model.repositories.map((r) => [r.namespace, r.name, r.spec.image])).toEqual([["flux-system", "homepage", "ghcr.io/gethomepage/homepage"]]);
    expect(model.policies).toHaveLength(1);
    expect(model.policies[0]).toMatchObject({
      namespace: "flux-system",
      name: "my-app",
      namespaceSource: "kustomization",
      spec: { policy: { semver: { range: ">=0.9.0" } } },
    });
    expect(model.automations[0]).toMatchObject({ namespace: "flux-system", name: "flux-system", spec: { update: { path: "./apps", strategy: "Setters" } } });
  });

  it("reads spec.provider, spec.certSecretRef and spec.proxySecretRef of an ImageRepository", () => {
    const text = repo("app").replace(
      "  interval: 5m\n",
      "  interval: 5m\n  provider: aws\n  certSecretRef:\n    name: reg-ca\n  proxySecretRef:\n    name: corp-proxy\n",
    );
    const model = parseRepository([{ path: "image.yaml", content: text }]);
    expect(model.problems).toEqual([]);
    expect(model.repositories[0]!.spec).toMatchObject({ provider: "aws", certSecretRef: { name: "reg-ca" }, proxySecretRef: { name: "corp-proxy" } });
    const bad = parseRepository([{ path: "image.yaml", content: repo("app").replace("  interval: 5m\n", "  interval: 5m\n  provider: oracle\n") }]);
    expect(bad.problems.map((p) => p.message).join()).toContain("provider");
  });

  it("kustomize's namespace overrides metadata.namespace; without a kustomization metadata.namespace stands", () => {
    const files = [
      { path: "a/kustomization.yaml", content: "namespace: other\nresources:\n  - r.yaml\n" },
      { path: "a/r.yaml", content: repo("x", "  namespace: apps\n") },
      { path: "b/r.yaml", content: repo("y", "  namespace: apps\n") },
    ];
    const m = parseRepository(files);
    expect(m.repositories.find((r) => r.name === "x")).toMatchObject({ namespace: "other", namespaceSource: "kustomization" });
    expect(m.repositories.find((r) => r.name === "y")).toMatchObject({ namespace: "apps", namespaceSource: "metadata" });
  });

  it("follows resources up the chain of kustomizations", () => {
    const files = [
      { path: "clusters/prod/kustomization.yaml", content: "namespace: prod-ns\nresources:\n  - ../../infra/images\n" },
      { path: "infra/images/kustomization.yml", content: "resources:\n- repos.yaml\n" },
      { path: "infra/images/repos.yaml", content: repo("x") },
    ];
    expect(parseRepository(files).repositories[0]).toMatchObject({ namespace: "prod-ns", namespaceSource: "kustomization" });
  });

  it("uses the targetNamespace of the Flux Kustomization that applies the file; what nothing applies is not live", () => {
    const ks =
      "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./apps/prod\n  targetNamespace: team-a\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n";
    const files = [
      { path: "clusters/prod/apps.yaml", content: ks },
      { path: "apps/prod/images.yaml", content: repo("x") },
      { path: "apps/other/images.yaml", content: repo("y") },
    ];
    const m = parseRepository(files);
    expect(m.repositories.map((r) => r.name)).toEqual(["x"]);
    expect(m.repositories[0]).toMatchObject({
      namespace: "team-a",
      namespaceSource: "flux-kustomization",
      cluster: "clusters/prod/apps.yaml",
      identitySource: ["spec.targetNamespace of Kustomization flux-system/apps"],
    });
  });

  it("accepts v1beta1 and v1beta2 with a deprecation warning", () => {
    const m = parseRepository([{ path: "r.yaml", content: repo("x").replace("/v1\n", "/v1beta2\n") + "---\n" + repo("y").replace("/v1\n", "/v1beta1\n") }]);
    expect(m.repositories.map((r) => r.name)).toEqual(["x", "y"]);
    expect(m.problems.map((p) => [p.code, p.severity])).toEqual([
      ["manifest.deprecated-version", "warning"],
      ["manifest.removed-version", "warning"],
    ]);
  });

  it("turns bad documents into problems and keeps the good ones", () => {
    const bad = [
      repo("good"),
      "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: badinterval\nspec:\n  image: ghcr.io/o/a\n  interval: 5 minutes\n",
      "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: noimage\nspec:\n  interval: 1m\n",
      "apiVersion: image.toolkit.fluxcd.io/v1alpha1\nkind: ImagePolicy\nmetadata:\n  name: old\nspec: {}\n",
      'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: badrange\nspec:\n  imageRepositoryRef:\n    name: good\n  policy:\n    semver:\n      range: "1.0.0p"\n',
      "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata:\n  name: strat\nspec:\n  interval: 1m\n  sourceRef:\n    name: flux-system\n  git:\n    commit:\n      author:\n        email: a@b\n  update:\n    strategy: Foo\n",
      "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: [oops\n",
    ].join("---\n");
    const m = parseRepository([{ path: "bad.yaml", content: bad }]);
    expect(m.repositories.map((r) => r.name)).toEqual(["good"]);
    const codes = m.problems.map((p) => p.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        "manifest.invalid-interval",
        "manifest.missing-field",
        "manifest.unsupported-version",
        "policy.invalid",
        "automation.invalid-strategy",
        "manifest.invalid-yaml",
      ]),
    );
    const interval = m.problems.find((p) => p.code === "manifest.invalid-interval")!;
    expect(interval).toMatchObject({ file: "bad.yaml", line: 15, object: "ImageRepository/flux-system/badinterval" });
    expect(interval.message).toMatch(/5 minutes/);
    for (const p of m.problems) expect(p.message.length).toBeGreaterThan(10);
  });

  it("rejects an image with a tag or scheme", () => {
    const m = parseRepository([
      {
        path: "r.yaml",
        content: repo("x").replace("ghcr.io/org/x", "ghcr.io/org/x:1.0") + "---\n" + repo("y").replace("ghcr.io/org/y", "https://ghcr.io/org/y"),
      },
    ]);
    expect(m.repositories).toEqual([]);
    expect(m.problems.map((p) => p.code)).toEqual(["manifest.invalid-image", "manifest.invalid-image"]);
  });

  it("counts equal copies as one with a warning, and uses neither of two different copies", () => {
    const same = parseRepository([
      { path: "a.yaml", content: repo("x") },
      { path: "b.yaml", content: repo("x") },
    ]);
    expect(same.repositories).toHaveLength(1);
    expect(same.problems.map((p) => [p.code, p.severity])).toEqual([["manifest.duplicate-equal", "warning"]]);
    const differ = parseRepository([
      { path: "a.yaml", content: repo("x") },
      { path: "b.yaml", content: repo("x").replace("5m", "10m") },
    ]);
    expect(differ.repositories).toEqual([]);
    expect(differ.problems.filter((p) => p.code === "manifest.duplicate").map((p) => p.file)).toEqual(["a.yaml", "b.yaml"]);
  });

  it("never throws on garbage", () => {
    const garbage = [
      "\u0000\u0001image.toolkit.fluxcd.io",
      "a: &a [*a]\nimage.toolkit.fluxcd.io",
      "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: 5\n",
      "- image.toolkit.fluxcd.io\n",
      "{".repeat(5000) + "image.toolkit.fluxcd.io",
    ];
    for (const content of garbage) expect(() => parseRepository([{ path: "g.yaml", content }])).not.toThrow();
  });
});
