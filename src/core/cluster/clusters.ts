/**
 * The clusters a repository describes and the objects live in each
 * (kustomize-controller's reconcile loop seen from the repository): every
 * root Flux Kustomization whose source is this repository and branch starts a
 * cluster; each Kustomization reached applies its build, and the Flux
 * Kustomizations in that build are followed in turn. With no such root, one
 * implicit cluster holds what the repository's kustomizations and plain files
 * define (not Flux behaviour; the cluster carries a note saying why).
 */
import { problem, type Problem } from "../errors.js";
import { isObj, type Obj } from "../manifests/fields.js";
import { buildFluxKustomization, FLUX_KS_GROUP, type FluxBuild, type FluxKs, ksLabel, type SourceLookup } from "./flux.js";
import { IgnoreMatcher, isSourceIgnore } from "./ignore.js";
import { BuildError, Builder, isRelevant, loadResources } from "./kustomize.js";
import { dirname, joinInside } from "./paths.js";
import { annotationsOf, apiVersionOf, groupOf, kindOf, labelsOf, nameOf, namespaceOf, type Resource, resourceFromDoc, str } from "./resource.js";
import { isSelfSpec, type SelfContext } from "./self.js";
import type { RepoTree } from "./tree.js";

export interface LiveObject extends Resource {
  /** the Kustomization that applied it (`Kustomization ns/name`), or how it came to be */
  appliedBy: string;
}

export interface Cluster {
  /** the path of the root's file; "" for the implicit cluster */
  name: string;
  fallback: boolean;
  /** why the repository has no Flux cluster, for the implicit one (not a Problem: shown by plan and the dashboard) */
  note?: string;
  /** the root Kustomization, for a Flux cluster */
  root?: { namespace: string; name: string; file: string; line: number };
  /** live objects by identity; an identity with several different copies is ambiguous and absent here */
  objects: LiveObject[];
  problems: Problem[];
}

export interface ClusterModel {
  clusters: Cluster[];
  problems: Problem[];
}

const info = (code: string, message: string, where: Omit<Problem, "code" | "message"> = {}): Problem => ({
  ...problem(code, message, where),
  severity: "warning",
});

/** Identity in the API server: group, kind, namespace, name (no version). */
export function identityKey(data: Obj): string {
  return `${groupOf(apiVersionOf(data))}/${kindOf(data)}/${namespaceOf(data)}/${nameOf(data)}`;
}

const isFluxKs = (data: Obj): boolean => groupOf(apiVersionOf(data)) === FLUX_KS_GROUP && kindOf(data) === "Kustomization";
const isGitRepo = (data: Obj): boolean => groupOf(apiVersionOf(data)) === "source.toolkit.fluxcd.io" && kindOf(data) === "GitRepository";
const SCREEN = /kustomize\.toolkit\.fluxcd\.io|source\.toolkit\.fluxcd\.io|fluxcd\.controlplane\.io|flux-instance/;

interface RawDoc {
  data: Obj;
  file: string;
  line: number;
  resource: Resource;
}

interface Root {
  ks: FluxKs;
  /** objects live though no build holds them: the root Kustomization and its GitRepository */
  own: Resource[];
  file: string;
  operator: boolean;
}

/**
 * What one repository may cost: Kustomization builds and objects built, over
 * every cluster and root candidate. A hostile or runaway layout stops here
 * with a Problem; what was not built is not live (the bot then updates less,
 * never something else).
 */
export class BuildBudget {
  /** builds of Kustomizations that every run shares (see ClusterRun.cachedBuild) */
  readonly builds = new Map<string, FluxBuild>();
  private count = 0;
  private objects = 0;
  exhausted = false;
  constructor(
    readonly maxBuilds = 2_000,
    readonly maxObjects = 200_000,
  ) {}

  /** Counts one build of `objects` objects; false once over budget. */
  take(objects: number): boolean {
    this.count++;
    this.objects += objects;
    if (this.count > this.maxBuilds || this.objects > this.maxObjects) this.exhausted = true;
    return !this.exhausted;
  }
}

export function computeClusters(tree: RepoTree, ctx: SelfContext, budget = new BuildBudget()): ClusterModel {
  const problems: Problem[] = [];
  const raw = rawFluxDocs(tree);
  if (!ctx.repository && raw.some((d) => isGitRepo(d.data) || isFluxKs(d.data)))
    problems.push(
      info(
        "cluster.repository-unknown",
        "the repository's own URL is not known (no --repository and no origin remote): every GitRepository is taken as this repository",
      ),
    );
  const roots = findRoots(tree, raw, ctx, problems, budget);
  if (roots.length === 0) return { clusters: [fallbackCluster(tree)], problems };
  const names = new Map<string, number>();
  const clusters: Cluster[] = [];
  const pending = [...roots];
  while (pending.length > 0) {
    const root = pending.shift() as Root;
    const c = new ClusterRun(tree, ctx, raw, budget);
    c.run(root);
    pending.push(...c.remoteRoots);
    const base = root.file;
    const n = names.get(base) ?? 0;
    names.set(base, n + 1);
    clusters.push(c.result(n === 0 ? base : `${base}#${root.ks.namespace}/${root.ks.name}`, root));
  }
  if (budget.exhausted)
    problems.push(
      problem(
        "cluster.too-large",
        `the Flux Kustomizations of this repository build more than ${budget.maxBuilds} times or ${budget.maxObjects} objects; the bot stopped building there, so objects past that point are not used: split the repository or ask the operator`,
      ),
    );
  return { clusters, problems };
}

function rawFluxDocs(tree: RepoTree): RawDoc[] {
  const out: RawDoc[] = [];
  for (const path of tree.paths()) {
    if (!/\.ya?ml$/.test(path) || !SCREEN.test(tree.content(path) ?? "")) continue;
    let resources: Resource[];
    try {
      resources = loadResources(tree, path);
    } catch {
      resources = tree
        .documents(path)
        .docs.filter((d) => isObj(d.data) && str((d.data as Obj).kind) && nameOf(d.data as Obj))
        .map((d) => resourceFromDoc(d.data as Obj, d));
    }
    for (const r of resources) out.push({ data: r.data, file: path, line: r.origin.line, resource: r });
  }
  return out;
}

function fluxKsOf(r: { data: Obj; origin: { file: string; line: number } }, defaultNs = "flux-system"): FluxKs {
  return {
    namespace: namespaceOf(r.data) || defaultNs,
    name: nameOf(r.data),
    spec: isObj(r.data.spec) ? r.data.spec : {},
    file: r.origin.file,
    line: r.origin.line,
  };
}

/** Roots: operator-made Kustomizations, and candidates no other candidate applies. */
function findRoots(tree: RepoTree, raw: RawDoc[], ctx: SelfContext, problems: Problem[], budget: BuildBudget): Root[] {
  const gitRepos = raw.filter((d) => isGitRepo(d.data));
  const candidates: Root[] = [];
  for (const d of raw) {
    if (isFluxKs(d.data)) {
      const ks = fluxKsOf(d.resource);
      const ref = isObj(ks.spec.sourceRef) ? ks.spec.sourceRef : {};
      if (str(ref.kind) !== "GitRepository") continue;
      const ns = str(ref.namespace) || namespaceOf(d.data);
      const defs = gitRepos.filter((g) => nameOf(g.data) === str(ref.name) && (!ns || !namespaceOf(g.data) || namespaceOf(g.data) === ns));
      if (defs.length === 0) {
        const own = {
          data: {
            apiVersion: "source.toolkit.fluxcd.io/v1",
            kind: "GitRepository",
            metadata: { name: str(ref.name), namespace: ns || ks.namespace },
            spec: {},
          },
          origin: d.resource.origin,
          orig: { name: str(ref.name), namespace: ns || ks.namespace },
          previous: [],
          rules: ["created outside the repository (assumed to be this repository)"],
        };
        candidates.push({ ks, own: [d.resource, own], file: d.file, operator: false });
      } else if (defs.some((g) => isSelfSpec(isObj(g.data.spec) ? g.data.spec : {}, ctx))) {
        const g = defs.find((x) => isSelfSpec(isObj(x.data.spec) ? x.data.spec : {}, ctx)) as RawDoc;
        candidates.push({ ks, own: [d.resource, g.resource], file: d.file, operator: false });
      }
    }
    const sync = operatorSync(d.data);
    if (sync && isSelfSpec({ url: sync.url, ref: operatorRef(sync.ref) }, ctx)) {
      const ns = namespaceOf(d.data) || "flux-system";
      const mk = (kind: string, apiVersion: string, spec: Obj): Resource => ({
        data: { apiVersion, kind, metadata: { name: ns, namespace: ns }, spec },
        origin: d.resource.origin,
        orig: { name: ns, namespace: ns },
        previous: [],
        rules: [`created by the Flux Operator from ${kindOf(d.data)} ${ns}/${nameOf(d.data)}`],
      });
      const ksRes = mk("Kustomization", `${FLUX_KS_GROUP}/v1`, { path: str(sync.path), sourceRef: { kind: "GitRepository", name: ns }, prune: true });
      candidates.push({
        ks: fluxKsOf(ksRes),
        own: [ksRes, mk("GitRepository", "source.toolkit.fluxcd.io/v1", { url: str(sync.url), ref: operatorRef(sync.ref) })],
        file: d.file,
        operator: true,
      });
    }
  }
  if (candidates.some((c) => c.own[1]?.rules[0]?.startsWith("created outside") && !c.operator)) {
    const names = [
      ...new Set(candidates.filter((c) => c.own[1]?.rules[0]?.startsWith("created outside")).map((c) => `${str((c.ks.spec.sourceRef as Obj).name)}`)),
    ];
    problems.push(
      info(
        "cluster.source-assumed",
        `GitRepository ${names.join(", ")} is referenced by Flux Kustomizations but defined in no file (made by flux bootstrap, the Flux Operator, a Helm chart or Terraform): taken as this repository`,
      ),
    );
  }
  const applied = new Map<Root, Set<string>>();
  for (const c of candidates) {
    const run = new ClusterRun(tree, { ...ctx }, raw, budget);
    run.run(c);
    applied.set(c, run.appliedKsOrigins);
  }
  const originOf = (c: Root): string => `${c.own[0].origin.file}:${c.own[0].origin.line}`;
  const isApplied = (c: Root): boolean => candidates.some((o) => o !== c && applied.get(o)?.has(originOf(c)));
  const roots = candidates.filter((c) => c.operator || !isApplied(c));
  const covered = (c: Root): boolean => roots.some((r) => r === c || applied.get(r)?.has(originOf(c)));
  const orphans = candidates.filter((c) => !covered(c));
  if (orphans.length > 0) {
    const first = orphans.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))[0];
    problems.push(
      problem(
        "cluster.ambiguous-root",
        `Flux Kustomizations ${orphans.map((o) => ksLabel(o.ks)).join(", ")} apply each other in a cycle: none is a root; ${ksLabel(first.ks)} (${first.file}) is taken as the root`,
        { file: first.file, line: first.ks.line },
      ),
    );
    roots.push(first);
  }
  return roots;
}

/** The Flux Operator writes `spec.sync.ref` as a Git reference name: `refs/heads/main`, `refs/tags/v1`. */
function operatorRef(ref: unknown): Obj {
  const r = str(ref);
  if (r.startsWith("refs/heads/")) return { branch: r.slice("refs/heads/".length) };
  if (r.startsWith("refs/tags/")) return { tag: r.slice("refs/tags/".length) };
  return r ? { name: r } : {};
}

/** `spec.sync` of a Flux Operator FluxInstance, or of a flux-instance chart's HelmRelease values. */
function operatorSync(data: Obj): Obj | undefined {
  const spec = isObj(data.spec) ? data.spec : {};
  if (groupOf(apiVersionOf(data)) === "fluxcd.controlplane.io" && kindOf(data) === "FluxInstance")
    return isObj(spec.sync) && str(spec.sync.kind || "GitRepository") === "GitRepository" ? spec.sync : undefined;
  if (groupOf(apiVersionOf(data)) === "helm.toolkit.fluxcd.io" && kindOf(data) === "HelmRelease") {
    const chart = JSON.stringify([spec.chart, spec.chartRef]);
    const values = isObj(spec.values) && isObj(spec.values.instance) ? spec.values.instance : undefined;
    if (chart.includes("flux-instance") && values && isObj(values.sync) && str(values.sync.kind || "GitRepository") === "GitRepository") return values.sync;
  }
  return undefined;
}

class ClusterRun {
  private readonly copies = new Map<string, LiveObject[]>();
  private readonly visited = new Set<string>();
  readonly problems: Problem[] = [];
  readonly appliedKsOrigins = new Set<string>();
  readonly remoteRoots: Root[] = [];

  constructor(
    private readonly tree: RepoTree,
    private readonly ctx: SelfContext,
    private readonly raw: RawDoc[],
    private readonly budget: BuildBudget,
  ) {}
  private readonly ignores = new Map<string, IgnoreMatcher>();

  /** The root's own objects: live though no build may hold them (bootstrap or the operator applied them). */
  private addOwn(root: Root): void {
    for (const r of root.own)
      this.add({ data: structuredClone(r.data), origin: r.origin, orig: r.orig, previous: [], rules: [...r.rules], appliedBy: "bootstrap" });
  }

  run(root: Root): void {
    this.addOwn(root);
    this.walk(root.ks);
    const built = (
      this.copies.get(
        identityKey({ apiVersion: `${FLUX_KS_GROUP}/v1`, kind: "Kustomization", metadata: { name: root.ks.name, namespace: root.ks.namespace } }),
      ) ?? []
    ).find((o) => o.appliedBy !== "bootstrap");
    if (built && JSON.stringify(built.data.spec) !== JSON.stringify(root.ks.spec)) {
      // The root's own build changes its spec: after the first reconciliation that spec is what runs.
      const again = new ClusterRun(this.tree, this.ctx, this.raw, this.budget);
      again.walk(fluxKsOf(built));
      const rebuilt = (again.copies.get(identityKey(built.data)) ?? []).find((o) => o.appliedBy !== "bootstrap");
      this.copies.clear();
      this.byName.clear();
      this.visited.clear();
      this.remoteRoots.length = 0;
      this.problems.length = 0;
      this.appliedKsOrigins.clear();
      this.addOwn(root);
      this.walk(fluxKsOf(built));
      if (rebuilt && JSON.stringify(rebuilt.data.spec) !== JSON.stringify(built.data.spec))
        this.problems.push(
          problem("cluster.unstable-root", `the root ${ksLabel(root.ks)} changes its own spec at every build; fix the patch on it`, {
            file: root.file,
            line: root.ks.line,
          }),
        );
    }
  }

  /** copies by kind, namespace and name (any group), for source and substitution lookups */
  private readonly byName = new Map<string, LiveObject[]>();

  private add(o: LiveObject): void {
    const k = identityKey(o.data);
    const list = this.copies.get(k) ?? [];
    list.push(o);
    this.copies.set(k, list);
    const n = `${kindOf(o.data)}/${namespaceOf(o.data)}/${nameOf(o.data)}`;
    this.byName.set(n, [...(this.byName.get(n) ?? []), o]);
  }

  private live(kind: string, namespace: string, name: string): LiveObject[] {
    return this.byName.get(`${kind}/${namespace}/${name}`) ?? [];
  }

  private walk(first: FluxKs): void {
    let queue: FluxKs[] = [first];
    let deferred: FluxKs[] = [];
    let progress = true;
    while (queue.length > 0 || (progress && deferred.length > 0)) {
      if (queue.length === 0) {
        queue = deferred;
        deferred = [];
        progress = false;
      }
      const ks = queue.shift() as FluxKs;
      const id = `${ks.namespace}/${ks.name}`;
      if (this.visited.has(id)) continue;
      const outcome = this.visit(ks, deferred.length === 0 && queue.length === 0 && !progress);
      if (outcome === "defer") deferred.push(ks);
      else {
        this.visited.add(id);
        progress = true;
        queue.push(...outcome);
      }
    }
    for (const ks of deferred) this.visit(ks, true);
  }

  /** Visits one Kustomization; "defer" when its source or substitution inputs may still be applied by another. */
  private visit(ks: FluxKs, final: boolean): FluxKs[] | "defer" {
    const where = { file: ks.file, line: ks.line, object: ksLabel(ks) };
    const ref = isObj(ks.spec.sourceRef) ? ks.spec.sourceRef : {};
    const kind = str(ref.kind);
    if (kind !== "GitRepository") {
      this.problems.push(
        info(
          "kustomization.not-followed",
          `${ksLabel(ks)} builds from ${kind || "an unknown source"} ${str(ref.name)}, not from this repository: what it applies is not known to the bot`,
          where,
        ),
      );
      return [];
    }
    const srcNs = str(ref.namespace) || ks.namespace;
    const src = this.live("GitRepository", srcNs, str(ref.name));
    if (src.length === 0) {
      if (!final) return "defer";
      if (this.raw.some((d) => isGitRepo(d.data) && nameOf(d.data) === str(ref.name))) {
        this.problems.push(
          info("kustomization.not-followed", `${ksLabel(ks)}: its source GitRepository ${srcNs}/${str(ref.name)} is not applied in this cluster`, where),
        );
        return [];
      }
    } else if (!src.some((g) => isSelfSpec(isObj(g.data.spec) ? g.data.spec : {}, this.ctx) || g.rules.some((r) => r.startsWith("created")))) {
      this.problems.push(
        info(
          "kustomization.not-followed",
          `${ksLabel(ks)} builds from GitRepository ${srcNs}/${str(ref.name)}, another repository or branch: not followed`,
          where,
        ),
      );
      return [];
    }
    if (ks.spec.kubeConfig !== undefined) {
      // It applies to another cluster, with this cluster's source; there it is the root.
      const { kubeConfig: _remote, ...spec } = ks.spec;
      this.remoteRoots.push({
        ks: { ...ks, spec },
        own: src.map((g) => ({ data: g.data, origin: g.origin, orig: g.orig, previous: [], rules: [...g.rules] })),
        file: `${ks.file}#${ks.namespace}/${ks.name}`,
        operator: false,
      });
      return [];
    }
    if (ks.spec.suspend === true)
      this.problems.push(
        info(
          "kustomization.suspended",
          `${ksLabel(ks)} is suspended: its objects stay as last applied; the bot takes them as they are in the repository`,
          where,
        ),
      );
    let missingSource = false;
    const lookup: SourceLookup = (k, ns, name) => {
      const found = this.live(k, ns, name);
      if (found.length === 0) {
        missingSource = true;
        return undefined;
      }
      const o = found[0];
      if (o.data.sops !== undefined) return "unknown";
      const data: Record<string, string> = {};
      if (isObj(o.data.data))
        for (const [key, v] of Object.entries(o.data.data)) data[key] = k === "Secret" ? Buffer.from(String(v), "base64").toString("utf8") : String(v ?? "");
      if (k === "Secret" && isObj(o.data.stringData)) for (const [key, v] of Object.entries(o.data.stringData)) data[key] = String(v ?? "");
      return { data };
    };
    const ignore = this.ignoreFor(src[0]);
    if (this.budget.exhausted) return [];
    const build = this.cachedBuild(ks, src[0], () => buildFluxKustomization(this.tree, ignore, ks, lookup));
    if (!build) return [];
    if (!build.ok && missingSource && !final) return "defer";
    this.problems.push(...build.problems);
    if (!build.ok) {
      this.problems.push(
        problem(build.code, `${build.message}; Flux applies nothing of this revision for it`, {
          ...where,
          file: build.file ?? ks.file,
          line: build.file && build.file !== ks.file ? undefined : ks.line,
        }),
      );
      return [];
    }
    const next: FluxKs[] = [];
    for (const r of build.resources) {
      this.add({ ...r, appliedBy: ksLabel(ks) });
      if (isFluxKs(r.data)) {
        this.appliedKsOrigins.add(`${r.origin.file}:${r.origin.line}`);
        next.push(fluxKsOf(r, ks.namespace));
      }
    }
    return next;
  }

  /**
   * A Kustomization builds the same in every run that reaches it (root candidates, the rebuilt root),
   * unless its substitution reads ConfigMaps or Secrets of the cluster: those builds are shared per
   * repository, each run getting its own copy. Only real builds count toward the budget.
   */
  private cachedBuild(ks: FluxKs, src: LiveObject | undefined, build: () => FluxBuild): FluxBuild | undefined {
    const post = isObj(ks.spec.postBuild) ? ks.spec.postBuild : undefined;
    const shareable = !(post && Array.isArray(post.substituteFrom) && post.substituteFrom.length > 0);
    const srcSpec = src && isObj(src.data.spec) ? src.data.spec : {};
    const key = shareable ? JSON.stringify([ks.namespace, ks.name, ks.spec, typeof srcSpec.ignore === "string" ? srcSpec.ignore : null]) : undefined;
    let result = key ? this.budget.builds.get(key) : undefined;
    if (!result) {
      result = build();
      if (!this.budget.take(result.ok ? result.resources.length : 0)) return undefined;
      if (key) this.budget.builds.set(key, result);
    }
    if (!result.ok) return result;
    return { ...result, resources: result.resources.map((r) => ({ ...r, data: structuredClone(r.data), previous: [...r.previous], rules: [...r.rules] })) };
  }

  private ignoreFor(src: LiveObject | undefined): IgnoreMatcher {
    const spec = src && isObj(src.data.spec) ? src.data.spec : {};
    const specIgnore = typeof spec.ignore === "string" ? spec.ignore : undefined;
    const key = specIgnore ?? "\u0000";
    let m = this.ignores.get(key);
    if (!m) {
      const files = this.tree
        .paths()
        .filter(isSourceIgnore)
        .map((p) => ({ path: p, content: this.tree.content(p) ?? "" }));
      m = IgnoreMatcher.forTree(files, specIgnore);
      this.ignores.set(key, m);
    }
    return m;
  }

  result(name: string, root: Root): Cluster {
    const { objects, problems } = resolveCopies(this.copies);
    return {
      name,
      fallback: false,
      root: { namespace: root.ks.namespace, name: root.ks.name, file: root.file, line: root.ks.line },
      objects,
      problems: [...this.problems, ...problems],
    };
  }
}

/** One object per identity; different copies make the identity ambiguous (reported, none used). */
function resolveCopies(copies: Map<string, LiveObject[]>): { objects: LiveObject[]; problems: Problem[] } {
  const objects: LiveObject[] = [];
  const problems: Problem[] = [];
  const ownerless = (o: LiveObject): string => {
    const labels = { ...labelsOf(o.data) };
    delete labels["kustomize.toolkit.fluxcd.io/name"];
    delete labels["kustomize.toolkit.fluxcd.io/namespace"];
    return JSON.stringify({ ...o.data, metadata: { ...(o.data.metadata as Obj), labels } });
  };
  for (const list of copies.values()) {
    const applied = list.filter((o) => o.appliedBy !== "bootstrap");
    const use = applied.length > 0 ? applied : list;
    const distinct = [...new Map(use.map((o) => [ownerless(o), o])).values()];
    if (distinct.length === 1) {
      objects.push(use[use.length - 1]);
      const places = new Set(use.map((o) => `${o.origin.file}:${o.origin.line}`));
      if (places.size > 1 && isRelevant(use[0].data)) {
        const o = use[0];
        problems.push(
          info(
            "manifest.duplicate-equal",
            `${kindOf(o.data)} ${namespaceOf(o.data)}/${nameOf(o.data)} is applied ${use.length} times with the same content (${[...places].join(", ")}); Flux applies the copies in turn: keep one`,
            { file: o.origin.file, line: o.origin.line },
          ),
        );
      }
      continue;
    }
    if (!isRelevant(use[0].data)) {
      objects.push(use[use.length - 1]);
      continue;
    }
    for (const o of use) {
      const others = use.filter((x) => x !== o).map((x) => `${x.origin.file}:${x.origin.line} (${x.appliedBy})`);
      problems.push(
        problem(
          "manifest.duplicate",
          `${kindOf(o.data)} ${namespaceOf(o.data)}/${nameOf(o.data)} is applied with different content here (${o.appliedBy}) and at ${others.join(", ")}; Flux would apply each in turn, so the bot uses neither: remove or rename one`,
          { file: o.origin.file, line: o.origin.line, object: `${kindOf(o.data)}/${namespaceOf(o.data)}/${nameOf(o.data)}` },
        ),
      );
    }
  }
  return { objects, problems };
}

/** The implicit cluster: kustomize roots built with kustomize semantics, other files at their raw identity. */
function fallbackCluster(tree: RepoTree): Cluster {
  const problems: Problem[] = [];
  const note =
    "no Flux Kustomization applies this repository and branch: every kustomization and file is taken as applied to one cluster (the bot's fallback, not Flux behaviour); objects without a namespace are taken in flux-system";
  const kfiles = tree.paths().filter((p) => tree.kustomizationFile(dirname(p)) === p);
  const included = new Set<string>();
  for (const kf of kfiles) for (const d of kustomizeRefs(tree, kf)) if (tree.kustomizationFile(d)) included.add(tree.kustomizationFile(d) as string);
  const copies = new Map<string, LiveObject[]>();
  const covered = new Set<string>();
  const add = (r: Resource, by: string): void => {
    if (!namespaceOf(r.data) && !["Namespace"].includes(kindOf(r.data))) {
      (r.data.metadata as Obj).namespace = "flux-system";
      r.rules.push("default namespace flux-system (nothing sets one)");
    }
    const k = identityKey(r.data);
    copies.set(k, [...(copies.get(k) ?? []), { ...r, appliedBy: by }]);
  };
  for (const kf of kfiles.filter((k) => !included.has(k))) {
    const builder = new Builder(tree);
    const refs = referencedFiles(tree, kf);
    for (const f of refs) covered.add(f);
    const relevant = [...refs].some((f) => /image\.toolkit\.fluxcd\.io/.test(tree.content(f) ?? ""));
    try {
      const built = builder.buildDir(dirname(kf));
      for (const f of builder.loaded) covered.add(f);
      for (const r of built) if (annotationsOf(r.data)["config.kubernetes.io/local-config"] !== "true") add(r, `kustomization ${kf}`);
      if (relevant) problems.push(...builder.warnings);
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      if (relevant)
        problems.push(problem("kustomization.failed", `${kf} fails to build: ${e.message}; the objects it lists are not used`, { file: e.file ?? kf }));
    }
  }
  for (const path of tree.paths()) {
    if (covered.has(path) || !/\.ya?ml$/.test(path) || tree.kustomizationFile(dirname(path)) === path) continue;
    if (!/image\.toolkit\.fluxcd\.io|source\.toolkit\.fluxcd\.io|kind:\s*Namespace\b/.test(tree.content(path) ?? "")) continue;
    for (const d of tree.documents(path).docs) {
      if (!isObj(d.data) || !str(d.data.kind) || !str(d.data.apiVersion)) continue;
      add(resourceFromDoc(d.data, d), "file");
    }
  }
  const resolved = resolveCopies(copies);
  return { name: "", fallback: true, note, objects: resolved.objects, problems: [...problems, ...resolved.problems] };
}

/** The repository paths a kustomization file names under `keys`, whatever they are (files, folders or nothing). */
function entriesOf(tree: RepoTree, kfile: string, keys: readonly string[]): string[] {
  const data = tree.documents(kfile).docs[0]?.data;
  if (!isObj(data)) return [];
  return keys
    .flatMap((key) => (Array.isArray(data[key]) ? data[key] : []))
    .flatMap((e) => (typeof e === "string" ? (joinInside(dirname(kfile), e) ?? []) : []));
}

/** Directories a kustomization file names in resources, bases and components. */
function kustomizeRefs(tree: RepoTree, kfile: string): string[] {
  return entriesOf(tree, kfile, ["resources", "bases", "components"]).filter((p) => tree.isDir(p));
}

/** Every file a kustomization reaches through resources, bases, components and strategic merge patches, built or not. */
function referencedFiles(tree: RepoTree, kfile: string, seen = new Set<string>()): Set<string> {
  if (seen.has(kfile)) return seen;
  seen.add(kfile);
  for (const p of entriesOf(tree, kfile, ["resources", "bases", "components", "patchesStrategicMerge"])) {
    const k = tree.isDir(p) ? tree.kustomizationFile(p) : undefined;
    if (k) referencedFiles(tree, k, seen);
    else if (tree.isFile(p)) seen.add(p);
  }
  return seen;
}
