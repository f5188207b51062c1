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
import { CLUSTER_KINDS, LABEL_KEYS, LABEL_VALUES, NAMESPACES, drawObject, labels, type Obj } from "./objects.js";

export interface KCase {
  files: Array<{ path: string; content: string }>;
  /** the directory to build */
  dir: string;
  /** the generator features this case uses */
  features: string[];
}

/** What the model thinks one object is at some level. */
interface View {
  apiVersion: string;
  kind: string;
  orig: string;
  cur: string;
  ns: string;
  labels: Record<string, string>;
}

const KUSTOMIZATION = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization" };
const COMPONENT = { apiVersion: "kustomize.config.k8s.io/v1alpha1", kind: "Component" };
const rel = (from: string, to: string): string => path.posix.relative(from, to) || ".";
const groupOf = (av: string): string => (av.includes("/") ? av.split("/")[0] : "");
const versionOf = (av: string): string => av.split("/").pop() as string;

class CaseGen {
  readonly files = new Map<string, string>();
  readonly features = new Set<string>();
  /** per file: the objects it holds; per directory: its kustomization */
  private readonly fileViews = new Map<string, View[]>();
  private readonly levels = new Map<string, Obj>();
  private serial = 0;

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
      docs.push(drawObject(r, undefined, this.may("cluster-kind-with-namespace", 0.05), unique).doc);
    }
    this.fileViews.set(
      file,
      docs.map((d) => {
        const meta = d.metadata as Obj;
        const name = meta.name as string;
        return { apiVersion: d.apiVersion as string, kind: d.kind as string, orig: name, cur: name, ns: (meta.namespace as string) ?? "", labels: { ...((meta.labels as Record<string, string>) ?? {}) } };
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
    this.transforms(dir, k, acc);
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
    if (this.may("patches", 0.45)) k.patches = Array.from({ length: r.range(1, 2) }, (_, i) => this.patch(dir, acc, `p${i}`));
    if (acc.length && this.may("patchesStrategicMerge", 0.15)) k.patchesStrategicMerge = [this.smEntry(dir, acc)];
    if (this.may("patchesJson6902", 0.08)) {
      const v = r.pick(acc.length ? acc : [fallbackView()]);
      const target = { group: groupOf(v.apiVersion) || undefined, version: versionOf(v.apiVersion), kind: v.kind, name: r.bool(0.5) ? v.orig : v.cur };
      const ops = this.jsonOps(v).filter((op) => !String(op.path).match(/^\/metadata\/(name|namespace)$/) || this.allowed("patchesJson6902-identity"));
      k.patchesJson6902 = [{ target: JSON.parse(JSON.stringify(target)), patch: JSON.stringify(ops.length ? ops : [{ op: "test", path: "/kind", value: v.kind }]) }];
    }
  }

  private target(v: View): Obj {
    const r = this.rng;
    switch (r.int(7)) {
      case 0:
        this.features.add("target-name");
        return { kind: v.kind, name: v.cur };
      case 1:
        this.features.add("target-original-name");
        return { kind: v.kind, name: v.orig };
      case 2:
        this.features.add("target-kind");
        return { kind: v.kind };
      case 3: {
        this.features.add("target-labelSelector");
        const keys = Object.keys(v.labels);
        const key = keys.length ? r.pick(keys) : r.pick(LABEL_KEYS);
        return { labelSelector: r.bool(0.8) ? `${key}=${v.labels[key] ?? r.pick(LABEL_VALUES)}` : key };
      }
      case 4:
        this.features.add("target-name-regex");
        return { name: `${v.orig.slice(0, 2)}.*` };
      case 5:
        this.features.add("target-group-version");
        return JSON.parse(JSON.stringify({ group: groupOf(v.apiVersion) || undefined, version: versionOf(v.apiVersion), kind: v.kind }));
      default:
        this.features.add("target-name-only");
        return { name: v.cur };
    }
  }

  /** JSON 6902 operations on `v`; the ones that need a missing path (an error in both) only now and then. */
  private jsonOps(v: View): Obj[] {
    const r = this.rng;
    const ops: Obj[] = [];
    const labelKeys = Object.keys(v.labels);
    const missing = this.may("json-missing-path", 0.05);
    const escape = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");
    for (let i = r.range(1, 2); i > 0; i--) {
      const choice = r.int(6);
      if (choice === 0 && (labelKeys.length || missing)) {
        this.features.add("json-add-label");
        ops.push({ op: "add", path: `/metadata/labels/${escape(r.pick(LABEL_KEYS))}`, value: r.pick(LABEL_VALUES) });
      } else if (choice === 1 || choice === 0) {
        this.features.add("json-set-labels");
        ops.push({ op: "add", path: "/metadata/labels", value: labels(r, 1) });
      } else if (choice === 2 && (v.ns || missing) && this.allowed("json-replace-namespace")) {
        ops.push({ op: "replace", path: "/metadata/namespace", value: r.pick(NAMESPACES) });
      } else if (choice === 3 || choice === 2) {
        this.features.add("json-add-namespace");
        ops.push({ op: "add", path: "/metadata/namespace", value: r.pick(NAMESPACES) });
      } else if (choice === 4) {
        this.features.add("json-rename");
        ops.push({ op: "replace", path: "/metadata/name", value: `${v.cur}-p` });
      } else if (labelKeys.length || missing) {
        this.features.add("json-remove-label");
        ops.push({ op: "remove", path: `/metadata/labels/${escape(labelKeys.length && !missing ? r.pick(labelKeys) : "absent")}` });
      } else {
        this.features.add("json-test-kind");
        ops.push({ op: "test", path: "/kind", value: v.kind });
      }
    }
    return ops;
  }

  /** A strategic merge patch for `v`: labels, sometimes a namespace or a new name, rarely a delete. */
  private smDoc(v: View, targeted: boolean): Obj {
    const r = this.rng;
    const meta: Obj = {};
    // with a target the patch's name is not used to select, but kustomize still wants one
    if (!targeted || !this.may("sm-patch-without-name", 0.1)) meta.name = targeted && r.bool(0.3) ? "not-used" : v.cur;
    if (!targeted && v.ns) meta.namespace = v.ns;
    if (targeted && this.may("sm-namespace", 0.15)) meta.namespace = r.pick(NAMESPACES);
    if (r.bool(0.8)) meta.labels = labels(r, 1);
    const doc: Obj = { apiVersion: v.apiVersion, kind: v.kind, metadata: meta };
    if (this.may("sm-delete", 0.04)) doc.$patch = "delete";
    return doc;
  }

  private patch(dir: string, acc: View[], id: string): Obj {
    const r = this.rng;
    const v = r.pick(acc.length ? acc : [fallbackView()]);
    const entry: Obj = {};
    // a Component does not know what its parent holds: only targeted patches (that may select nothing)
    const targeted = acc.length === 0 || r.bool(0.8);
    const target = targeted ? this.target(v) : {};
    if (targeted) entry.target = target;
    let body: unknown;
    // a rename on a target that selects several objects gives them one name: kustomize refuses the duplicates
    const renameOne = (): void => {
      if (this.allowed("rename-several")) return;
      Object.assign(target, JSON.parse(JSON.stringify({ group: groupOf(v.apiVersion) || undefined, kind: v.kind, name: v.cur, namespace: v.ns || undefined })));
    };
    if (targeted && this.may("patch-json6902", 0.5)) {
      const ops = this.jsonOps(v);
      if (ops.some((op) => op.path === "/metadata/name")) renameOne();
      body = ops;
    } else {
      const doc = this.smDoc(v, targeted);
      if (targeted && this.may("sm-rename", 0.1)) {
        (doc.metadata as Obj).name = `${v.cur}-r`;
        entry.options = { allowNameChange: true };
        renameOne();
      }
      // a targeted strategic merge patch may meet objects of another kind than its own
      if (targeted && !target.kind && !this.allowed("sm-patch-other-kind")) Object.assign(target, { kind: v.kind });
      body = doc;
      this.features.add(targeted ? "sm-patch-target" : "sm-patch-untargeted");
    }
    if (this.may("patch-file", 0.3)) {
      const file = `${dir}/${id}.yaml`;
      this.files.set(file, stringify(body));
      entry.path = rel(dir, file);
    } else entry.patch = stringify(body);
    return entry;
  }

  private smEntry(dir: string, acc: View[]): string {
    const doc = this.smDoc(this.rng.pick(acc.length ? acc : [fallbackView()]), false);
    if (!this.rng.bool(0.5)) return stringify(doc);
    const file = `${dir}/sm.yaml`;
    this.files.set(file, stringify(doc));
    return "sm.yaml";
  }
}

function fallbackView(): View {
  return { apiVersion: "v1", kind: "ConfigMap", orig: "app", cur: "app", ns: "", labels: {} };
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
