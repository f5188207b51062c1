/**
 * Hand-written kustomize behaviours the bot depends on, each with the
 * identities kustomize v5.5 builds (checked against `kubectl kustomize` on
 * every run, then against the Builder). Identities are written as
 * oracle.ts `identity` prints them: `apiVersion Kind namespace/name [labels] refs`.
 */
export interface EdgeCase {
  name: string;
  /** the directory to build */
  dir: string;
  files: Record<string, string>;
  /** the identities kustomize builds, or "error" when it refuses the build */
  expect: string[] | "error";
  /** a KNOWN_DISAGREEMENTS key: checked against kubectl only, until the Builder handles it */
  known?: string;
}

const cm = (name: string, extra = ""): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data: {k: v}\n`;
const repo = (name: string, ns = ""): string =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ""}spec: {image: ghcr.io/org/${name}, interval: 5m}\n`;
const policy = (name: string, ref: string): string =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: ${name}\nspec:\n  imageRepositoryRef: {name: ${ref}}\n  policy: {semver: {range: ">=1.0.0"}}\n`;
const ns = (name: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const doc = (...docs: string[]): string => docs.join("---\n");

export const EDGE_CASES: EdgeCase[] = [
  {
    name: "a Namespace object is renamed by `namespace:` and takes no prefix",
    dir: "app",
    files: { "app/kustomization.yaml": "namespace: prod\nnamePrefix: p-\nresources: [ns.yaml, cm.yaml]\n", "app/ns.yaml": ns("old"), "app/cm.yaml": cm("app") },
    expect: ["v1 ConfigMap prod/p-app", "v1 Namespace -/prod"],
  },
  {
    name: "two Namespace objects under one `namespace:` collide",
    dir: "app",
    files: { "app/kustomization.yaml": "namespace: prod\nresources: [ns.yaml]\n", "app/ns.yaml": doc(ns("a"), ns("b")) },
    expect: "error",
  },
  {
    name: "a custom resource gets the namespace even when its CRD says Cluster; the CRD takes neither namespace nor prefix",
    dir: "app",
    files: {
      "app/kustomization.yaml": "namespace: apps\nnamePrefix: p-\nresources: [crd.yaml, widget.yaml]\n",
      "app/crd.yaml":
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Cluster\n  names: {kind: Widget, plural: widgets}\n  versions: [{name: v1, served: true, storage: true}]\n",
      "app/widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
    },
    expect: ["apiextensions.k8s.io/v1 CustomResourceDefinition -/widgets.example.com", "example.com/v1 Widget apps/p-w"],
  },
  {
    name: "a ClusterRole takes the prefix but not the namespace",
    dir: "app",
    files: {
      "app/kustomization.yaml": "namespace: apps\nnamePrefix: p-\nresources: [cr.yaml]\n",
      "app/cr.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules: []\n",
    },
    expect: ["rbac.authorization.k8s.io/v1 ClusterRole -/p-reader"],
  },
  {
    name: "namePrefix does not rewrite imageRepositoryRef.name nor sourceRef.name",
    dir: "stg",
    files: {
      "stg/kustomization.yaml": "namePrefix: stg-\nresources: [image.yaml]\n",
      "stg/image.yaml": doc(
        repo("app"),
        policy("app", "app"),
        "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata:\n  name: auto\nspec:\n  interval: 1m\n  sourceRef: {kind: GitRepository, name: flux-system}\n",
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\nspec: {interval: 1m, url: https://github.com/org/repo}\n",
      ),
    },
    expect: [
      "image.toolkit.fluxcd.io/v1 ImagePolicy -/stg-app imageRepositoryRef=name=app",
      "image.toolkit.fluxcd.io/v1 ImageRepository -/stg-app",
      "image.toolkit.fluxcd.io/v1 ImageUpdateAutomation -/stg-auto sourceRef=kind=GitRepository,name=flux-system",
      "source.toolkit.fluxcd.io/v1 GitRepository -/stg-flux-system",
    ],
  },
  {
    name: "the outer namespace and label values win over inner ones and explicit metadata.namespace",
    dir: "overlay",
    files: {
      "base/kustomization.yaml": "namespace: inner\nlabels: [{pairs: {env: base, team: a}}]\nresources: [repo.yaml]\n",
      "base/repo.yaml": repo("app", "explicit"),
      "overlay/kustomization.yaml": "namespace: outer\nlabels: [{pairs: {env: prod}}]\nresources: [../base]\n",
    },
    expect: ["image.toolkit.fluxcd.io/v1 ImageRepository outer/app [env=prod,team=a]"],
  },
  {
    name: "an explicit namespace stays and a missing one stays missing without `namespace:`",
    dir: "app",
    files: { "app/kustomization.yaml": "resources: [repos.yaml]\n", "app/repos.yaml": doc(repo("a", "flux-system"), repo("b")) },
    expect: ["image.toolkit.fluxcd.io/v1 ImageRepository -/b", "image.toolkit.fluxcd.io/v1 ImageRepository flux-system/a"],
  },
  {
    name: "affixes stack: inner prefix and suffix inside the outer prefix",
    dir: "overlay",
    files: {
      "base/kustomization.yaml": "namePrefix: a-\nnameSuffix: -m\nresources: [cm.yaml]\n",
      "base/cm.yaml": cm("app"),
      "overlay/kustomization.yaml": "namePrefix: b-\nresources: [../base]\n",
    },
    expect: ["v1 ConfigMap -/b-a-app-m"],
  },
  {
    name: "a patch target matches the original name after a prefix",
    dir: "overlay",
    files: {
      "base/kustomization.yaml": "namePrefix: a-\nresources: [repo.yaml]\n",
      "base/repo.yaml": repo("app"),
      "overlay/kustomization.yaml":
        "resources: [../base]\npatches:\n- target: {kind: ImageRepository, name: app}\n  patch: |\n    - {op: add, path: /metadata/labels, value: {patched: original}}\n- target: {kind: ImageRepository, name: a-app}\n  patch: |\n    - {op: add, path: /metadata/labels/current, value: 'yes'}\n",
    },
    expect: ["image.toolkit.fluxcd.io/v1 ImageRepository -/a-app [current=yes,patched=original]"],
  },
  {
    name: "a strategic merge patch without target finds an object by its earlier name",
    dir: "overlay",
    files: {
      "base/kustomization.yaml": "namePrefix: a-\nresources: [repo.yaml]\n",
      "base/repo.yaml": repo("app"),
      "overlay/kustomization.yaml":
        "resources: [../base]\npatches:\n- patch: |\n    apiVersion: image.toolkit.fluxcd.io/v1\n    kind: ImageRepository\n    metadata: {name: app, labels: {by: old-name}}\n",
    },
    expect: ["image.toolkit.fluxcd.io/v1 ImageRepository -/a-app [by=old-name]"],
  },
  {
    name: "a JSON patch moves an object to another namespace, then `namespace:` overrides it",
    dir: "app",
    files: {
      "app/kustomization.yaml":
        'namespace: final\nresources: [repo.yaml]\npatches:\n- target: {kind: ImageRepository}\n  patch: \'[{"op": "add", "path": "/metadata/namespace", "value": "patched"}]\'\n',
      "app/repo.yaml": repo("app"),
    },
    expect: ["image.toolkit.fluxcd.io/v1 ImageRepository final/app"],
  },
  {
    name: "a component's transforms apply to what its parent listed before the parent's own",
    dir: "overlay",
    files: {
      "comp/kustomization.yaml":
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: c-\nlabels: [{pairs: {from: component}}]\nresources: [extra.yaml]\n",
      "comp/extra.yaml": repo("extra"),
      "overlay/kustomization.yaml": "namePrefix: o-\nresources: [repo.yaml]\ncomponents: [../comp]\n",
      "overlay/repo.yaml": repo("app"),
    },
    expect: [
      "image.toolkit.fluxcd.io/v1 ImageRepository -/o-c-app [from=component]",
      "image.toolkit.fluxcd.io/v1 ImageRepository -/o-c-extra [from=component]",
    ],
  },
  {
    name: "commonLabels is applied after labels at one level",
    dir: "app",
    files: {
      "app/kustomization.yaml": "resources: [repo.yaml]\nlabels: [{pairs: {env: labels}}]\ncommonLabels: {env: common}\n",
      "app/repo.yaml": repo("app"),
    },
    expect: ["image.toolkit.fluxcd.io/v1 ImageRepository -/app [env=common]"],
  },
  {
    name: "local-config objects are not in kubectl's output",
    dir: "app",
    files: {
      "app/kustomization.yaml": "resources: [cm.yaml]\n",
      "app/cm.yaml": doc(cm("local", "  annotations: {config.kubernetes.io/local-config: 'true'}\n"), cm("kept")),
    },
    expect: ["v1 ConfigMap -/kept"],
  },
  {
    name: "one object reached through two bases is a duplicate id",
    dir: "overlay",
    files: {
      "a/kustomization.yaml": "resources: [../shared/repo.yaml]\n",
      "b/kustomization.yaml": "resources: [../shared/repo.yaml]\n",
      "shared/repo.yaml": repo("app", "flux-system"),
      "overlay/kustomization.yaml": "resources: [../a, ../b]\n",
    },
    expect: "error",
  },
  {
    name: "no namespace and `default` are one namespace for ids",
    dir: "app",
    files: { "app/kustomization.yaml": "resources: [repos.yaml]\n", "app/repos.yaml": doc(repo("app"), repo("app", "default")) },
    expect: "error",
  },
  {
    name: "`namespace:` over two namespaces of one name is a conflict",
    dir: "overlay",
    files: {
      "base/kustomization.yaml": "resources: [repos.yaml]\n",
      "base/repos.yaml": doc(repo("app", "a"), repo("app", "b")),
      "overlay/kustomization.yaml": "namespace: flux-system\nresources: [../base]\n",
    },
    expect: "error",
  },
  {
    name: "a missing resource file fails the build",
    dir: "app",
    files: { "app/kustomization.yaml": "resources: [repo.yaml, missing.yaml]\n", "app/repo.yaml": repo("app") },
    expect: "error",
  },
  {
    name: "a targeted strategic merge patch keeps the target's apiVersion and kind",
    dir: "app",
    files: {
      "app/kustomization.yaml":
        "resources: [policy.yaml]\npatches:\n- target: {name: app}\n  patch: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: app, labels: {team: a}}\n",
      "app/policy.yaml": policy("app", "app"),
    },
    expect: ["image.toolkit.fluxcd.io/v1 ImagePolicy -/app [team=a] imageRepositoryRef=name=app"],
  },
  {
    name: "a strategic merge patch without metadata.name is refused, even with a target",
    dir: "app",
    files: {
      "app/kustomization.yaml":
        "resources: [policy.yaml]\npatches:\n- target: {kind: ImagePolicy}\n  patch: |\n    apiVersion: image.toolkit.fluxcd.io/v1\n    kind: ImagePolicy\n    metadata: {labels: {team: a}}\n",
      "app/policy.yaml": policy("app", "app"),
    },
    expect: "error",
  },
  {
    name: "a strategic merge patch without metadata.name is refused even when its target selects nothing",
    dir: "app",
    files: {
      "app/kustomization.yaml":
        "resources: [repo.yaml]\npatches:\n- target: {kind: ConfigMap}\n  patch: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {labels: {team: a}}\n",
      "app/repo.yaml": repo("app"),
    },
    expect: "error",
  },
  {
    name: "a JSON 6902 replace of an absent metadata.namespace adds it",
    dir: "app",
    files: {
      "app/kustomization.yaml":
        'resources: [repo.yaml]\npatches:\n- target: {kind: ImageRepository}\n  patch: \'[{"op": "replace", "path": "/metadata/namespace", "value": "apps"}]\'\n',
      "app/repo.yaml": repo("app"),
    },
    expect: ["image.toolkit.fluxcd.io/v1 ImageRepository apps/app"],
  },
  {
    name: "patchesJson6902 changing a namespace records no previous id: a later patch by the old id finds nothing",
    dir: "c",
    files: {
      "a/kustomization.yaml": "resources: [repo.yaml]\n",
      "a/repo.yaml": repo("app", "flux-system"),
      "b/kustomization.yaml":
        'resources: [../a]\npatchesJson6902:\n- target: {group: image.toolkit.fluxcd.io, version: v1, kind: ImageRepository, name: app}\n  patch: \'[{"op": "add", "path": "/metadata/namespace", "value": "apps"}]\'\n',
      "c/kustomization.yaml":
        "resources: [../b]\npatches:\n- patch: |\n    apiVersion: image.toolkit.fluxcd.io/v1\n    kind: ImageRepository\n    metadata: {name: app, namespace: flux-system, labels: {by: old-id}}\n",
    },
    expect: "error",
  },
  {
    name: "a cluster-scoped object's metadata.namespace is not part of its id",
    dir: "app",
    files: {
      "app/kustomization.yaml": "resources: [ns.yaml]\n",
      "app/ns.yaml": doc(ns("apps"), `${ns("apps")}  namespace: other\n`),
    },
    expect: "error",
  },
  {
    name: "a patch that renames two objects to one name makes a duplicate id",
    dir: "app",
    files: {
      "app/kustomization.yaml":
        'resources: [repos.yaml]\npatches:\n- target: {kind: ImageRepository}\n  patch: \'[{"op": "replace", "path": "/metadata/name", "value": "same"}]\'\n',
      "app/repos.yaml": doc(repo("a"), repo("b")),
    },
    expect: "error",
  },
  {
    name: "a target's name and namespace each match the original or the current id, not necessarily the same one",
    dir: "app",
    files: {
      "app/kustomization.yaml":
        'resources: [repo.yaml]\npatches:\n- target: {kind: ImageRepository}\n  patch: \'[{"op": "replace", "path": "/metadata/name", "value": "app2"}, {"op": "replace", "path": "/metadata/namespace", "value": "b"}]\'\n- target: {name: app2, namespace: a}\n  patch: \'[{"op": "add", "path": "/metadata/labels", "value": {"selected": "yes"}}]\'\n',
      "app/repo.yaml": repo("app", "a"),
    },
    expect: ["image.toolkit.fluxcd.io/v1 ImageRepository b/app2 [selected=yes]"],
  },
  {
    name: "a strategic merge patch without target that matches two objects (one by an earlier name) is refused",
    dir: "overlay",
    files: {
      "shared/repo.yaml": repo("app"),
      "a/kustomization.yaml": "namePrefix: a-\nresources: [../shared/repo.yaml]\n",
      "overlay/kustomization.yaml":
        "resources: [../a, ../shared/repo.yaml]\npatches:\n- patch: |\n    apiVersion: image.toolkit.fluxcd.io/v1\n    kind: ImageRepository\n    metadata: {name: app, labels: {p: '1'}}\n",
    },
    expect: "error",
  },
  {
    name: "a kustomization or Component holding nothing but apiVersion and kind is refused as empty",
    dir: "app",
    files: {
      "app/kustomization.yaml": "resources: [repo.yaml]\ncomponents: [../comp]\n",
      "app/repo.yaml": repo("app"),
      "comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
    },
    expect: "error",
  },
  {
    name: "a label value in a kustomization must be a string: `true` is refused",
    dir: "app",
    files: { "app/kustomization.yaml": "resources: [repo.yaml]\ncommonLabels: {enabled: true}\n", "app/repo.yaml": repo("app") },
    expect: "error",
  },
  {
    name: "kustomize reads a kustomization as YAML 1.1: an unquoted `y` is a boolean, refused as a label value",
    dir: "app",
    files: { "app/kustomization.yaml": "resources: [repo.yaml]\nlabels: [{pairs: {enabled: y}}]\n", "app/repo.yaml": repo("app") },
    expect: "error",
  },
];
