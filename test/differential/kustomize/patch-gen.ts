/**
 * The patches of the kustomize differential's generator: targets by current
 * or original name, kind, group and version, label selector or name regexp;
 * JSON 6902 operations on labels, namespace and name; strategic merge patches
 * with and without target, renames allowed by `allowNameChange`, deletions.
 */
import path from "node:path";
import { stringify } from "yaml";
import type { Rng } from "../../helpers/gen-prng.js";
import { CLUSTER_KINDS, LABEL_KEYS, LABEL_VALUES, NAMESPACES, labels, type Obj } from "./objects.js";

/** What the generator's model thinks one object is at some level. */
export interface View {
  apiVersion: string;
  kind: string;
  orig: string;
  cur: string;
  ns: string;
  labels: Record<string, string>;
}

/** The generator's draws, features and files, shared with the patch generator. */
export interface Draws {
  readonly rng: Rng;
  readonly features: Set<string>;
  readonly files: Map<string, string>;
  readonly inComponent: boolean;
  may(feature: string, p: number): boolean;
  allowed(feature: string): boolean;
}

export const rel = (from: string, to: string): string => path.posix.relative(from, to) || ".";
export const groupOf = (av: string): string => (av.includes("/") ? av.split("/")[0] : "");
export const versionOf = (av: string): string => av.split("/").pop() as string;

export function fallbackView(): View {
  return { apiVersion: "v1", kind: "ConfigMap", orig: "app", cur: "app", ns: "", labels: {} };
}

export class PatchGen {
  constructor(private readonly g: Draws) {}

  target(v: View): Obj {
    const r = this.g.rng;
    switch (r.int(7)) {
      case 0:
        this.g.features.add("target-name");
        return { kind: v.kind, name: v.cur };
      case 1:
        this.g.features.add("target-original-name");
        return { kind: v.kind, name: v.orig };
      case 2:
        this.g.features.add("target-kind");
        return { kind: v.kind };
      case 3: {
        this.g.features.add("target-labelSelector");
        const keys = Object.keys(v.labels);
        const key = keys.length ? r.pick(keys) : r.pick(LABEL_KEYS);
        return { labelSelector: r.bool(0.8) ? `${key}=${v.labels[key] ?? r.pick(LABEL_VALUES)}` : key };
      }
      case 4:
        this.g.features.add("target-name-regex");
        return { name: `${v.orig.slice(0, 2)}.*` };
      case 5:
        this.g.features.add("target-group-version");
        return JSON.parse(JSON.stringify({ group: groupOf(v.apiVersion) || undefined, version: versionOf(v.apiVersion), kind: v.kind }));
      default:
        this.g.features.add("target-name-only");
        return { name: v.cur };
    }
  }

  /** JSON 6902 operations on `v`; the ones that need a missing path (an error in both) only now and then. */
  jsonOps(v: View): Obj[] {
    const r = this.g.rng;
    const ops: Obj[] = [];
    const labelKeys = Object.keys(v.labels);
    const missing = this.g.may("json-missing-path", 0.05);
    const escapePointer = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");
    for (let i = r.range(1, 2); i > 0; i--) {
      const choice = r.int(6);
      if (choice === 0 && (labelKeys.length || missing)) {
        this.g.features.add("json-add-label");
        ops.push({ op: "add", path: `/metadata/labels/${escapePointer(r.pick(LABEL_KEYS))}`, value: r.pick(LABEL_VALUES) });
      } else if (choice === 1 || choice === 0) {
        this.g.features.add("json-set-labels");
        ops.push({ op: "add", path: "/metadata/labels", value: labels(r, 1) });
      } else if (choice === 2 && (v.ns || missing) && this.g.allowed("json-replace-namespace")) {
        ops.push({ op: "replace", path: "/metadata/namespace", value: r.pick(NAMESPACES) });
      } else if (choice === 3 || choice === 2) {
        this.g.features.add("json-add-namespace");
        ops.push({ op: "add", path: "/metadata/namespace", value: r.pick(NAMESPACES) });
      } else if (choice === 4) {
        this.g.features.add("json-rename");
        ops.push({ op: "replace", path: "/metadata/name", value: `${v.cur}-p` });
      } else if (labelKeys.length || missing) {
        this.g.features.add("json-remove-label");
        ops.push({ op: "remove", path: `/metadata/labels/${escapePointer(labelKeys.length && !missing ? r.pick(labelKeys) : "absent")}` });
      } else {
        this.g.features.add("json-test-kind");
        ops.push({ op: "test", path: "/kind", value: v.kind });
      }
    }
    return ops;
  }

  /**
   * Unless allowed, JSON operations never give a cluster-scoped object a
   * namespace: drops them for `v` of such a kind, narrows the target to `v`'s kind otherwise.
   */
  namespacedOnly(v: View, ops: Obj[], target: Obj): Obj[] {
    if (!ops.some((op) => op.path === "/metadata/namespace") || this.g.allowed("cluster-kind-with-namespace")) return ops;
    if (CLUSTER_KINDS.has(v.kind)) {
      const kept = ops.filter((op) => op.path !== "/metadata/namespace");
      return kept.length ? kept : [{ op: "test", path: "/kind", value: v.kind }];
    }
    target.kind = v.kind;
    return ops;
  }

  /** A strategic merge patch for `v`: labels, sometimes a namespace or a new name, rarely a delete. */
  smDoc(v: View, targeted: boolean): Obj {
    const r = this.g.rng;
    const meta: Obj = {};
    // with a target the patch's name is not used to select, but kustomize still wants one
    if (!targeted || !this.g.may("sm-patch-without-name", 0.1)) meta.name = targeted && r.bool(0.3) ? "not-used" : v.cur;
    if (!targeted && v.ns) meta.namespace = v.ns;
    if (targeted && this.g.may("sm-namespace", 0.15)) meta.namespace = r.pick(NAMESPACES);
    if (r.bool(0.8)) meta.labels = labels(r, 1);
    const doc: Obj = { apiVersion: v.apiVersion, kind: v.kind, metadata: meta };
    if (this.g.may("sm-delete", 0.04)) doc.$patch = "delete";
    return doc;
  }

  /**
   * An object for a patch without target; unless allowed, one that no other
   * object of its kind shares a name with (current or original), and none in a
   * Component (whose parent's objects the model does not see).
   */
  untargetedView(acc: View[]): View | undefined {
    const names = (v: View): string[] => [v.cur, v.orig];
    const clear = acc.filter((v) => !acc.some((w) => w !== v && w.kind === v.kind && names(w).some((n) => names(v).includes(n))));
    if (this.g.inComponent && !this.g.allowed("sm-patch-ambiguous")) return undefined;
    const pool = clear.length === acc.length || this.g.allowed("sm-patch-ambiguous") ? acc : clear;
    return pool.length ? this.g.rng.pick(pool) : undefined;
  }

  patch(dir: string, acc: View[], id: string): Obj {
    const r = this.g.rng;
    const entry: Obj = {};
    // a Component does not know what its parent holds: only targeted patches (that may select nothing)
    const untargeted = acc.length > 0 && r.bool(0.2) ? this.untargetedView(acc) : undefined;
    const targeted = !untargeted;
    const v = untargeted ?? r.pick(acc.length ? acc : [fallbackView()]);
    const target = targeted ? this.target(v) : {};
    if (targeted) entry.target = target;
    let body: unknown;
    // a rename on a target that selects several objects gives them one name: kustomize refuses the duplicates
    const renameOne = (): void => {
      if (this.g.allowed("rename-several")) return;
      Object.assign(target, { kind: v.kind, name: v.cur });
      if (groupOf(v.apiVersion)) target.group = groupOf(v.apiVersion);
      if (v.ns && this.g.allowed("target-namespace")) target.namespace = v.ns;
    };
    if (targeted && this.g.may("patch-json6902", 0.5)) {
      const ops = this.namespacedOnly(v, this.jsonOps(v), target);
      if (ops.some((op) => op.path === "/metadata/name")) renameOne();
      body = ops;
    } else {
      const doc = this.smDoc(v, targeted);
      if (targeted && this.g.may("sm-rename", 0.1)) {
        (doc.metadata as Obj).name = `${v.cur}-r`;
        entry.options = { allowNameChange: true };
        renameOne();
      }
      // a targeted strategic merge patch may meet objects of another kind than its own
      if (targeted && !target.kind && !this.g.allowed("sm-patch-other-kind")) Object.assign(target, { kind: v.kind });
      body = doc;
      this.g.features.add(targeted ? "sm-patch-target" : "sm-patch-untargeted");
    }
    if (this.g.may("patch-file", 0.3)) {
      const file = `${dir}/${id}.yaml`;
      this.g.files.set(file, stringify(body));
      entry.path = rel(dir, file);
    } else entry.patch = stringify(body);
    return entry;
  }

  smEntry(dir: string, v: View): string {
    const doc = this.smDoc(v, false);
    if (!this.g.rng.bool(0.5)) return stringify(doc);
    const file = `${dir}/sm.yaml`;
    this.g.files.set(file, stringify(doc));
    return "sm.yaml";
  }
}
