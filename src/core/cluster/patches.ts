/**
 * kustomize patches on plain objects: strategic merge (custom resources have
 * no schema, so maps merge and lists are replaced) and RFC 6902 JSON patches,
 * with kustomize's target selection (api/resmap/reswrangler.go `Select`,
 * api/types/selector.go).
 */
import { isObj, type Obj } from "../manifests/fields.js";
import { compileGo } from "../../go/index.js";
import {
  annotationsOf,
  apiVersionOf,
  groupOf,
  kindOf,
  labelsOf,
  metaOf,
  nameOf,
  namespaceOf,
  sameNamespace,
  str,
  versionOf,
  type Resource,
} from "./resource.js";

export class PatchError extends Error {}

/** Strategic merge of `patch` into `target` as kustomize does for kinds without a schema. */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  if (patch.$patch === "replace") {
    const { $patch: _p, ...rest } = patch;
    return rest;
  }
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch") continue;
    if (v === null) delete out[k];
    else if (isObj(v) && v.$patch === "delete") delete out[k];
    else out[k] = isObj(v) ? strategicMerge(out[k], v) : v;
  }
  return out;
}

/**
 * Applies a strategic-merge patch to one resource, as kustomize's
 * Resource.ApplySmPatch: the namespace always stays, the name and kind stay
 * unless the patch allows their change. Returns false when the patch deletes the resource.
 */
export function applySmPatch(r: Resource, patch: Obj, opts: { allowNameChange?: boolean; allowKindChange?: boolean } = {}): boolean {
  if (patch.$patch === "delete") return false;
  const name = nameOf(r.data);
  const namespace = namespaceOf(r.data);
  const kind = kindOf(r.data);
  const apiVersion = r.data.apiVersion;
  const merged = strategicMerge(r.data, patch) as Obj;
  for (const k of Object.keys(r.data)) delete r.data[k];
  Object.assign(r.data, merged);
  if (!opts.allowKindChange) {
    r.data.kind = kind;
    r.data.apiVersion = apiVersion;
  }
  const meta = metaOf(r.data);
  if (!opts.allowNameChange) meta.name = name;
  else if (str(meta.name) !== name) r.previous.push({ name, namespace });
  if (namespace) meta.namespace = namespace;
  else delete meta.namespace;
  return true;
}

function decodePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(`JSON patch path "${path}" must start with /`);
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(root: Obj, parts: string[], path: string): { parent: Obj | unknown[]; key: string } {
  let cur: unknown = root;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObj(cur)) cur = cur[p];
    else cur = undefined;
    if (cur === undefined) throw new PatchError(`JSON patch path "${path}" does not exist`);
  }
  if (!isObj(cur) && !Array.isArray(cur)) throw new PatchError(`JSON patch path "${path}" does not exist`);
  return { parent: cur as Obj | unknown[], key: parts[parts.length - 1] };
}

function getAt(root: Obj, path: string): unknown {
  let cur: unknown = root;
  for (const p of decodePointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObj(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

function index(arr: unknown[], key: string, path: string, forAdd: boolean): number {
  if (forAdd && key === "-") return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(key)) throw new PatchError(`JSON patch path "${path}": "${key}" is not an array index`);
  const i = Number(key);
  if (i > arr.length || (!forAdd && i === arr.length)) throw new PatchError(`JSON patch path "${path}": index ${i} out of range`);
  return i;
}

function removeAt(root: Obj, path: string): unknown {
  const { parent, key } = parentOf(root, decodePointer(path), path);
  if (Array.isArray(parent)) return parent.splice(index(parent, key, path, false), 1)[0];
  if (!(key in parent)) throw new PatchError(`JSON patch remove: path "${path}" does not exist`);
  const v = parent[key];
  delete parent[key];
  return v;
}

function addAt(root: Obj, path: string, value: unknown): void {
  const { parent, key } = parentOf(root, decodePointer(path), path);
  if (Array.isArray(parent)) parent.splice(index(parent, key, path, true), 0, value);
  else parent[key] = value;
}

/** RFC 6902 on a resource's data (kustomize applies it after converting to JSON). */
export function applyJsonPatch(data: Obj, ops: unknown[]): void {
  let copied = 0;
  for (const raw of ops) {
    if (!isObj(raw) || typeof raw.op !== "string" || typeof raw.path !== "string") throw new PatchError("each JSON patch operation needs op and path");
    const { op, path } = raw;
    if (path === "") throw new PatchError("a JSON patch on the whole object is not supported");
    const value = structuredClone(raw.value);
    switch (op) {
      case "add":
        addAt(data, path, value);
        break;
      case "remove":
        removeAt(data, path);
        break;
      case "replace": {
        // evanphx/json-patch, as kustomize uses it, adds a missing key of an existing map
        const { parent, key } = parentOf(data, decodePointer(path), path);
        if (Array.isArray(parent) || key in parent) removeAt(data, path);
        addAt(data, path, value);
        break;
      }
      case "move":
      case "copy": {
        const from = str(raw.from);
        const v = op === "move" ? removeAt(data, from) : structuredClone(getAt(data, from));
        if (v === undefined) throw new PatchError(`JSON patch ${op}: from "${from}" does not exist`);
        // copies can double an object at each step: bound what they add
        if (op === "copy") copied += JSON.stringify(v).length;
        if (copied > 1024 * 1024) throw new PatchError("JSON patch copies more than 1 MB");
        addAt(data, path, v);
        break;
      }
      case "test":
        if (JSON.stringify(getAt(data, path)) !== JSON.stringify(raw.value)) throw new PatchError(`JSON patch test failed at "${path}"`);
        break;
      default:
        throw new PatchError(`unknown JSON patch op "${op}"`);
    }
  }
}

export interface Target {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export function readTarget(v: unknown): Target | undefined {
  if (!isObj(v)) return undefined;
  const t: Target = {};
  for (const k of ["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"] as const)
    if (typeof v[k] === "string" && v[k] !== "") t[k] = v[k] as string;
  return t;
}

/** kustomize compiles selector fields as anchored Go regexps (api/types/selector.go). */
const compiled = new Map<string, ReturnType<typeof compileGo>>();

function matches(pattern: string | undefined, value: string): boolean {
  if (pattern === undefined) return true;
  // one compile per pattern, however many objects a patch is tried on (bounded, oldest first out)
  let re = compiled.get(pattern);
  if (!re) {
    re = compileGo(`^(?:${pattern})$`);
    if (compiled.size >= 256) compiled.delete(compiled.keys().next().value as string);
    compiled.set(pattern, re);
  }
  return re.matchString(value);
}

/** A Kubernetes label selector string: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`. */
export function matchesSelectorString(selector: string, labels: Record<string, string>): boolean {
  const parts = selector.match(/(?:[^,(]|\([^)]*\))+/g) ?? [];
  return parts.every((raw) => {
    const p = raw.trim();
    if (p === "") return true;
    let m = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(p);
    if (m) return m[2] === "!=" ? labels[m[1]] !== m[3] : labels[m[1]] === m[3];
    m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(p);
    if (m) {
      const values = m[3].split(",").map((s) => s.trim());
      const has = Object.hasOwn(labels, m[1]);
      return m[2] === "in" ? has && values.includes(labels[m[1]]) : !has || !values.includes(labels[m[1]]);
    }
    if (p.startsWith("!")) return !Object.hasOwn(labels, p.slice(1).trim());
    if (/^\S+$/.test(p)) return Object.hasOwn(labels, p);
    throw new PatchError(`unable to parse selector "${selector}"`);
  });
}

/**
 * kustomize's OrgId (api/resource/resource.go): the first id it stored before
 * a rename, else the current one. Transforms that keep no previous id
 * (patchesJson6902) make it forget the id in the file.
 */
export function orgId(r: Resource): { name: string; namespace: string } {
  return r.previous[0] ?? { name: nameOf(r.data), namespace: namespaceOf(r.data) };
}

/** Does a patch target select the resource? Its original or its current id must match. */
export function selects(t: Target, r: Resource): boolean {
  const av = apiVersionOf(r.data);
  if (!matches(t.group, groupOf(av)) || !matches(t.version, versionOf(av)) || !matches(t.kind, kindOf(r.data))) return false;
  // kustomize matches the name against the original or current name and, separately, the namespace likewise
  const nsMatch = (pattern: string | undefined, ns: string): boolean => pattern === undefined || matches(pattern, ns || "default") || matches(pattern, ns);
  const org = orgId(r);
  if (!matches(t.name, org.name) && !matches(t.name, nameOf(r.data))) return false;
  if (!nsMatch(t.namespace, org.namespace) && !nsMatch(t.namespace, namespaceOf(r.data))) return false;
  if (t.labelSelector && !matchesSelectorString(t.labelSelector, labelsOf(r.data))) return false;
  if (t.annotationSelector && !matchesSelectorString(t.annotationSelector, annotationsOf(r.data))) return false;
  return true;
}

/** Resources a strategic-merge patch without target applies to: same kind, name and namespace by any id they had. */
export function smTargets(patch: Obj, resources: readonly Resource[]): Resource[] {
  const meta = isObj(patch.metadata) ? patch.metadata : {};
  const name = str(meta.name);
  const ns = str(meta.namespace);
  const group = groupOf(str(patch.apiVersion));
  return resources.filter((r) => {
    if (kindOf(r.data) !== str(patch.kind) || groupOf(apiVersionOf(r.data)) !== group) return false;
    const ids = [{ name: nameOf(r.data), namespace: namespaceOf(r.data) }, ...r.previous];
    return ids.some((id) => id.name === name && sameNamespace(id.namespace, ns));
  });
}
