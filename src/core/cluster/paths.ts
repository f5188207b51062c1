/** Repository-relative, '/'-separated paths. */

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * Joins `rel` to `base` inside the repository root the way
 * github.com/cyphar/filepath-securejoin's SecureJoin does for Flux
 * (kustomize-controller `spec.path`, image-automation-controller
 * `spec.update.path`): `..` never climbs above the root, it stays there.
 * An absolute `rel` starts again at the root.
 */
export function secureJoin(base: string, rel: string): string {
  const out: string[] = [];
  const start = rel.startsWith("/") ? rel : `${base}/${rel}`;
  for (const part of start.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

/**
 * Joins a kustomization entry to its directory. kustomize resolves `..`
 * lexically; with Flux's LoadRestrictionsNone an entry may leave the
 * kustomization's directory but never the repository: null when it would.
 */
export function joinInside(base: string, rel: string): string | null {
  if (rel.startsWith("/")) return null;
  const out: string[] = [];
  for (const part of `${base}/${rel}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}

/** Byte-wise comparison, as Go's sort.Strings and filepath.Walk order names. */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isInside(dir: string, path: string): boolean {
  return dir === "" || path === dir || path.startsWith(`${dir}/`);
}
