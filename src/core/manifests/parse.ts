/**
 * Repository files in, Flux image objects and Problems out. Bad documents
 * are skipped and reported; they never block the other objects.
 */
import type { Problem } from "../errors.js";
import { problem } from "../errors.js";
import type { GitCheckoutRef, ImagePolicy, ImageRepository, ImageUpdateAutomation, ObjectMeta, RepoFile } from "../types.js";
import { objectKey } from "../types.js";
import { isKustomizationFile, isYamlFile, readDocuments, type YamlDoc } from "./documents.js";
import { FieldReader, isObj } from "./fields.js";
import { IMAGE_GROUP, IMAGE_KINDS, IMAGE_VERSIONS, readImagePolicy, readImageRepository, readImageUpdateAutomation } from "./objects.js";
import { NamespaceResolver, readFluxKustomization, readKustomizeFile, type FluxKustomization, type KustomizeFile } from "./namespaces.js";

export interface GitRepositoryInfo {
  namespace: string;
  name: string;
  url?: string;
  ref?: GitCheckoutRef;
  file: string;
}

export interface RepoModel {
  repositories: ImageRepository[];
  policies: ImagePolicy[];
  automations: ImageUpdateAutomation[];
  gitRepositories: GitRepositoryInfo[];
  /** labels of Namespace objects found in the tree (for accessFrom) */
  namespaceLabels: Record<string, Record<string, string>>;
  problems: Problem[];
}

interface PendingDoc {
  doc: YamlDoc;
  data: Record<string, unknown>;
}

const NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function parseRepository(files: readonly RepoFile[]): RepoModel {
  const problems: Problem[] = [];
  const kustomizations: KustomizeFile[] = [];
  const fluxKs: FluxKustomization[] = [];
  const pending: PendingDoc[] = [];
  const gitRepoDocs: PendingDoc[] = [];
  const namespaceLabels: Record<string, Record<string, string>> = {};

  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (!isYamlFile(f.path)) continue;
    // cheap screening: only parse files that may hold what we need
    const interesting = isKustomizationFile(f.path) || f.content.includes(IMAGE_GROUP) || f.content.includes("kustomize.toolkit.fluxcd.io") || f.content.includes("source.toolkit.fluxcd.io") || /kind:\s*Namespace\b/.test(f.content);
    if (!interesting) continue;
    const { docs, problems: docProblems } = readDocuments(f.path, f.content);
    problems.push(...docProblems);
    for (const doc of docs) {
      const data = doc.data;
      if (!isObj(data)) continue;
      if (isKustomizationFile(f.path)) {
        const k = readKustomizeFile(f.path, data);
        if (k) kustomizations.push(k);
      }
      const fk = readFluxKustomization(f.path, data);
      if (fk) fluxKs.push(fk);
      const apiVersion = typeof data.apiVersion === "string" ? data.apiVersion : "";
      if (data.kind === "Namespace" && apiVersion === "v1" && isObj(data.metadata) && typeof data.metadata.name === "string") {
        namespaceLabels[data.metadata.name] = isObj(data.metadata.labels) ? (data.metadata.labels as Record<string, string>) : {};
      }
      if (data.kind === "GitRepository" && apiVersion.startsWith("source.toolkit.fluxcd.io/")) gitRepoDocs.push({ doc, data });
      if (apiVersion.startsWith(`${IMAGE_GROUP}/`)) pending.push({ doc, data });
    }
  }

  const resolver = new NamespaceResolver(kustomizations, fluxKs);
  const model: RepoModel = { repositories: [], policies: [], automations: [], gitRepositories: [], namespaceLabels, problems };

  for (const { doc, data } of gitRepoDocs) {
    const meta = isObj(data.metadata) ? data.metadata : {};
    if (typeof meta.name !== "string") continue;
    const ns = typeof meta.namespace === "string" && meta.namespace ? meta.namespace : resolver.resolve(doc.file).namespace;
    const spec = isObj(data.spec) ? data.spec : {};
    const ref = isObj(spec.ref) ? (Object.fromEntries(Object.entries(spec.ref).filter(([, v]) => typeof v === "string")) as GitCheckoutRef) : undefined;
    model.gitRepositories.push({ namespace: ns, name: meta.name, url: typeof spec.url === "string" ? spec.url : undefined, ref, file: doc.file });
  }

  const seen = new Map<string, ObjectMeta>();
  for (const { doc, data } of pending) {
    const obj = readObject(doc, data, resolver, problems);
    if (!obj) continue;
    const key = objectKey(obj);
    const prev = seen.get(key);
    if (prev) {
      problems.push(problem("manifest.duplicate", `${obj.kind} ${obj.namespace}/${obj.name} is also defined in ${prev.file}:${prev.line}; the first definition is used, remove or rename one`, { file: obj.file, line: obj.line, object: key }));
      continue;
    }
    seen.set(key, obj);
    if (obj.kind === "ImageRepository") model.repositories.push(obj);
    else if (obj.kind === "ImagePolicy") model.policies.push(obj);
    else model.automations.push(obj);
  }
  return model;
}

function readObject(doc: YamlDoc, data: Record<string, unknown>, resolver: NamespaceResolver, problems: Problem[]): ImageRepository | ImagePolicy | ImageUpdateAutomation | null {
  const apiVersion = data.apiVersion as string;
  const version = apiVersion.slice(IMAGE_GROUP.length + 1);
  const kind = typeof data.kind === "string" ? data.kind : "";
  const metaObj = isObj(data.metadata) ? data.metadata : {};
  const name = typeof metaObj.name === "string" ? metaObj.name : "";
  const explicitNs = typeof metaObj.namespace === "string" && metaObj.namespace ? metaObj.namespace : undefined;
  const resolved = explicitNs ? { namespace: explicitNs, source: "metadata" as const } : resolver.resolve(doc.file);
  const label = `${kind || "object"}/${resolved.namespace}/${name || "<unnamed>"}`;
  const where = { file: doc.file, line: doc.line, object: label };
  if (!(IMAGE_KINDS as readonly string[]).includes(kind)) {
    if (kind !== "ImagePolicyList" && kind !== "List") problems.push(problem("manifest.unknown-kind", `kind "${kind}" is not an image automation kind; expected ${IMAGE_KINDS.join(", ")}`, where));
    return null;
  }
  if (!(IMAGE_VERSIONS as readonly string[]).includes(version)) {
    problems.push(problem("manifest.unsupported-version", `apiVersion ${apiVersion} is not supported; use ${IMAGE_GROUP}/v1 (also read: v1beta2, v1beta1)`, where));
    return null;
  }
  if (!name) {
    problems.push(problem("manifest.missing-field", "metadata.name is required", where));
    return null;
  }
  if (!NAME_RE.test(name) || name.length > 253) {
    problems.push(problem("manifest.invalid-field", `metadata.name "${name}" is not a valid Kubernetes name (lowercase letters, digits, '-' and '.')`, where));
    return null;
  }
  const r = new FieldReader(doc, label);
  if (version !== "v1") r.warn(["apiVersion"], `${apiVersion} is deprecated (Flux 2.9 serves only v1); change apiVersion to ${IMAGE_GROUP}/v1`, "manifest.deprecated-version");
  if (!isObj(data.spec)) {
    problems.push(problem("manifest.missing-field", "spec is required", where));
    return null;
  }
  const meta = {
    apiVersion,
    name,
    namespace: resolved.namespace,
    namespaceSource: resolved.source,
    labels: isObj(metaObj.labels) ? (metaObj.labels as Record<string, string>) : {},
    annotations: isObj(metaObj.annotations) ? (metaObj.annotations as Record<string, string>) : {},
    file: doc.file,
    line: doc.line,
  };
  const obj = kind === "ImageRepository" ? readImageRepository(r, meta) : kind === "ImagePolicy" ? readImagePolicy(r, meta) : readImageUpdateAutomation(r, meta);
  problems.push(...r.problems);
  return obj;
}
