/**
 * The Setters update strategy (image-automation-controller `pkg/update/setters.go`,
 * on kyaml `setters2`): rewrites values marked
 * with `$imagepolicy` comments, in place, and returns Flux's change record.
 */
import type { RepoFile } from "../types.js";
import { problem } from "../errors.js";
import { applyToFile } from "./apply.js";
import type { SetterOutput, SetterPolicy } from "./model.js";
import { isSetterCandidate, normaliseUpdatePath, relativeToUpdatePath } from "./paths.js";
import { makeResolver } from "./resolve.js";
import { ResultBuilder } from "./result.js";

export type { MarkerInfo, SetterOutput, SetterPolicy } from "./model.js";
export type { SetterField } from "./markers.js";
export { isSetterCandidate } from "./paths.js";
export { setterValue } from "./resolve.js";
export { parseMarkerComment, parseSetterName } from "./markers.js";

/** Files without this exact token (quotes included) are never parsed, as in Flux's screening reader. */
export const MARKER_TOKEN = '"$imagepolicy"';

/**
 * files: repository files (paths relative to repo root, '/'-separated); only
 * those under updatePath and passing screening are touched.
 */
export function applySetters(
  files: readonly RepoFile[],
  policies: readonly SetterPolicy[],
  opts: { automationNamespace: string; updatePath?: string },
): SetterOutput {
  const output: SetterOutput = { changed: [], result: { fileChanges: {} }, markers: [], problems: [] };
  const updatePath = normaliseUpdatePath(opts.updatePath);
  if (updatePath === null) {
    output.problems.push(
      problem("setters.invalid-path", "spec.update.path points outside the repository. Use a path inside the repository, such as ./clusters/production."),
    );
    return output;
  }
  const resolver = makeResolver(policies, opts.automationNamespace);
  const result = new ResultBuilder();
  for (const file of files) {
    const key = relativeToUpdatePath(file.path, updatePath);
    if (key === null || !isSetterCandidate(file.path) || !file.content.includes(MARKER_TOKEN)) continue;
    const outcome = applyToFile(file.path, file.content, resolver);
    output.markers.push(...outcome.markers);
    output.problems.push(...outcome.problems);
    for (const { object, change } of outcome.changes) result.add(key, object, change);
    if (outcome.content !== null && outcome.content !== file.content) output.changed.push({ path: file.path, content: outcome.content });
  }
  output.result = result.build();
  return output;
}
