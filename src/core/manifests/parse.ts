/**
 * Repository files in, the Flux image objects each cluster would have, and
 * Problems, out. Objects are read at the identity the cluster gives them
 * (after kustomize and Flux's Kustomization overlay), not as written; only
 * live objects count. Bad documents are reported, never fatal, and never
 * block the other objects.
 */
import { computeClusters, type Cluster, type LiveObject } from "../cluster/clusters.js";
import { apiVersionOf, kindOf, labelsOf, nameOf, namespaceOf, str } from "../cluster/resource.js";
import { isSelfSpec, type RepositoryIdentity } from "../cluster/self.js";
import { RepoTree } from "../cluster/tree.js";
import type { Problem } from "../errors.js";
import { problem } from "../errors.js";
import type { GitCheckoutRef, ImagePolicy, ImageRepository, ImageUpdateAutomation, NamespaceSource, RepoFile } from "../types.js";
import { objectKey } from "../types.js";
import { isYamlFile, reportsProblems, type YamlDoc } from "./documents.js";
import { FieldReader, isObj } from "./fields.js";
import { IMAGE_GROUP, IMAGE_KINDS, IMAGE_VERSIONS, readImagePolicy, readImageRepository, readImageUpdateAutomation } from "./objects.js";

export interface GitRepositoryInfo {
  namespace: string;
  name: string;
  url?: string;
  ref?: GitCheckoutRef;
  file: string;
  cluster?: string;
  scope?: string;
}

export interface ClusterInfo {
  /** the path of the root's file; "" for the implicit cluster */
  name: string;
  /** true for the implicit cluster of a repository that no Flux Kustomization applies */
  fallback: boolean;
  /** why there is no Flux cluster (the implicit one only) */
  note?: string;
  root?: { namespace: string; name: string; file: string; line: number };
}

export interface RepoModel {
  clusters?: ClusterInfo[];
  repositories: ImageRepository[];
  policies: ImagePolicy[];
  automations: ImageUpdateAutomation[];
  gitRepositories: GitRepositoryInfo[];
  /** labels of Namespace objects (for accessFrom), by `scopedName`-style key: `[<cluster>:]<namespace>` */
  namespaceLabels: Record<string, Record<string, string>>;
  problems: Problem[];
}

export interface ParseOptions {
  /** this repository, to tell which GitRepositories are its own; unknown: every one is */
  repository?: RepositoryIdentity;
  /** the branch evaluated; unknown: any */
  branch?: string;
}

const NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** `[<scope>:]key` */
export const scoped = (scope: string | undefined, key: string): string => (scope ? `${scope}:${key}` : key);

export function parseRepository(files: readonly RepoFile[], opts: ParseOptions = {}): RepoModel {
  const tree = new RepoTree(files);
  let computed: ReturnType<typeof computeClusters>;
  try {
    computed = computeClusters(tree, opts);
  } catch (e) {
    // Repository content must never crash a worker: an unexpected failure is a Problem, and nothing is live.
    const message = e instanceof Error ? e.message : String(e);
    return emptyModel([
      problem(
        "cluster.failed",
        `the bot could not work out what Flux applies from this repository (${message.slice(0, 300)}); nothing is updated until this is fixed`,
      ),
    ]);
  }
  const multi = computed.clusters.length > 1;
  const model = emptyModel([...computed.problems]);
  const deprecations = new Map<string, Problem>();
  for (const c of computed.clusters) {
    model.clusters!.push({ name: c.name, fallback: c.fallback, ...(c.note ? { note: c.note } : {}), ...(c.root ? { root: c.root } : {}) });
    model.problems.push(...c.problems);
    readCluster(c, multi ? c.name : undefined, model, deprecations, opts);
  }
  model.problems.push(...yamlProblems(tree));
  model.problems.push(...deprecations.values());
  return model;
}

function emptyModel(problems: Problem[]): RepoModel {
  return { clusters: [], repositories: [], policies: [], automations: [], gitRepositories: [], namespaceLabels: {}, problems };
}

/** Syntax errors in files that mention the Flux groups, whether or not a build reached them. */
function yamlProblems(tree: RepoTree): Problem[] {
  const out: Problem[] = [];
  for (const path of tree.paths()) {
    // screened first, so files that would report nothing are not parsed here
    if (isYamlFile(path) && reportsProblems(path, tree.content(path) ?? "")) out.push(...tree.documents(path).problems);
  }
  return out;
}

function readCluster(c: Cluster, scope: string | undefined, model: RepoModel, deprecations: Map<string, Problem>, opts: ParseOptions): void {
  for (const o of c.objects) {
    const av = apiVersionOf(o.data);
    if (kindOf(o.data) === "Namespace" && av === "v1") {
      model.namespaceLabels[scoped(scope, nameOf(o.data))] = { ...labelsOf(o.data), "kubernetes.io/metadata.name": nameOf(o.data) };
    }
    if (kindOf(o.data) === "GitRepository" && av.startsWith("source.toolkit.fluxcd.io/")) {
      const spec = isObj(o.data.spec) ? o.data.spec : {};
      const ref = isObj(spec.ref) ? (Object.fromEntries(Object.entries(spec.ref).filter(([, v]) => typeof v === "string")) as GitCheckoutRef) : undefined;
      model.gitRepositories.push({
        namespace: namespaceOf(o.data),
        name: nameOf(o.data),
        url: str(spec.url) || undefined,
        ref,
        file: o.origin.file,
        cluster: c.name,
        ...(scope ? { scope } : {}),
      });
    }
    if (!av.startsWith(`${IMAGE_GROUP}/`)) continue;
    const obj = readObject(o, c, scope, model.problems, deprecations);
    if (!obj) continue;
    if (obj.kind === "ImageRepository") model.repositories.push(obj);
    else if (obj.kind === "ImagePolicy") model.policies.push(obj);
    else if (worksOnThisRepository(obj, c, opts, model.problems)) model.automations.push(obj);
  }
}

/**
 * An automation runs here only when its sourceRef resolves in its cluster to
 * a GitRepository of this repository and branch; otherwise it updates
 * another repository (or another branch's checkout) and the bot leaves it alone.
 * In the implicit cluster a GitRepository missing from the tree is assumed to be this one.
 */
function worksOnThisRepository(a: ImageUpdateAutomation, c: Cluster, opts: ParseOptions, problems: Problem[]): boolean {
  const ns = a.spec.sourceRef.namespace ?? a.namespace;
  const src = c.objects.filter(
    (o) =>
      kindOf(o.data) === "GitRepository" &&
      apiVersionOf(o.data).startsWith("source.toolkit.fluxcd.io/") &&
      namespaceOf(o.data) === ns &&
      nameOf(o.data) === a.spec.sourceRef.name,
  );
  const where = { file: a.file, line: a.line, object: objectKey(a) };
  if (src.length === 0) {
    if (c.fallback) return true;
    problems.push({
      ...problem(
        "automation.source-not-applied",
        `spec.sourceRef GitRepository ${ns}/${a.spec.sourceRef.name} is not applied in the cluster of ${c.name}: Flux would not run this automation; fix spec.sourceRef`,
        where,
      ),
      severity: "warning",
    });
    return false;
  }
  const ok = src.some(
    (g) => g.rules.some((r) => r.startsWith("created")) || isSelfSpec(isObj(g.data.spec) ? g.data.spec : {}, { repository: opts.repository }),
  );
  if (!ok)
    problems.push({
      ...problem(
        "automation.other-repository",
        `spec.sourceRef GitRepository ${ns}/${a.spec.sourceRef.name} is another repository: this automation does not update this one and is skipped`,
        where,
      ),
      severity: "warning",
    });
  return ok;
}

function namespaceSourceOf(o: LiveObject): NamespaceSource {
  const rule = [...o.rules]
    .reverse()
    .find(
      (r) =>
        r.startsWith("spec.targetNamespace") ||
        r.startsWith("namespace in") ||
        r.startsWith("metadata.namespace") ||
        r.startsWith("default namespace") ||
        r.startsWith("postBuild"),
    );
  if (!rule || rule.startsWith("default")) return "default";
  if (rule.startsWith("spec.targetNamespace")) return "flux-kustomization";
  if (rule.startsWith("namespace in")) return "kustomization";
  return "metadata";
}

function readObject(
  o: LiveObject,
  c: Cluster,
  scope: string | undefined,
  problems: Problem[],
  deprecations: Map<string, Problem>,
): ImageRepository | ImagePolicy | ImageUpdateAutomation | null {
  const data = o.data;
  const apiVersion = apiVersionOf(data);
  const version = apiVersion.slice(IMAGE_GROUP.length + 1);
  const kind = kindOf(data);
  const name = nameOf(data);
  const namespace = namespaceOf(data);
  const label = `${kind || "object"}/${namespace}/${name || "<unnamed>"}`;
  const where = { file: o.origin.file, line: o.origin.line, object: scoped(scope, label) };
  if (!(IMAGE_KINDS as readonly string[]).includes(kind)) {
    problems.push(problem("manifest.unknown-kind", `kind "${kind}" is not an image automation kind; expected ${IMAGE_KINDS.join(", ")}`, where));
    return null;
  }
  if (!(IMAGE_VERSIONS as readonly string[]).includes(version)) {
    problems.push(problem("manifest.unsupported-version", `apiVersion ${apiVersion} is not supported; use ${IMAGE_GROUP}/v1`, where));
    return null;
  }
  if (o.unresolved) {
    problems.push(
      problem(
        "substitution.unresolved",
        `postBuild substitution not resolved: \${${o.unresolved.join("}, ${")}} come from a source the bot cannot read (a SOPS-encrypted or generated Secret or ConfigMap, or one missing from the repository); the object is not used. Define the variables in spec.postBuild.substitute or in a plain ConfigMap in the repository`,
        where,
      ),
    );
    return null;
  }
  if (name.includes("${") || namespace.includes("${")) {
    problems.push(
      problem(
        "substitution.unresolved",
        `postBuild substitution not resolved in the name "${namespace}/${name}": no Flux Kustomization with spec.postBuild defines the variable, so Flux would fail to apply it; set it in spec.postBuild.substitute`,
        where,
      ),
    );
    return null;
  }
  if (!NAME_RE.test(name) || name.length > 253) {
    problems.push(problem("manifest.invalid-field", `metadata.name "${name}" is not a valid Kubernetes name (lowercase letters, digits, '-' and '.')`, where));
    return null;
  }
  const doc: YamlDoc = { file: o.origin.file, line: o.origin.line, data, lineOf: (p) => o.origin.doc.lineOf(p) };
  const r = new FieldReader(doc, scoped(scope, label));
  if (version !== "v1") {
    const key = `${o.origin.file}|${apiVersion}`;
    const message =
      version === "v1beta1"
        ? `${apiVersion} was removed in Flux 2.7 (image controllers v1.0): the cluster no longer accepts these objects; change apiVersion to ${IMAGE_GROUP}/v1 (the bot still reads them as v1beta1)`
        : `${apiVersion} is deprecated since Flux 2.7 and no longer served by Flux 2.9; change apiVersion to ${IMAGE_GROUP}/v1`;
    if (!deprecations.has(key))
      deprecations.set(key, {
        ...problem(version === "v1beta1" ? "manifest.removed-version" : "manifest.deprecated-version", message, { file: o.origin.file, line: o.origin.line }),
        severity: "warning",
      });
  }
  if (!isObj(data.spec)) {
    problems.push(problem("manifest.missing-field", "spec is required", where));
    return null;
  }
  const meta = {
    apiVersion,
    name,
    namespace,
    namespaceSource: namespaceSourceOf(o),
    labels: labelsOf(data),
    annotations: isObj((data.metadata as Record<string, unknown>).annotations)
      ? ((data.metadata as Record<string, unknown>).annotations as Record<string, string>)
      : {},
    file: o.origin.file,
    line: o.origin.line,
    cluster: c.name,
    ...(scope ? { scope } : {}),
    identitySource: o.rules.length > 0 ? [...o.rules] : ["as written"],
    appliedBy: o.appliedBy,
  };
  const obj =
    kind === "ImageRepository" ? readImageRepository(r, meta) : kind === "ImagePolicy" ? readImagePolicy(r, meta) : readImageUpdateAutomation(r, meta);
  problems.push(...r.problems);
  return obj;
}
