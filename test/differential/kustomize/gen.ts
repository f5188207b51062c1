/**
 * Seeded generator of kustomize layouts for the differential against
 * `kubectl kustomize`: bases with resource files and sub-directories,
 * components, a chain of overlays reaching bases with `../`, and at each
 * level namespace, affixes, labels, annotations and patches. A rough model of
 * what each level holds lets patches aim at objects that exist (by current or
 * original name, kind or label); the oracle, not the model, decides.
 */
import path from "node:path";
import { stringify } from "yaml";
import type { Rng } from "../../helpers/gen-prng.js";
import { CLUSTER_KINDS, NAMESPACES, drawObject, labels, type Obj } from "./objects.js";
import { PatchGen, fallbackView, groupOf, rel, versionOf, type Draws, type View } from "./patch-gen.js";

export interface KCase {
  files: Array<{ path: string; content: string }>;
  /** the directory to build */
  dir: string;
  /** the generator features this case uses */
  features: string[];
}

const KUSTOMIZATION = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization" };
const COMPONENT = { apiVersion: "kustomize.config.k8s.io/v1alpha1", kind: "Component" };

class CaseGen implements Draws {
  readonly files = new Map<string, string>();
  readonly features = new Set<string>();
  private readonly patches = new PatchGen(this);
  /** per file: the objects it holds; per directory: its kustomization */
  private readonly fileViews = new Map<string, View[]>();
  private readonly levels = new Map<string, Obj>();
  private serial = 0;
  /** whether the level being written is a Component (its patches meet objects the model does not know) */
  inComponent = false;

  constructor(
    readonly rng: Rng,
    private readonly exclude: ReadonlySet<string>,
  ) {}

  /** A variant the run allows (not in the exclusion list); recorded when used. */
  allowed(feature: string): boolean {
    if (this.exclude.has(feature)) return false;
    this.features.add(feature);
    return true;
  }

  /** rng.bool(p) recording the feature; an excluded feature is never chosen (the draw still happens). */
  may(feature: string, p: number): boolean {
    if (!this.rng.bool(p) || this.exclude.has(feature)) return false;
    this.features.add(feature);
    return true;
  }

  /** A resource file of 1–3 objects, sometimes wrapped in a v1 List. */
  resourceFile(file: string, forced?: Obj[]): string {
    const r = this.rng;
    const docs: Obj[] = forced ?? [];
    for (let i = forced ? 0 : r.range(1, 3); i > 0; i--) {
      // mostly distinct names; the same name in several places makes the duplicate and conflict cases
      const unique = this.may("same-name", 0.2) ? "" : `-${++this.serial}`;
      docs.push(drawObject(r, this.may("cluster-kind-with-namespace", 0.05), unique).doc);
    }
    this.fileViews.set(
      file,
      docs.map((d) => {
        const meta = d.metadata as Obj;
        const name = meta.name as string;
        return {
          apiVersion: d.apiVersion as string,
          kind: d.kind as string,
          orig: name,
          cur: name,
          ns: (meta.namespace as string) ?? "",
          labels: { ...((meta.labels as Record<string, string>) ?? {}) },
        };
      }),
    );
    const text = this.may("list", 0.05) ? stringify({ apiVersion: "v1", kind: "List", items: docs }) : docs.map((d) => stringify(d)).join("---\n");
    this.files.set(file, text);
    return file;
  }

  /** Objects a directory's build would hold, by the model (fresh copies). */
  simulate(dir: string, acc: View[] = []): View[] {
    const k = this.levels.get(dir);
    if (!k) return acc;
    for (const e of (k.resources as string[] | undefined) ?? []) {
      const p = path.posix.join(dir, e);
      if (this.levels.has(p)) acc.push(...this.simulate(p));
      else acc.push(...structuredClone(this.fileViews.get(p) ?? []));
    }
    for (const c of (k.components as string[] | undefined) ?? []) this.simulate(path.posix.join(dir, c), acc);
    applyModel(k, acc);
    return acc;
  }

  /**
   * Writes the kustomization (or Component) of `dir` listing `entries`
   * (repository paths) and `components`, with own files and random transforms.
   */
  level(dir: string, as: "Kustomization" | "Component", entries: string[], components: string[] = []): void {
    const r = this.rng;
    const k: Obj = as === "Component" ? { ...COMPONENT } : r.bool(0.8) ? { ...KUSTOMIZATION } : {};
    const own = as === "Component" ? r.range(0, 2) : r.range(entries.length ? 0 : 1, 2);
    for (let i = 0; i < own; i++) entries.push(this.resourceFile(`${dir}/r${i}.yaml`));
    if (this.may("missing-file", 0.01)) entries.push(`${dir}/missing.yaml`);
    if (entries.length) k[this.may("bases-field", 0.03) && as === "Kustomization" ? "bases" : "resources"] = entries.map((e) => rel(dir, e));
    if (components.length) k.components = components.map((c) => rel(dir, c));
    this.levels.set(dir, k);
    const acc = this.simulate(dir);
    this.inComponent = as === "Component";
    this.transforms(dir, k, acc);
    // kustomize refuses a kustomization holding nothing but apiVersion and kind ("kustomization.yaml is empty")
    if (Object.keys(k).every((key) => key === "apiVersion" || key === "kind") && !this.allowed("empty-kustomization"))
      k.commonAnnotations = { "example.com/filler": "x" };
    const name = this.may("kustomization-file-name", 0.05) ? r.pick(["kustomization.yml", "Kustomization"]) : "kustomization.yaml";
    this.files.set(`${dir}/${name}`, stringify(k));
  }

  private transforms(dir: string, k: Obj, acc: View[]): void {
    const r = this.rng;
    if (this.may("namespace", 0.35)) k.namespace = r.pick(NAMESPACES);
    if (this.may("namePrefix", 0.35)) k.namePrefix = r.pick(["a-", "b-", "stg-", "x"]);
    if (this.may("nameSuffix", 0.25)) k.nameSuffix = r.pick(["-m", "-v2", "-z"]);
    if (this.may("labels", 0.3)) {
      k.labels = Array.from({ length: r.range(1, 2) }, () => {
        const l: Obj = { pairs: labels(r, r.range(1, 2)) };
        if (r.bool(0.5)) l.includeSelectors = r.bool();
        if (r.bool(0.3)) l.includeTemplates = true;
        return l;
      });
    }
    if (this.may("commonLabels", 0.2)) k.commonLabels = labels(r, r.range(1, 2));
    if (this.may("commonAnnotations", 0.2)) k.commonAnnotations = { "example.com/note": r.pick(["x", "z"]) };
    if (this.may("patches", 0.45)) k.patches = Array.from({ length: r.range(1, 2) }, (_, i) => this.patches.patch(dir, acc, `p${i}`));
    const smView = acc.length && this.may("patchesStrategicMerge", 0.15) ? this.patches.untargetedView(acc) : undefined;
    if (smView) k.patchesStrategicMerge = [this.patches.smEntry(dir, smView)];
    if (this.may("patchesJson6902", 0.08)) {
      const v = r.pick(acc.length ? acc : [fallbackView()]);
      const target = { group: groupOf(v.apiVersion) || undefined, version: versionOf(v.apiVersion), kind: v.kind, name: r.bool(0.5) ? v.orig : v.cur };
      const ops = this.patches
        .namespacedOnly(v, this.patches.jsonOps(v), target)
        .filter((op) => !String(op.path).match(/^\/metadata\/(name|namespace)$/) || this.allowed("patchesJson6902-identity"));
      k.patchesJson6902 = [
        { target: JSON.parse(JSON.stringify(target)), patch: JSON.stringify(ops.length ? ops : [{ op: "test", path: "/kind", value: v.kind }]) },
      ];
    }
  }
}

/** The model's view of one level's transforms (patches other than renames are left out). */
function applyModel(k: Obj, acc: View[]): void {
  const prefix = typeof k.namePrefix === "string" ? k.namePrefix : "";
  const suffix = typeof k.nameSuffix === "string" ? k.nameSuffix : "";
  for (const v of acc) {
    if (typeof k.namespace === "string" && v.kind === "Namespace") v.cur = k.namespace;
    else if (typeof k.namespace === "string" && !CLUSTER_KINDS.has(v.kind)) v.ns = k.namespace;
    if (!["Namespace", "CustomResourceDefinition"].includes(v.kind)) v.cur = `${prefix}${v.cur}${suffix}`;
    for (const l of (k.labels as Obj[] | undefined) ?? []) Object.assign(v.labels, l.pairs);
    Object.assign(v.labels, k.commonLabels ?? {});
  }
}

/** One generated case. */
export function genCase(rng: Rng, exclude: ReadonlySet<string> = new Set()): KCase {
  const g = new CaseGen(rng, exclude);
  const root = rng.pick(["", "apps/", "kubernetes/"]);
  // components first: bases and overlays list them
  const components: string[] = [];
  for (let i = rng.range(0, 2); i > 0 && g.may("components", 0.6); i--) {
    const dir = `${root}components/c${i}`;
    g.level(dir, "Component", []);
    components.push(dir);
  }
  const someComponents = (p: number): string[] => (components.length && g.may("use-components", p) ? components.filter(() => rng.bool(0.6)) : []);
  const bases: string[] = [];
  for (let i = rng.range(1, 3); i > 0; i--) {
    const dir = `${root}${rng.pick(["base", "bases"])}/b${i}`;
    const entries: string[] = [];
    if (g.may("sub-directory", 0.2)) {
      g.level(`${dir}/sub`, "Kustomization", []);
      entries.push(`${dir}/sub`);
    }
    if (g.may("namespace-conflict", 0.04)) {
      const cm = (namespace: string): Obj => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "clash", namespace }, data: { k: "v" } });
      entries.push(g.resourceFile(`${dir}/clash.yaml`, [cm("apps"), cm("team-a")]));
    }
    g.level(dir, "Kustomization", entries, someComponents(0.15));
    bases.push(dir);
  }
  if (g.may("build-a-base", 0.08)) return { files: [...g.files].map(([p, content]) => ({ path: p, content })), dir: bases[0], features: [...g.features] };
  let prev: string | undefined;
  for (let j = 0, n = rng.range(1, 3); j < n; j++) {
    const dir = `${root}${rng.pick(["overlays", "clusters/prod"])}/o${j}`;
    const entries: string[] = prev ? [prev] : [];
    for (const b of bases) if (!prev ? rng.bool(0.7) || entries.length === 0 : g.may("base-twice", 0.1)) entries.push(b);
    if (g.files.has(`${bases[0]}/r0.yaml`) && g.may("file-from-base", 0.08)) entries.push(`${bases[0]}/r0.yaml`);
    if (g.may("component-as-resource", 0.01) && components.length) entries.push(components[0]);
    if (g.may("directory-without-kustomization", 0.01)) {
      g.resourceFile(`${root}loose/r.yaml`);
      entries.push(`${root}loose`);
    }
    const comps = someComponents(0.35);
    if (g.may("kustomization-as-component", 0.01)) comps.push(bases[0]);
    g.level(dir, "Kustomization", entries, comps);
    prev = dir;
  }
  return { files: [...g.files].map(([p, content]) => ({ path: p, content })), dir: prev as string, features: [...g.features] };
}
