/**
 * Builds Flux's update.Result (image-automation-controller `pkg/update/result.go`): file (relative to
 * spec.update.path) → object → changes, in file, document and value order.
 * A Go map keyed by ObjectIdentifier merges equal identifiers, so two
 * documents with the same identifier in one file share one entry.
 */
import type { Change, ObjectIdentifier, UpdateResult } from "../types.js";

function sameObject(a: ObjectIdentifier, b: ObjectIdentifier): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;
}

export class ResultBuilder {
  private readonly result: UpdateResult = { fileChanges: {} };

  add(file: string, object: ObjectIdentifier, change: Change): void {
    const objects = this.result.fileChanges[file] ?? [];
    this.result.fileChanges[file] = objects;
    let entry = objects.find((o) => sameObject(o.object, object));
    if (!entry) {
      entry = { object: { ...object }, changes: [] };
      objects.push(entry);
    }
    entry.changes.push(change);
  }

  build(): UpdateResult {
    return this.result;
  }
}
