/** One Kubernetes object inside a build, with where it came from. */
import type { YamlDoc } from "../manifests/documents.js";
import { isObj, type Obj } from "../manifests/fields.js";

export interface Origin {
  file: string;
  /** 1-based line where the document starts */
  line: number;
  doc: YamlDoc;
}

export interface NameNs {
  name: string;
  namespace: string;
}

export interface Resource {
  /** the object as built so far (owned by the build: transforms mutate it) */
  data: Obj;
  origin: Origin;
  /** name and namespace as read from the file (kustomize's OrgId) */
  orig: NameNs;
  /** every earlier name and namespace (kustomize's previous ids) */
  previous: NameNs[];
  /** the rules that decided its identity, in order (shown as identitySource) */
  rules: string[];
  /** postBuild variables whose value the bot cannot know; the object is then unusable */
  unresolved?: string[];
}

export function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

export function metaOf(data: Obj): Obj {
  if (!isObj(data.metadata)) data.metadata = {};
  return data.metadata as Obj;
}

export function apiVersionOf(data: Obj): string {
  return str(data.apiVersion);
}

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf("/");
  return i < 0 ? "" : apiVersion.slice(0, i);
}

export function versionOf(apiVersion: string): string {
  const i = apiVersion.indexOf("/");
  return i < 0 ? apiVersion : apiVersion.slice(i + 1);
}

export const kindOf = (data: Obj): string => str(data.kind);
export const nameOf = (data: Obj): string => (isObj(data.metadata) ? str(data.metadata.name) : "");
export const namespaceOf = (data: Obj): string => (isObj(data.metadata) ? str(data.metadata.namespace) : "");

export function labelsOf(data: Obj): Record<string, string> {
  const m = isObj(data.metadata) ? data.metadata : {};
  return isObj(m.labels) ? Object.fromEntries(Object.entries(m.labels).map(([k, v]) => [k, typeof v === "string" ? v : String(v)])) : {};
}

export function annotationsOf(data: Obj): Record<string, string> {
  const m = isObj(data.metadata) ? data.metadata : {};
  return isObj(m.annotations) ? Object.fromEntries(Object.entries(m.annotations).map(([k, v]) => [k, typeof v === "string" ? v : String(v)])) : {};
}

export function setName(r: Resource, name: string, rule?: string): void {
  const meta = metaOf(r.data);
  if (rule) r.rules.push(rule);
  r.previous.push({ name: str(meta.name), namespace: str(meta.namespace) });
  meta.name = name;
}

export function setNamespace(r: Resource, namespace: string, rule?: string): void {
  const meta = metaOf(r.data);
  if (rule) r.rules.push(rule);
  r.previous.push({ name: str(meta.name), namespace: str(meta.namespace) });
  meta.namespace = namespace;
}

/** kustomize treats "" and "default" as one namespace when comparing ids (api/resid/resid.go). */
export const sameNamespace = (a: string, b: string): boolean => (a || "default") === (b || "default");

/** kustomize's ResId key, version included (api/resid/resid.go): what a build may hold once. */
export function buildIdKey(data: Obj): string {
  const av = apiVersionOf(data);
  // a cluster-scoped object's namespace is no part of its id
  const ns = isClusterScoped(data) ? "" : namespaceOf(data) || "default";
  return [groupOf(av), versionOf(av), kindOf(data), ns, nameOf(data)].join("\u0000");
}

/** kustomize's ResId String(), as its errors print it: `Kind.version.group/name.namespace`. */
export function buildIdString(data: Obj): string {
  const av = apiVersionOf(data);
  const group = groupOf(av) || "[noGrp]";
  const ns = namespaceOf(data) || "[noNs]";
  return `${kindOf(data)}.${versionOf(av)}.${group}/${nameOf(data)}.${ns}`;
}

/**
 * Kinds kustomize knows to be cluster-scoped: the built-in list of
 * sigs.k8s.io/kustomize/kyaml openapi `precomputedIsNamespaceScoped`.
 * Every other kind, custom resources included, is namespaced to kustomize.
 */
const CLUSTER_SCOPED = new Set([
  "/Namespace",
  "/Node",
  "/PersistentVolume",
  "/ComponentStatus",
  "storage.k8s.io/StorageClass",
  "storage.k8s.io/CSIDriver",
  "storage.k8s.io/CSINode",
  "storage.k8s.io/VolumeAttachment",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "apiextensions.k8s.io/CustomResourceDefinition",
  "apiregistration.k8s.io/APIService",
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "scheduling.k8s.io/PriorityClass",
  "networking.k8s.io/IngressClass",
  "node.k8s.io/RuntimeClass",
  "certificates.k8s.io/CertificateSigningRequest",
  "flowcontrol.apiserver.k8s.io/FlowSchema",
  "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
  "policy/PodSecurityPolicy",
]);

export function isClusterScoped(data: Obj): boolean {
  return CLUSTER_SCOPED.has(`${groupOf(apiVersionOf(data))}/${kindOf(data)}`);
}

/** A Resource for an object as written in a file: its own copy of the data, its id in the file, the explicit namespace as its first rule. */
export function resourceFromDoc(item: Obj, doc: YamlDoc): Resource {
  const data = structuredClone(item);
  if (!isObj(data.metadata)) data.metadata = {};
  const rules = namespaceOf(data) ? [`metadata.namespace in ${doc.file}`] : [];
  return { data, origin: { file: doc.file, line: doc.line, doc }, orig: { name: nameOf(data), namespace: namespaceOf(data) }, previous: [], rules };
}
