/** Flattening the change record for display (CLI, pull requests, dashboard). */
import type { AutomationPlan } from "./plan.js";

export interface FlatChange {
  /** path relative to the repository root */
  file: string;
  /** `Kind/namespace/name` of the YAML document (parts may be empty) */
  object: string;
  oldValue: string;
  newValue: string;
  /** marker name, e.g. `flux-system:app:tag` */
  setter: string;
}

/** Joins spec.update.path and a path relative to it. */
export function repoPath(updatePath: string | undefined, file: string): string {
  const base = (updatePath ?? "")
    .replace(/^(\.\/)+/, "")
    .replace(/^\.$/, "")
    .replace(/\/+$/, "");
  return base ? `${base}/${file}` : file;
}

export function flatChanges(plan: Pick<AutomationPlan, "automation" | "result">): FlatChange[] {
  const out: FlatChange[] = [];
  const updatePath = plan.automation.spec.update?.path;
  for (const [file, objs] of Object.entries(plan.result.fileChanges)) {
    for (const { object, changes } of objs) {
      for (const c of changes)
        out.push({ file: repoPath(updatePath, file), object: objectLabel(object), oldValue: c.oldValue, newValue: c.newValue, setter: c.setter });
    }
  }
  return out;
}

/** `Kind/namespace/name`, leaving out what the document does not set (a kustomization.yaml has neither name nor namespace). */
export function objectLabel(o: { kind: string; namespace: string; name: string }): string {
  return [o.kind || "document", o.namespace, o.name].filter(Boolean).join("/");
}
