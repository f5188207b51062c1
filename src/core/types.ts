/**
 * The data model of Flux's image automation objects, as the core uses it.
 * Field names follow the Flux API (image.toolkit.fluxcd.io v1beta1/v1beta2/v1).
 */

export type Order = "asc" | "desc";

export interface PolicyChoice {
  semver?: { range: string };
  numerical?: { order?: Order };
  alphabetical?: { order?: Order };
}

export interface FilterTags {
  pattern?: string;
  extract?: string;
}

/** The `status.latestRef` of an ImagePolicy: raw `spec.image`, tag, optional digest. */
export interface LatestRef {
  name: string;
  tag: string;
  digest?: string;
}

/** How an object's namespace was decided, when metadata.namespace is absent. */
export type NamespaceSource = "metadata" | "kustomization" | "flux-kustomization" | "default";

export interface ObjectMeta {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  namespaceSource: NamespaceSource;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Repository-relative path of the file that holds it. */
  file: string;
  /** 1-based line where the document starts. */
  line: number;
  /** The cluster that applies it: the path of its root Kustomization's file; "" for the implicit cluster. */
  cluster?: string;
  /** Key qualifier: the cluster's name when the repository holds several clusters, else absent. */
  scope?: string;
  /** The rules that decided its namespace and name, in order (kustomize and Flux transforms). */
  identitySource?: string[];
  /** The Flux Kustomization that applies it (`Kustomization ns/name`), or how it came to be. */
  appliedBy?: string;
}

export interface ImageRepositorySpec {
  image: string;
  interval: string;
  timeout?: string;
  secretRef?: { name: string };
  provider?: string;
  certSecretRef?: { name: string };
  proxySecretRef?: { name: string };
  insecure?: boolean;
  suspend?: boolean;
  exclusionList?: string[];
  accessFrom?: { namespaceSelectors: Array<{ matchLabels?: Record<string, string> }> };
}

export interface ImagePolicySpec {
  imageRepositoryRef: { name: string; namespace?: string };
  policy: PolicyChoice;
  filterTags?: FilterTags;
  digestReflectionPolicy?: "Always" | "IfNotPresent" | "Never";
  interval?: string;
  suspend?: boolean;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }>;
}

export interface GitCheckoutRef {
  branch?: string;
  tag?: string;
  semver?: string;
  name?: string;
  commit?: string;
}

export interface ImageUpdateAutomationSpec {
  interval: string;
  sourceRef: { kind: string; name: string; namespace?: string; apiVersion?: string };
  git?: {
    checkout?: { ref: GitCheckoutRef };
    commit: {
      author: { name?: string; email: string };
      messageTemplate?: string;
      messageTemplateValues?: Record<string, string>;
      signingKey?: unknown;
    };
    push?: { branch?: string; refspec?: string; options?: Record<string, string> };
  };
  update?: { strategy?: string; path?: string };
  policySelector?: LabelSelector;
  suspend?: boolean;
}

export interface ImageRepository extends ObjectMeta {
  kind: "ImageRepository";
  spec: ImageRepositorySpec;
}
export interface ImagePolicy extends ObjectMeta {
  kind: "ImagePolicy";
  spec: ImagePolicySpec;
}
export interface ImageUpdateAutomation extends ObjectMeta {
  kind: "ImageUpdateAutomation";
  spec: ImageUpdateAutomationSpec;
}
export type FluxObject = ImageRepository | ImagePolicy | ImageUpdateAutomation;

/** `Kind/namespace/name`, used in Problems and keys; qualified by the cluster when the repository holds several. */
export function objectKey(o: { kind: string; namespace: string; name: string; scope?: string }): string {
  return `${o.scope ? `${o.scope}:` : ""}${o.kind}/${o.namespace}/${o.name}`;
}

/** `namespace/name`, qualified by the cluster when the repository holds several (`<cluster>:namespace/name`). */
export function scopedName(o: { namespace: string; name: string; scope?: string }): string {
  return `${o.scope ? `${o.scope}:` : ""}${o.namespace}/${o.name}`;
}

/** Flux's ObjectIdentifier of a YAML document (empty strings when absent). */
export interface ObjectIdentifier {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

/** One value a setter changed. `setter` is the marker name, e.g. `ns:pol:tag`. */
export interface Change {
  oldValue: string;
  newValue: string;
  setter: string;
}

/** Flux's update.Result: file (relative to spec.update.path) → object → changes, in file order. */
export interface UpdateResult {
  fileChanges: Record<string, Array<{ object: ObjectIdentifier; changes: Change[] }>>;
}

/** A file of a repository tree, as the pure core sees it. */
export interface RepoFile {
  /** '/'-separated, relative to the repository root. */
  path: string;
  content: string;
}

/** The result of scanning one ImageRepository (tags already excluded and sorted by the core). */
export interface ScanResult {
  tags: string[];
  /** ISO timestamp of the scan. */
  scannedAt?: string;
}
