/**
 * The Kubernetes objects the kustomize differential draws from: built-in
 * namespaced and cluster-scoped kinds, a CRD with its custom resource, and
 * the Flux custom resources the bot reads.
 */
import type { Rng } from "../../helpers/gen-prng.js";

export type Obj = Record<string, unknown>;

export const NAMES = ["app", "web", "podinfo", "flux-system", "api"];
export const NAMESPACES = ["apps", "flux-system", "default", "team-a"];
export const LABEL_KEYS = ["app", "tier", "env", "team", "app.kubernetes.io/name"];
export const LABEL_VALUES = ["web", "prod", "staging", "a", "b"];

/** Weighted: the Flux kinds and ConfigMaps come up most. */
const KINDS = [
  "ConfigMap",
  "ConfigMap",
  "Deployment",
  "Namespace",
  "ClusterRole",
  "CustomResourceDefinition",
  "Widget",
  "ImageRepository",
  "ImageRepository",
  "ImagePolicy",
  "ImagePolicy",
  "ImageUpdateAutomation",
  "Kustomization",
  "GitRepository",
] as const;
export type Kind = (typeof KINDS)[number];

const API: Record<Kind, string> = {
  ConfigMap: "v1",
  Deployment: "apps/v1",
  Namespace: "v1",
  ClusterRole: "rbac.authorization.k8s.io/v1",
  CustomResourceDefinition: "apiextensions.k8s.io/v1",
  Widget: "example.com/v1",
  ImageRepository: "image.toolkit.fluxcd.io/v1",
  ImagePolicy: "image.toolkit.fluxcd.io/v1",
  ImageUpdateAutomation: "image.toolkit.fluxcd.io/v1",
  Kustomization: "kustomize.toolkit.fluxcd.io/v1",
  GitRepository: "source.toolkit.fluxcd.io/v1",
};

export const CLUSTER_KINDS = new Set(["Namespace", "ClusterRole", "CustomResourceDefinition"]);

export function labels(rng: Rng, n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) out[rng.pick(LABEL_KEYS)] = rng.pick(LABEL_VALUES);
  return out;
}

/** A CRD named as Kubernetes requires (`<plural>.<group>`), cluster- or namespace-scoped. */
function crd(rng: Rng, unique: string): { name: string; spec: Obj } {
  const [plural, group, kind] = rng.pick([
    ["widgets", "example.com", "Widget"],
    ["imagepolicies", "image.toolkit.fluxcd.io", "ImagePolicy"],
  ] as const);
  const spec = {
    group,
    names: { kind, plural, singular: kind.toLowerCase() },
    scope: rng.bool(0.6) ? "Cluster" : "Namespaced",
    versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }],
  };
  return { name: `${plural}${unique.replace("-", "")}.${group}`, spec };
}

function specOf(rng: Rng, kind: Kind, name: string): Obj | undefined {
  const sourceRef = { kind: "GitRepository", name: rng.pick(["flux-system", name]) };
  switch (kind) {
    case "Deployment":
      return {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: `ghcr.io/org/${name}:1.0.0` }] } },
      };
    case "ImageRepository":
      return { image: `ghcr.io/org/${name}`, interval: "5m" };
    case "ImagePolicy": {
      const ref: Obj = { name: rng.pick(NAMES) };
      if (rng.bool(0.2)) ref.namespace = rng.pick(NAMESPACES);
      return { imageRepositoryRef: ref, policy: { semver: { range: ">=1.0.0" } } };
    }
    case "ImageUpdateAutomation":
      return {
        interval: "30m",
        sourceRef,
        git: { checkout: { ref: { branch: "main" } }, commit: { author: { name: "bot", email: "bot@example.com" } } },
        update: { path: "./", strategy: "Setters" },
      };
    case "Kustomization": {
      const spec: Obj = { interval: "10m", path: "./apps", prune: true, sourceRef };
      if (rng.bool(0.3)) spec.targetNamespace = rng.pick(NAMESPACES);
      return spec;
    }
    case "GitRepository":
      return { interval: "1m", url: "https://github.com/org/repo", ref: { branch: "main" } };
    case "Widget":
      return { size: 3 };
    default:
      return undefined;
  }
}

export interface Drawn {
  doc: Obj;
  kind: Kind;
  apiVersion: string;
  name: string;
}

/**
 * One object of a random kind; `unique` is appended to its name (empty to
 * share names with others); `clusterNs` lets a cluster-scoped one keep a namespace.
 */
export function drawObject(rng: Rng, clusterNs = false, unique = ""): Drawn {
  const kind = rng.pick(KINDS);
  const apiVersion = API[kind];
  const c = kind === "CustomResourceDefinition" ? crd(rng, unique) : undefined;
  const name = c?.name ?? `${rng.pick(NAMES)}${unique}`;
  const metadata: Obj = { name };
  const namespace = rng.bool(0.55) ? rng.pick(NAMESPACES) : undefined;
  // cluster-scoped objects get a namespace only when asked (kustomize leaves it, the API server ignores it)
  if (namespace && (!CLUSTER_KINDS.has(kind) || clusterNs)) metadata.namespace = namespace;
  if (rng.bool(0.5)) metadata.labels = labels(rng, rng.range(1, 2));
  const doc: Obj = { apiVersion, kind, metadata };
  if (kind === "ConfigMap") doc.data = { key: "value" };
  if (kind === "ClusterRole") doc.rules = [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }];
  const spec = c?.spec ?? specOf(rng, kind, name);
  if (spec) doc.spec = spec;
  return { doc, kind, apiVersion, name };
}
