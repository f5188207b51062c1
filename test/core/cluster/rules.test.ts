/**
 * One test per rule of what Flux applies: clusters and roots, the apply
 * graph, Flux's generator and overlay, kustomize identity transforms,
 * postBuild substitution, labels, marker resolution and duplicates.
 */
import { describe, expect, it } from "@jest/globals";
import { evaluatePolicies, planAutomation } from "../../../src/core/plan.js";
import { parseRepository, type ParseOptions } from "../../../src/core/manifests/parse.js";
import type { RepoFile } from "../../../src/core/types.js";

const SELF: ParseOptions = { repository: { owner: "acme", repo: "fleet" }, branch: "main" };

function gotk(cluster: string, opts: { url?: string; branch?: string; path?: string } = {}): RepoFile[] {
  const sync = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  ref:
    branch: ${opts.branch ?? "main"}
  url: ${opts.url ?? "https://github.com/acme/fleet.git"}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ${opts.path ?? `./clusters/${cluster}`}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
  return [
    { path: `clusters/${cluster}/flux-system/gotk-sync.yaml`, content: sync },
    { path: `clusters/${cluster}/flux-system/kustomization.yaml`, content: "resources:\n  - gotk-sync.yaml\n" },
  ];
}

function ks(name: string, path: string, extra = "", ns = "flux-system"): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
${extra}`;
}

const policy = (name: string, meta = "", ref = name, range = ">=1.0.0"): string => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: ${name}
${meta}spec:
  imageRepositoryRef:
    name: ${ref}
  policy:
    semver:
      range: "${range}"
`;
const repository = (name: string, meta = ""): string => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: ${name}
${meta}spec:
  image: ghcr.io/acme/${name}
  interval: 5m
`;
const automation = (name: string, ns: string, path: string, selector = ""): string => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
  git:
    commit:
      author:
        email: bot@example.com
  update:
    path: ${path}
${selector}`;

const ids = (list: Array<{ namespace: string; name: string }>): string[] => list.map((o) => `${o.namespace}/${o.name}`).sort();
const codes = (m: { problems: Array<{ code: string }> }): string[] => m.problems.map((p) => p.code);
const scans = (tags: string[]) => (m: ReturnType<typeof parseRepository>) =>
  new Map(m.repositories.map((r) => [`${r.scope ? `${r.scope}:` : ""}${r.namespace}/${r.name}`, { ok: true as const, tags }]));

describe("clusters and roots", () => {
  it("#1 two bootstrapped clusters, named by their gotk-sync.yaml paths", () => {
    const m = parseRepository([...gotk("production"), ...gotk("staging")], SELF);
    expect(m.clusters?.map((c) => [c.name, c.root?.namespace, c.root?.name])).toEqual([
      ["clusters/production/flux-system/gotk-sync.yaml", "flux-system", "flux-system"],
      ["clusters/staging/flux-system/gotk-sync.yaml", "flux-system", "flux-system"],
    ]);
  });

  it("the root's own GitRepository is live even when its build leaves gotk-sync.yaml out", () => {
    const files = [
      ...gotk("prod").map((f) => (f.path.endsWith("kustomization.yaml") ? { ...f, content: "resources: []\n" } : f)),
      { path: "clusters/prod/auto.yaml", content: automation("auto", "flux-system", "./apps") },
    ];
    const m = parseRepository(files, SELF);
    expect(ids(m.automations)).toEqual(["flux-system/auto"]);
    expect(m.gitRepositories.map((g) => g.name)).toEqual(["flux-system"]);
  });

  it("a GitRepository that no file defines is this repository (home-ops layout), with a warning naming the assumption", () => {
    const files = [
      { path: "kubernetes/flux/cluster/ks.yaml", content: ks("cluster-apps", "./kubernetes/apps") },
      {
        path: "kubernetes/apps/flux-system/image-automation/ks.yaml",
        content: ks(
          "image-automation",
          "./kubernetes/apps/flux-system/image-automation/app",
          "  targetNamespace: flux-system\n  commonMetadata:\n    labels:\n      app.kubernetes.io/name: image-automation\n  postBuild:\n    substitute:\n      APP: podinfo\n",
        ),
      },
      { path: "kubernetes/apps/flux-system/kustomization.yaml", content: "resources:\n  - ./image-automation/ks.yaml\n" },
      { path: "kubernetes/apps/flux-system/image-automation/app/kustomization.yaml", content: "resources:\n  - policy.yaml\n  - repo.yaml\n" },
      { path: "kubernetes/apps/flux-system/image-automation/app/policy.yaml", content: policy("${APP}") },
      { path: "kubernetes/apps/flux-system/image-automation/app/repo.yaml", content: repository("podinfo") },
    ];
    const m = parseRepository(files, SELF);
    expect(m.clusters?.map((c) => c.name)).toEqual(["kubernetes/flux/cluster/ks.yaml"]);
    expect(codes(m)).toContain("cluster.source-assumed");
    expect(m.policies.map((p) => [p.namespace, p.name, p.labels["app.kubernetes.io/name"], p.appliedBy])).toEqual([
      ["flux-system", "podinfo", "image-automation", "Kustomization flux-system/image-automation"],
    ]);
    expect(ids(m.repositories)).toEqual(["flux-system/podinfo"]);
  });

  it("a Flux Operator FluxInstance is a root applying spec.sync.path", () => {
    const fi =
      "apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  sync:\n    kind: GitRepository\n    url: https://github.com/acme/fleet\n    ref: refs/heads/main\n    path: clusters/prod\n";
    const files = [
      { path: "flux-instance.yaml", content: fi },
      { path: "clusters/prod/policy.yaml", content: policy("web", "  namespace: apps\n") },
    ];
    const m = parseRepository(files, SELF);
    expect(m.clusters?.map((c) => c.name)).toEqual(["flux-instance.yaml"]);
    expect(ids(m.policies)).toEqual(["apps/web"]);
  });

  it("a root patched by its own build runs with the built spec; a Kustomization with kubeConfig starts another cluster", () => {
    const files = [
      ...gotk("p").map((f) =>
        f.path.endsWith("kustomization.yaml")
          ? {
              ...f,
              content:
                "resources:\n  - gotk-sync.yaml\npatches:\n  - target:\n      kind: Kustomization\n      name: flux-system\n    patch: |\n      - op: add\n        path: /spec/targetNamespace\n        value: patched\n",
            }
          : f,
      ),
      { path: "clusters/p/p.yaml", content: policy("web", "  namespace: x\n") },
      { path: "clusters/p/remote.yaml", content: ks("remote", "./remote", "  kubeConfig:\n    secretRef:\n      name: kubeconfig\n") },
      { path: "remote/p.yaml", content: policy("far", "  namespace: r\n") },
    ];
    const m = parseRepository(files, SELF);
    expect(m.policies.map((p) => [p.cluster, p.namespace, p.name])).toEqual([
      ["clusters/p/flux-system/gotk-sync.yaml", "patched", "web"],
      ["clusters/p/remote.yaml#patched/remote", "r", "far"],
    ]);
  });

  it("#20 a Kustomization whose source is another repository or an OCIRepository is not followed", () => {
    const other =
      "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: other\n  namespace: flux-system\nspec:\n  url: https://github.com/acme/other\n  ref:\n    branch: main\n";
    const files = [
      ...gotk("prod"),
      { path: "clusters/prod/other.yaml", content: other },
      {
        path: "clusters/prod/ks.yaml",
        content:
          ks("x", "./apps").replace("name: flux-system\n    namespace", "name: other\n    namespace") +
          "---\n" +
          ks("y", "./apps2").replace("kind: GitRepository", "kind: OCIRepository"),
      },
      { path: "apps/p.yaml", content: policy("web", "  namespace: a\n") },
      { path: "apps2/p.yaml", content: policy("web2", "  namespace: a\n") },
    ];
    const m = parseRepository(files, SELF);
    expect(m.policies).toEqual([]);
    expect(codes(m).filter((c) => c === "kustomization.not-followed")).toHaveLength(2);
  });

  it("#21 this repository's GitRepository on another branch is not this branch's root: fallback", () => {
    const m = parseRepository(gotk("prod", { branch: "release" }), SELF);
    expect(m.clusters?.map((c) => c.fallback)).toEqual([true]);
  });

  it("#22 no Flux Kustomization at all: one implicit cluster, said so", () => {
    const m = parseRepository([{ path: "p.yaml", content: policy("web") }], SELF);
    expect(m.clusters).toEqual([{ name: "", fallback: true, note: expect.stringContaining("not Flux behaviour") }]);
    expect(m.policies[0]).toMatchObject({ namespace: "flux-system", identitySource: ["default namespace flux-system (nothing sets one)"] });
    expect(codes(m)).toEqual([]);
  });

  it("compares URLs case-insensitively, ignoring user info, default ports and .git", () => {
    for (const url of ["ssh://git@github.com/Acme/Fleet", "https://user@GitHub.com:443/acme/fleet.git/", "ssh://git@github.com:22/acme/fleet.git"]) {
      expect(parseRepository(gotk("p", { url }), SELF).clusters?.[0].fallback).toBe(false);
    }
    expect(parseRepository(gotk("p", { url: "git@github.com:acme/fleet.git" }), SELF).clusters?.[0].fallback).toBe(true);
  });
});

describe("the apply graph and Flux's generator", () => {
  it("#6 a root with path ./ and no kustomization.yaml over several overlays fails the build: nothing applied", () => {
    const files = [
      ...gotk("p", { path: "./" }),
      { path: "a/p.yaml", content: policy("web", "  namespace: x\n") },
      { path: "b/p.yaml", content: policy("web", "  namespace: x\n") },
    ];
    const m = parseRepository(files, SELF);
    expect(m.policies).toEqual([]);
    const failed = m.problems.find((p) => p.code === "kustomization.duplicate-id");
    expect(failed?.message).toContain("may not add resource with an already registered id: ImagePolicy.v1.image.toolkit.fluxcd.io/web.x");
  });

  it("#7 a values.yaml in a generated directory fails the Kustomization", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("apps", "./apps") },
      { path: "apps/values.yaml", content: "replicaCount: 2\n" },
      { path: "apps/p.yaml", content: policy("web", "  namespace: x\n") },
    ];
    const m = parseRepository(files, SELF);
    expect(m.policies).toEqual([]);
    expect(m.problems.find((p) => p.code === "kustomization.not-kubernetes")?.message).toContain("apps/values.yaml");
  });

  it("#8 a file beside a kustomization.yaml that does not list it is not applied", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("apps", "./apps") },
      { path: "apps/kustomization.yaml", content: "resources:\n  - listed.yaml\n" },
      { path: "apps/listed.yaml", content: policy("a", "  namespace: x\n") },
      { path: "apps/unlisted.yaml", content: policy("b", "  namespace: x\n") },
    ];
    expect(ids(parseRepository(files, SELF).policies)).toEqual(["x/a"]);
  });

  it("#27 .github/ is left out of a generated path unless a .sourceignore exists", () => {
    const files = [
      ...gotk("p", { path: "./" }),
      { path: ".github/workflows/ci.yaml", content: "on: push\njobs: {}\n" },
      { path: "p.yaml", content: policy("web", "  namespace: x\n") },
    ];
    const m = parseRepository(
      files.filter((f) => !f.path.endsWith("kustomization.yaml")),
      SELF,
    );
    expect(ids(m.policies)).toEqual(["x/web"]);
    const withIgnore = parseRepository([...files.filter((f) => !f.path.endsWith("kustomization.yaml")), { path: ".sourceignore", content: "*.md\n" }], SELF);
    expect(withIgnore.policies).toEqual([]);
    expect(codes(withIgnore)).toContain("kustomization.not-kubernetes");
  });

  it("a missing spec.path fails the Kustomization", () => {
    const m = parseRepository([...gotk("p"), { path: "clusters/p/apps.yaml", content: ks("apps", "./nowhere") }], SELF);
    expect(m.problems.find((p) => p.code === "kustomization.failed")?.message).toContain("kustomization path not found: ./nowhere");
  });

  it("#18 reconcile: disabled is not applied; #19 a suspended Kustomization's objects stay live, with a warning", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("apps", "./apps", "  suspend: true\n") },
      { path: "apps/a.yaml", content: policy("a", "  namespace: x\n") },
      { path: "apps/b.yaml", content: policy("b", "  namespace: x\n  annotations:\n    kustomize.toolkit.fluxcd.io/reconcile: Disabled\n") },
    ];
    const m = parseRepository(files, SELF);
    expect(ids(m.policies)).toEqual(["x/a"]);
    expect(codes(m)).toContain("kustomization.suspended");
  });

  it("#10 a namespaced object without namespace after the build fails the Kustomization", () => {
    const m = parseRepository(
      [...gotk("p"), { path: "clusters/p/apps.yaml", content: ks("apps", "./apps") }, { path: "apps/p.yaml", content: policy("web") }],
      SELF,
    );
    expect(m.policies).toEqual([]);
    expect(m.problems.find((p) => p.code === "kustomization.failed")?.message).toContain("ImagePolicy/web namespace not specified");
  });

  it("#26 a Flux Kustomization inside one with targetNamespace moves there and looks up its source there", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("apps", "./tenants", "  targetNamespace: apps\n") },
      { path: "tenants/inner.yaml", content: ks("inner", "./apps").replace("    namespace: flux-system\n", "") },
      { path: "apps/p.yaml", content: policy("web", "  namespace: x\n") },
    ];
    const m = parseRepository(files, SELF);
    expect(m.policies).toEqual([]);
    expect(m.problems.find((p) => p.code === "kustomization.not-followed" || p.code === "automation.source-not-applied")?.message).toContain(
      "apps/flux-system",
    );
  });
});

describe("identity transforms", () => {
  it("#2 targetNamespace moves a policy: the marker with the built namespace updates, the raw one is ignored", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("apps", "./apps/base", "  targetNamespace: apps\n") },
      {
        path: "apps/base/p.yaml",
        content: [
          policy("web", "  namespace: flux-system\n"),
          repository("web", "  namespace: flux-system\n"),
          automation("auto", "flux-system", "./deploy"),
        ].join("---\n"),
      },
      {
        path: "deploy/d.yaml",
        content: 'a: ghcr.io/acme/web:0.1.0 # {"$imagepolicy": "apps:web"}\nb: ghcr.io/acme/web:0.1.0 # {"$imagepolicy": "flux-system:web"}\n',
      },
    ];
    const m = parseRepository(files, SELF);
    expect(ids(m.policies)).toEqual(["apps/web"]);
    expect(m.policies[0].namespaceSource).toBe("flux-kustomization");
    const { results } = evaluatePolicies(m, scans(["1.2.0"])(m));
    const plan = planAutomation(m, m.automations[0], results, files, { defaultBranch: "main" });
    expect(plan.changed[0].content).toBe(
      'a: ghcr.io/acme/web:1.2.0 # {"$imagepolicy": "apps:web"}\nb: ghcr.io/acme/web:0.1.0 # {"$imagepolicy": "flux-system:web"}\n',
    );
  });

  it("#3 namePrefix leaves imageRepositoryRef dangling: no latestRef, policy.repository-not-found", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("apps", "./apps", "  namePrefix: stg-\n  targetNamespace: apps\n") },
      { path: "apps/p.yaml", content: policy("web") + "---\n" + repository("web") },
    ];
    const m = parseRepository(files, SELF);
    expect(ids(m.policies)).toEqual(["apps/stg-web"]);
    const { results, problems } = evaluatePolicies(m, scans(["1.2.0"])(m));
    expect(results[0].latestRef).toBeUndefined();
    expect(problems.map((p) => p.code)).toEqual(["policy.repository-not-found"]);
  });

  it("#4 #24 #25 labels from an overlay, commonMetadata and owner labels decide policySelector", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("apps", "./apps", "  commonMetadata:\n    labels:\n      team: a\n") },
      { path: "apps/kustomization.yaml", content: "namespace: x\nresources:\n  - p.yaml\nlabels:\n  - pairs:\n      automation: enabled\n" },
      { path: "apps/p.yaml", content: policy("web", "  labels:\n    team: b\n") },
    ];
    const m = parseRepository(files, SELF);
    expect(m.policies[0].labels).toEqual({
      team: "a",
      automation: "enabled",
      "kustomize.toolkit.fluxcd.io/name": "apps",
      "kustomize.toolkit.fluxcd.io/namespace": "flux-system",
    });
  });

  it("#9 Flux's targetNamespace and namePrefix replace the file's; a base's own prefix stacks under them", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("apps", "./apps", "  targetNamespace: b\n  namePrefix: b-\n") },
      { path: "apps/kustomization.yaml", content: "namespace: a\nnamePrefix: a-\nresources:\n  - p.yaml\n  - base\n" },
      { path: "apps/p.yaml", content: policy("x") },
      { path: "apps/base/kustomization.yaml", content: "namePrefix: a-\nresources:\n  - p.yaml\n" },
      { path: "apps/base/p.yaml", content: policy("y") },
    ];
    expect(ids(parseRepository(files, SELF).policies)).toEqual(["b/b-a-y", "b/b-x"]);
  });

  it("kustomize's namespace: overrides an explicit metadata.namespace (the outermost wins)", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("apps", "./apps") },
      { path: "apps/kustomization.yaml", content: "namespace: outer\nresources:\n  - inner\n" },
      { path: "apps/inner/kustomization.yaml", content: "namespace: inner\nresources:\n  - p.yaml\n" },
      { path: "apps/inner/p.yaml", content: policy("web", "  namespace: explicit\n") },
    ];
    const m = parseRepository(files, SELF);
    expect(ids(m.policies)).toEqual(["outer/web"]);
    expect(m.policies[0].identitySource).toEqual([
      "metadata.namespace in apps/inner/p.yaml",
      "namespace in apps/inner/kustomization.yaml",
      "namespace in apps/kustomization.yaml",
    ]);
  });

  it("patches may rename; a target matches the original name after a prefix", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("apps", "./apps") },
      {
        path: "apps/kustomization.yaml",
        content:
          "namespace: x\nnamePrefix: b-\nresources:\n  - base\npatches:\n  - target:\n      kind: ImagePolicy\n      name: web\n    patch: |\n      - op: replace\n        path: /spec/policy/semver/range\n        value: '>=2.0.0'\n",
      },
      { path: "apps/base/kustomization.yaml", content: "namePrefix: a-\nresources:\n  - p.yaml\n" },
      { path: "apps/base/p.yaml", content: policy("web") },
    ];
    const m = parseRepository(files, SELF);
    expect(m.policies.map((p) => [p.name, p.spec.policy.semver?.range])).toEqual([["b-a-web", ">=2.0.0"]]);
  });
});

describe("postBuild substitution", () => {
  const sub = (extra: string, name = "${APP}-policy", meta = ""): ReturnType<typeof parseRepository> =>
    parseRepository(
      [
        ...gotk("p"),
        { path: "clusters/p/apps.yaml", content: ks("apps", "./apps", `  targetNamespace: x\n  namePrefix: pre-\n${extra}`) },
        { path: "apps/p.yaml", content: policy(name, meta) },
      ],
      SELF,
    );

  it("#14 substitutes after the prefix", () => {
    expect(ids(sub("  postBuild:\n    substitute:\n      APP: web\n").policies)).toEqual(["x/pre-web-policy"]);
  });

  it("#15 a variable only in a SOPS Secret is unresolved: the object is unusable", () => {
    const m = parseRepository(
      [
        ...gotk("p"),
        {
          path: "clusters/p/apps.yaml",
          content: ks("apps", "./apps", "  targetNamespace: x\n  postBuild:\n    substituteFrom:\n      - kind: Secret\n        name: vars\n"),
        },
        {
          path: "clusters/p/vars.yaml",
          content:
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: vars\n  namespace: flux-system\ndata:\n  APP: ENC[AES256_GCM,data:xx]\nsops:\n  version: 3.8.1\n",
        },
        { path: "apps/p.yaml", content: policy("${APP}") },
      ],
      SELF,
    );
    expect(m.policies).toEqual([]);
    expect(codes(m)).toContain("substitution.unresolved");
  });

  it("reads variables from a ConfigMap in the cluster, and a Secret's stringData", () => {
    const m = parseRepository(
      [
        ...gotk("p"),
        {
          path: "clusters/p/apps.yaml",
          content: ks(
            "apps",
            "./apps",
            "  targetNamespace: x\n  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: settings\n      - kind: Secret\n        name: more\n",
          ),
        },
        {
          path: "clusters/p/settings.yaml",
          content:
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: flux-system\ndata:\n  APP: web\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: more\n  namespace: flux-system\nstringData:\n  SUFFIX: prod\n",
        },
        { path: "apps/p.yaml", content: policy("${APP}-${SUFFIX}") },
      ],
      SELF,
    );
    expect(ids(m.policies)).toEqual(["x/web-prod"]);
  });

  it("#16 undefined without default fails the Kustomization; a default applies; with no variables at all the name stays and is reported", () => {
    const failed = sub("  postBuild:\n    substitute:\n      OTHER: x\n");
    expect(failed.policies).toEqual([]);
    expect(failed.problems.find((p) => p.code === "kustomization.failed")?.message).toContain('variable not set (strict mode): "APP"');
    expect(ids(sub("  postBuild:\n    substitute:\n      OTHER: x\n", "${APP:=web}").policies)).toEqual(["x/pre-web"]);
    const none = sub("  postBuild: {}\n", "${APP}");
    expect(none.policies).toEqual([]);
    expect(none.problems.find((p) => p.code === "substitution.unresolved")?.message).toContain("postBuild substitution not resolved");
  });

  it("#17 kustomize.toolkit.fluxcd.io/substitute: disabled is not substituted", () => {
    const m = sub(
      "  postBuild:\n    substitute:\n      APP: web\n",
      "web",
      "  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n  annotations:\n    note: ${APP}\n",
    );
    expect(m.policies[0].annotations.note).toBe("${APP}");
  });
});

describe("duplicates and markers", () => {
  it("#11 one ImagePolicy through two bases of one kustomization fails the build", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("apps", "./apps") },
      { path: "apps/kustomization.yaml", content: "resources:\n  - a\n  - b\n" },
      { path: "apps/a/kustomization.yaml", content: "resources:\n  - ../p.yaml\n" },
      { path: "apps/b/kustomization.yaml", content: "resources:\n  - ../p.yaml\n" },
      { path: "apps/p.yaml", content: policy("web", "  namespace: x\n") },
    ];
    const m = parseRepository(files, SELF);
    expect(m.policies).toEqual([]);
    expect(codes(m)).toContain("kustomization.duplicate-id");
  });

  it("#12 #13 one identity from two Kustomizations with different specs, or as v1 and v1beta2: manifest.duplicate, unusable", () => {
    const files = [
      ...gotk("p"),
      { path: "clusters/p/apps.yaml", content: ks("a", "./a") + "---\n" + ks("b", "./b") },
      { path: "a/p.yaml", content: policy("web", "  namespace: x\n") },
      { path: "b/p.yaml", content: policy("web", "  namespace: x\n", "web", ">=2.0.0") },
    ];
    const m = parseRepository(files, SELF);
    expect(m.policies).toEqual([]);
    expect(m.problems.filter((p) => p.code === "manifest.duplicate").map((p) => p.file)).toEqual(["a/p.yaml", "b/p.yaml"]);
    const versions = parseRepository(
      [
        ...gotk("p"),
        { path: "clusters/p/apps.yaml", content: ks("a", "./a") },
        { path: "a/p.yaml", content: policy("web", "  namespace: x\n") + "---\n" + policy("web", "  namespace: x\n").replace("/v1\n", "/v1beta2\n") },
      ],
      SELF,
    );
    expect(versions.policies).toEqual([]);
    expect(codes(versions)).toContain("manifest.duplicate");
  });

  it("#5 an _archive/ automation applied by nothing does not run; a live automation covering _archive/ rewrites its markers", () => {
    const files = [
      ...gotk("p"),
      {
        path: "clusters/p/auto.yaml",
        content: [automation("live", "x", "./"), policy("web", "  namespace: x\n"), repository("web", "  namespace: x\n")].join("---\n"),
      },
      { path: "_archive/auto.yaml", content: automation("old", "x", "./") },
      { path: "_archive/d.yaml", content: 'a: ghcr.io/acme/web:0.1.0 # {"$imagepolicy": "x:web"}\n' },
    ];
    const m = parseRepository(files, SELF);
    expect(ids(m.automations)).toEqual(["x/live"]);
    const { results } = evaluatePolicies(m, scans(["1.2.0"])(m));
    expect(planAutomation(m, m.automations[0], results, files, { defaultBranch: "main" }).changed.map((f) => f.path)).toEqual(["_archive/d.yaml"]);
  });

  it("#23 two clusters' automations set one marker to different values: marker.conflict, unchanged; equal values are one change", () => {
    const files = [
      ...gotk("production"),
      ...gotk("staging"),
      {
        path: "clusters/production/auto.yaml",
        content: [automation("auto", "x", "./shared"), policy("web", "  namespace: x\n", "web", "<2.0.0"), repository("web", "  namespace: x\n")].join("---\n"),
      },
      {
        path: "clusters/staging/auto.yaml",
        content: [automation("auto", "x", "./shared"), policy("web", "  namespace: x\n"), repository("web", "  namespace: x\n")].join("---\n"),
      },
      { path: "shared/d.yaml", content: 'a: ghcr.io/acme/web:0.1.0 # {"$imagepolicy": "x:web"}\n' },
    ];
    const m = parseRepository(files, SELF);
    expect(m.automations.map((a) => a.scope)).toEqual(["clusters/production/flux-system/gotk-sync.yaml", "clusters/staging/flux-system/gotk-sync.yaml"]);
    const { results } = evaluatePolicies(m, scans(["1.2.0", "2.1.0"])(m));
    const plans = m.automations.map((a) => planAutomation(m, a, results, files, { defaultBranch: "main" }));
    expect(plans.map((p) => p.changed.length)).toEqual([0, 0]);
    expect(plans.map((p) => p.problems.map((x) => x.code))).toEqual([["marker.conflict"], ["marker.conflict"]]);
    const agree = evaluatePolicies(m, scans(["1.2.0"])(m)).results;
    expect(m.automations.map((a) => planAutomation(m, a, agree, files, { defaultBranch: "main" }).changed.length)).toEqual([1, 1]);
  });

  it("warns when an update would switch a marker to another image repository (beyond Flux)", () => {
    const files = [
      ...gotk("p"),
      {
        path: "clusters/p/auto.yaml",
        content: [automation("auto", "x", "./deploy"), policy("web", "  namespace: x\n"), repository("web", "  namespace: x\n")].join("---\n"),
      },
      { path: "deploy/d.yaml", content: 'image: other.azurecr.io/web:0.1.0 # {"$imagepolicy": "x:web"}\n' },
    ];
    const m = parseRepository(files, SELF);
    const { results } = evaluatePolicies(m, scans(["1.2.0"])(m));
    const plan = planAutomation(m, m.automations[0], results, files, { defaultBranch: "main" });
    expect(plan.problems.map((p) => [p.code, p.severity])).toEqual([["marker.image-mismatch", "warning"]]);
  });

  it("an automation whose sourceRef is another repository's GitRepository does not run", () => {
    const other =
      "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: other\n  namespace: x\nspec:\n  url: https://github.com/acme/other\n";
    const m = parseRepository(
      [
        ...gotk("p"),
        {
          path: "clusters/p/auto.yaml",
          content: [other, automation("auto", "x", "./").replace("name: flux-system\n    namespace: flux-system", "name: other")].join("---\n"),
        },
      ],
      SELF,
    );
    expect(m.automations).toEqual([]);
    expect(codes(m)).toContain("automation.other-repository");
  });
});

describe("bounds", () => {
  it("a runaway layout stops at the build budget with a Problem, and what was not built is not used", async () => {
    const { computeClusters, BuildBudget } = await import("../../../src/core/cluster/clusters.js");
    const { RepoTree } = await import("../../../src/core/cluster/tree.js");
    // a chain of 30 Kustomizations, each applying the next
    const chain = Array.from({ length: 30 }, (_, i) => ({
      path: `k/${i}/ks.yaml`,
      content: ks(`k${i}`, `./k/${i + 1}`) + `---\n${policy(`p${i}`, "  namespace: x\n")}`,
    }));
    const files = [...gotk("p", { path: "./k/0" }), ...chain];
    const c = computeClusters(new RepoTree(files), SELF, new BuildBudget(10, 1_000));
    expect(c.problems.map((p) => p.code)).toContain("cluster.too-large");
    const full = parseRepository(files, SELF);
    expect(full.policies).toHaveLength(30);
  });
});

describe("kustomization files the bot cannot read", () => {
  it("a multi-document or broken kustomization.yaml fails its own build only; other objects stay", () => {
    const files = [
      { path: "kustomization.yaml", content: "resources: [a.yaml]\n---\nresources: [b.yaml]\n" },
      { path: "x/kustomization.yaml", content: "resources: [\n" },
      { path: "other/p.yaml", content: policy("web", "  namespace: x\n") },
    ];
    const m = parseRepository(files, SELF);
    expect(ids(m.policies)).toEqual(["x/web"]);
    expect(codes(m)).not.toContain("cluster.failed");
  });
});
