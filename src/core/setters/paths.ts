/**
 * File screening (image-automation-controller `pkg/update/filereader.go`, ScreeningLocalReader) and
 * spec.update.path handling.
 */

/** Name screening: `.yaml`/`.yml` (case-sensitive) or base name exactly `Kustomization`. */
export function isSetterCandidate(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base.endsWith(".yaml") || base.endsWith(".yml") || base === "Kustomization";
}

/**
 * Joins spec.update.path to the checkout as image-automation-controller does
 * (github.com/cyphar/filepath-securejoin SecureJoin): a '/'-separated path
 * relative to the repository root ("" for the root). `./yes`, `yes/`, `/yes`
 * and `a/../yes` all give `yes`; a `..` that would climb above the root stays
 * at the root (`../../apps/base` is `apps/base`). Never null: kept nullable
 * for callers that refuse other paths.
 */
export function normaliseUpdatePath(path: string | undefined): string | null {
  if (!path) return "";
  const out: string[] = [];
  for (const seg of path.replace(/\\/g, "/").split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return out.join("/");
}

/**
 * The key of `file` in the result, relative to the update path, or null when
 * the file is outside it. When the update path is the file itself, the key is
 * its base name (Flux makes paths relative to the file's directory).
 */
export function relativeToUpdatePath(file: string, updatePath: string): string | null {
  if (updatePath === "") return file;
  if (file === updatePath) return file.slice(file.lastIndexOf("/") + 1);
  if (file.startsWith(updatePath + "/")) return file.slice(updatePath.length + 1);
  return null;
}
