/** Go-shaped TemplateData of IAC's templateMsg (source.TemplateData, update.Result, ...). */
import type { UpdateResult } from "../types.js";
import { GoMap, GoSlice, GoStruct, type GoType, type GoValue, mapOf, sliceOf, sortedEntries, T_ANY, T_MAP_STRING, T_STRING } from "../../go/index.js";

const str = (name: string, json?: string): { name: string; type: GoType; json?: string; omitEmpty?: boolean } => ({
  name,
  type: T_STRING,
  json,
  omitEmpty: json !== undefined,
});

export const T_NAMESPACED_NAME: GoType = {
  kind: "struct",
  name: "types.NamespacedName",
  named: true,
  fields: [str("Namespace"), str("Name")],
};
T_NAMESPACED_NAME.stringer = (v) => `${v.values[0] as string}/${v.values[1] as string}`;
/** The anonymous struct NamespacedName.MarshalLog returns (k8s.io/apimachinery/pkg/types/namespacedname.go). */
const T_NAMESPACED_NAME_LOG: GoType = {
  kind: "struct",
  name: 'struct { Name string "json:\\"name\\""; Namespace string "json:\\"namespace,omitempty\\"" }',
  named: false,
  fields: [
    { name: "Name", type: T_STRING, json: "name" },
    { name: "Namespace", type: T_STRING, json: "namespace", omitEmpty: true },
  ],
};
T_NAMESPACED_NAME.methods = {
  String: { params: [], result: T_STRING, call: (r) => T_NAMESPACED_NAME.stringer!(r as GoStruct) },
  MarshalLog: { params: [], result: T_ANY, call: (r) => new GoStruct(T_NAMESPACED_NAME_LOG, [(r as GoStruct).values[1]!, (r as GoStruct).values[0]!]) },
};

const T_TYPE_META: GoType = { kind: "struct", name: "yaml.TypeMeta", named: true, fields: [str("APIVersion", "apiVersion"), str("Kind", "kind")] };
const T_NAME_META: GoType = { kind: "struct", name: "yaml.NameMeta", named: true, fields: [str("Name", "name"), str("Namespace", "namespace")] };
const T_RESOURCE_ID: GoType = {
  kind: "struct",
  name: "yaml.ResourceIdentifier",
  named: true,
  fields: [
    { name: "TypeMeta", type: T_TYPE_META, embedded: true },
    { name: "NameMeta", type: T_NAME_META, embedded: true },
  ],
};
export const T_OBJECT_ID: GoType = {
  kind: "struct",
  name: "update.ObjectIdentifier",
  named: true,
  fields: [{ name: "ResourceIdentifier", type: T_RESOURCE_ID, embedded: true }],
};
export const T_CHANGE: GoType = {
  kind: "struct",
  name: "update.Change",
  named: true,
  fields: [str("OldValue"), str("NewValue"), str("Setter")],
};
const T_CHANGES = sliceOf(T_CHANGE);
export const T_OBJECT_CHANGES: GoType = { ...mapOf(T_OBJECT_ID, T_CHANGES), name: "update.ObjectChanges", named: true };
const T_FILE_CHANGES = mapOf(T_STRING, T_OBJECT_CHANGES);

export const T_RESULT: GoType = {
  kind: "struct",
  name: "update.Result",
  named: true,
  fields: [{ name: "FileChanges", type: T_FILE_CHANGES }],
};
T_RESULT.methods = {
  Changes: { params: [], result: T_CHANGES, call: (r) => changes(r as GoStruct) },
  Objects: { params: [], result: T_OBJECT_CHANGES, call: (r) => objects(r as GoStruct) },
};

export const T_TEMPLATE_DATA: GoType = {
  kind: "struct",
  name: "source.TemplateData",
  named: true,
  fields: [
    { name: "AutomationObject", type: T_NAMESPACED_NAME },
    { name: "Changed", type: T_RESULT },
    { name: "Values", type: T_MAP_STRING },
  ],
};

/** Iterates files in sorted order and objects in sorted order (Go's map order is random; we pick the sorted one). */
function* walk(r: GoStruct): Generator<[GoValue, GoSlice]> {
  const files = r.values[0] as GoMap;
  for (const [, objs] of sortedEntries(files)) {
    for (const [obj, ch] of sortedEntries(objs as GoMap)) yield [obj, ch as GoSlice];
  }
}

function changes(r: GoStruct): GoSlice {
  const seen = new Set<string>();
  const out: GoValue[] = [];
  for (const [, list] of walk(r)) {
    for (const c of list.items) {
      const id = JSON.stringify((c as GoStruct).values);
      if (!seen.has(id)) {
        seen.add(id);
        out.push(c);
      }
    }
  }
  // Go's `var changes []Change` stays nil when nothing is appended.
  return new GoSlice(T_CHANGES, out, out.length === 0);
}

function objects(r: GoStruct): GoMap {
  const m = new GoMap(T_OBJECT_CHANGES);
  for (const [obj, list] of walk(r)) {
    const prev = m.get(obj) as GoSlice | undefined;
    m.set(obj, new GoSlice(T_CHANGES, [...(prev?.items ?? []), ...list.items]));
  }
  return m;
}

export function objectId(o: { apiVersion: string; kind: string; name: string; namespace: string }): GoStruct {
  return new GoStruct(T_OBJECT_ID, [
    new GoStruct(T_RESOURCE_ID, [new GoStruct(T_TYPE_META, [o.apiVersion ?? "", o.kind ?? ""]), new GoStruct(T_NAME_META, [o.name ?? "", o.namespace ?? ""])]),
  ]);
}

/** update.Result; with no changes FileChanges is a nil map, as in IAC's zero Result. */
export function buildResult(result: UpdateResult): GoStruct {
  const changed = Object.entries(result.fileChanges ?? {});
  const files = new GoMap(T_FILE_CHANGES, changed.length === 0);
  for (const [file, entries] of changed) {
    const objs = new GoMap(T_OBJECT_CHANGES);
    for (const e of entries) {
      const id = objectId(e.object);
      const prev = objs.get(id) as GoSlice | undefined;
      const cs = e.changes.map((c) => new GoStruct(T_CHANGE, [c.oldValue, c.newValue, c.setter]));
      objs.set(id, new GoSlice(T_CHANGES, [...(prev?.items ?? []), ...cs]));
    }
    files.set(file, objs);
  }
  return new GoStruct(T_RESULT, [files]);
}

export function buildTemplateData(automation: { namespace: string; name: string }, result: UpdateResult, values: Record<string, string> | undefined): GoStruct {
  // messageTemplateValues left out of the spec is a nil map in Go.
  const vals = new GoMap(T_MAP_STRING, values === undefined);
  for (const [k, v] of Object.entries(values ?? {})) vals.set(k, v);
  return new GoStruct(T_TEMPLATE_DATA, [new GoStruct(T_NAMESPACED_NAME, [automation.namespace, automation.name]), buildResult(result), vals]);
}
