/**
 * What one Flux Kustomization applies (kustomize-controller
 * internal/controller/kustomization_controller.go `build`, `apply`;
 * github.com/fluxcd/pkg kustomize/kustomize_generator.go): `spec.path` joined
 * to the repository root, built from its kustomization file or from the
 * kustomization Flux generates for a plain directory, with the Flux spec
 * written into it; then postBuild substitution, the reconcile-disabled
 * exclusion, owner labels and commonMetadata.
 */
import { problem, type Problem } from "../errors.js";
import { isObj, type Obj } from "../manifests/fields.js";
import type { IgnoreMatcher } from "./ignore.js";
import { BuildError, Builder, isRelevant, type Overlay } from "./kustomize.js";
import { secureJoin } from "./paths.js";
import { annotationsOf, apiVersionOf, groupOf, isClusterScoped, kindOf, labelsOf, metaOf, nameOf, namespaceOf, str, type Resource } from "./resource.js";
import { substitute, SubstitutionError, VAR_NAME } from "./substitute.js";
import type { RepoTree } from "./tree.js";
import { parse as parseYaml, stringify as toYaml } from "yaml";

export const FLUX_KS_GROUP = "kustomize.toolkit.fluxcd.io";

/** A Flux Kustomization as the apply graph sees it: its identity in the cluster and its spec. */
export interface FluxKs {
  namespace: string;
  name: string;
  spec: Obj;
  file: string;
  line: number;
}

export const ksLabel = (k: { namespace: string; name: string }): string => `Kustomization ${k.namespace}/${k.name}`;

export type SourceLookup = (kind: "ConfigMap" | "Secret", namespace: string, name: string) => { data: Record<string, string> } | "unknown" | undefined;

export type FluxBuild =
  | { ok: true; resources: Resource[]; problems: Problem[] }
  | { ok: false; code: string; message: string; file?: string; problems: Problem[] };

/** Namespaced kinds whose missing namespace fails the server-side dry-run (`<Kind>/<name> namespace not specified`). */
function knownNamespaced(data: Obj): boolean {
  const group = groupOf(apiVersionOf(data));
  if (["image.toolkit.fluxcd.io", "source.toolkit.fluxcd.io", FLUX_KS_GROUP, "helm.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io"].includes(group))
    return true;
  const kind = kindOf(data);
  if (group === "") return ["ConfigMap", "Secret", "Service", "ServiceAccount", "Pod", "PersistentVolumeClaim"].includes(kind);
  if (group === "apps") return ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(kind);
  if (group === "batch") return ["Job", "CronJob"].includes(kind);
  if (group === "rbac.authorization.k8s.io") return ["Role", "RoleBinding"].includes(kind);
  return false;
}

/** The kustomization Flux generates for a directory without one: nested kustomization dirs, and every .yaml/.yml below. */
export function generatedKustomization(tree: RepoTree, ignore: IgnoreMatcher, dir: string): Obj {
  const resources: string[] = [];
  const walk = (d: string): void => {
    const { dirs, files } = tree.list(d);
    const entries = [...dirs.map((n) => ({ n, dir: true })), ...files.map((n) => ({ n, dir: false }))].sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
    for (const e of entries) {
      const path = d ? `${d}/${e.n}` : e.n;
      if (ignore.ignored(path)) continue;
      const rel = dir ? path.slice(dir.length + 1) : path;
      if (e.dir) {
        if (tree.kustomizationFile(path)) resources.push(rel);
        else walk(path);
      } else if (e.n.endsWith(".yaml") || e.n.endsWith(".yml")) resources.push(rel);
    }
  };
  walk(dir);
  return { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources };
}

function overlayOf(spec: Obj): Overlay {
  const o: Overlay = {};
  if (str(spec.targetNamespace)) o.namespace = str(spec.targetNamespace);
  if (str(spec.namePrefix)) o.namePrefix = str(spec.namePrefix);
  if (str(spec.nameSuffix)) o.nameSuffix = str(spec.nameSuffix);
  if (Array.isArray(spec.patches)) o.patches = spec.patches;
  if (Array.isArray(spec.components)) o.components = spec.components.map(String);
  if (spec.ignoreMissingComponents === true) o.ignoreMissingComponents = true;
  return o;
}

/** Builds what `ks` applies; never throws for repository content. */
export function buildFluxKustomization(tree: RepoTree, ignore: IgnoreMatcher, ks: FluxKs, lookup: SourceLookup): FluxBuild {
  const label = ksLabel(ks);
  const problems: Problem[] = [];
  const dir = secureJoin("", str(ks.spec.path));
  if (dir !== "" && !tree.isDir(dir))
    return { ok: false, code: "kustomization.failed", message: `kustomization path not found: ${str(ks.spec.path)} (${label}); fix spec.path`, problems };
  const builder = new Builder(tree, (path) => !ignore.ignored(path));
  let resources: Resource[];
  try {
    const generated = tree.kustomizationFile(dir) ? undefined : generatedKustomization(tree, ignore, dir);
    resources = builder.buildDir(dir, overlayOf(ks.spec), generated, label);
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    return {
      ok: false,
      code: e.code === "kustomization.build-failed" ? "kustomization.failed" : e.code,
      message: `${label} fails to build: ${e.message}`,
      file: e.file,
      problems,
    };
  }
  resources = resources.filter((r) => annotationsOf(r.data)["config.kubernetes.io/local-config"] !== "true");
  const relevant = resources.some((r) => isRelevant(r.data));
  if (relevant) problems.push(...builder.warnings);
  const post = isObj(ks.spec.postBuild) ? ks.spec.postBuild : undefined;
  if (post) {
    const failed = substituteAll(resources, ks, post, lookup, builder.unknownSources);
    if (failed) return { ok: false, code: "kustomization.failed", message: `${label} fails: ${failed}`, file: ks.file, problems };
  }
  const applied: Resource[] = [];
  for (const r of resources) {
    const labels = labelsOf(r.data);
    const annotations = annotationsOf(r.data);
    const disabled = (v: string | undefined): boolean => (v ?? "").toLowerCase() === "disabled";
    if (disabled(labels["kustomize.toolkit.fluxcd.io/reconcile"]) || disabled(annotations["kustomize.toolkit.fluxcd.io/reconcile"])) continue;
    if (!namespaceOf(r.data) && !isClusterScoped(r.data) && knownNamespaced(r.data)) {
      return {
        ok: false,
        code: "kustomization.failed",
        message: `${label} fails to apply: ${kindOf(r.data)}/${nameOf(r.data)} namespace not specified (from ${r.origin.file}); set metadata.namespace or spec.targetNamespace`,
        file: r.origin.file,
        problems,
      };
    }
    applyMetadata(r, ks);
    applied.push(r);
  }
  return { ok: true, resources: applied, problems };
}

/** Owner labels, then spec.commonMetadata (github.com/fluxcd/pkg ssa/utils SetCommonMetadata), over the built labels. */
function applyMetadata(r: Resource, ks: FluxKs): void {
  const meta = metaOf(r.data);
  const common = isObj(ks.spec.commonMetadata) ? ks.spec.commonMetadata : {};
  const labels: Obj = {
    ...(isObj(meta.labels) ? meta.labels : {}),
    "kustomize.toolkit.fluxcd.io/name": ks.name,
    "kustomize.toolkit.fluxcd.io/namespace": ks.namespace,
  };
  if (isObj(common.labels)) Object.assign(labels, common.labels);
  meta.labels = labels;
  if (isObj(common.annotations)) meta.annotations = { ...(isObj(meta.annotations) ? meta.annotations : {}), ...common.annotations };
}

/** Returns an error message when the Kustomization fails; marks objects with unknown variables. */
function substituteAll(
  resources: Resource[],
  ks: FluxKs,
  post: Obj,
  lookup: SourceLookup,
  generated: ReadonlyArray<{ kind: string; name: string }>,
): string | undefined {
  const vars = new Map<string, string>();
  let unknownSource = false;
  for (const ref of Array.isArray(post.substituteFrom) ? post.substituteFrom : []) {
    if (!isObj(ref)) continue;
    const kind = str(ref.kind) === "Secret" ? "Secret" : "ConfigMap";
    const name = str(ref.name);
    const found = generated.some((g) => g.kind === kind && g.name === name) ? "unknown" : lookup(kind, ks.namespace, name);
    if (found === "unknown") unknownSource = true;
    else if (found) for (const [k, v] of Object.entries(found.data)) vars.set(k, v.replace(/\r?\n/g, ""));
    else if (ref.optional !== true) return `substituteFrom ${kind} ${ks.namespace}/${name} not found; create it or mark it optional: true`;
  }
  if (isObj(post.substitute)) for (const [k, v] of Object.entries(post.substitute)) vars.set(k, String(v ?? "").replace(/\r?\n/g, ""));
  for (const k of vars.keys()) if (!VAR_NAME.test(k)) return `postBuild variable name "${k}" is invalid: it must match ^[_[:alpha:]][_[:alpha:][:digit:]]*$`;
  const always = str(ks.spec.substituteStrategy) === "Always" || str(post.substituteStrategy) === "Always";
  if (vars.size === 0 && !unknownSource && !always) return undefined;
  for (const r of resources) {
    if (
      labelsOf(r.data)["kustomize.toolkit.fluxcd.io/substitute"] === "disabled" ||
      annotationsOf(r.data)["kustomize.toolkit.fluxcd.io/substitute"] === "disabled"
    )
      continue;
    try {
      if (!JSON.stringify(r.data).includes("${")) continue;
      const text = toYaml(r.data);
      const out = substitute(text, vars, { strict: true, unknownSource });
      const before = { name: nameOf(r.data), namespace: namespaceOf(r.data) };
      const data = parseYaml(out.text) as Obj;
      for (const k of Object.keys(r.data)) delete r.data[k];
      Object.assign(r.data, data);
      if (nameOf(r.data) !== before.name || namespaceOf(r.data) !== before.namespace) r.rules.push(`postBuild substitution of ${ksLabel(ks)}`);
      if (out.unknown.length > 0) r.unresolved = out.unknown;
    } catch (e) {
      if (e instanceof SubstitutionError) return `postBuild substitution in ${kindOf(r.data)}/${nameOf(r.data)} (${r.origin.file}): ${e.message}`;
      return `postBuild substitution in ${kindOf(r.data)}/${nameOf(r.data)} (${r.origin.file}) made invalid YAML: ${(e as Error).message}`;
    }
  }
  return undefined;
}
