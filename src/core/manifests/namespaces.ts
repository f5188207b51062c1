/**
 * Decides the namespace of objects that do not set metadata.namespace:
 * 1. the `namespace:` of the kustomize kustomization that includes the file,
 *    following `resources:` up the chain (the outermost namespace wins, as
 *    kustomize's namespace transformer of a parent overrides its children);
 * 2. else the `spec.targetNamespace` of a Flux Kustomization whose
 *    `spec.path` contains the file (the longest such path);
 * 3. else `flux-system`.
 */
import type { NamespaceSource } from "../types.js";
import type { Obj } from "./fields.js";
import { isObj } from "./fields.js";

export const DEFAULT_NAMESPACE = "flux-system";

export interface KustomizeFile {
  /** path of the kustomization file */
  file: string;
  namespace?: string;
  /** files and directories it includes, resolved to repository paths */
  includes: string[];
}

export interface FluxKustomization {
  file: string;
  path: string;
  targetNamespace?: string;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** Joins and normalises repository-relative paths; returns null when it escapes the root. */
export function joinPath(base: string, rel: string): string | null {
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

export function readKustomizeFile(file: string, data: unknown): KustomizeFile | null {
  if (!isObj(data)) return null;
  const kind = data.kind;
  if (kind !== undefined && kind !== "Kustomization") return null;
  if (typeof data.apiVersion === "string" && !data.apiVersion.startsWith("kustomize.config.k8s.io/")) return null;
  const dir = dirname(file);
  const includes: string[] = [];
  for (const key of ["resources", "bases", "components"]) {
    const list = (data as Obj)[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry !== "string" || /^[a-z]+:\/\//i.test(entry) || entry.startsWith("github.com/")) continue;
      const p = joinPath(dir, entry);
      if (p !== null) includes.push(p);
    }
  }
  return { file, namespace: typeof data.namespace === "string" && data.namespace ? data.namespace : undefined, includes };
}

export function readFluxKustomization(file: string, data: unknown): FluxKustomization | null {
  if (!isObj(data) || data.kind !== "Kustomization") return null;
  if (typeof data.apiVersion !== "string" || !data.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")) return null;
  const spec = isObj(data.spec) ? data.spec : {};
  const path = typeof spec.path === "string" ? joinPath("", spec.path) : "";
  return { file, path: path ?? "", targetNamespace: typeof spec.targetNamespace === "string" && spec.targetNamespace ? spec.targetNamespace : undefined };
}

export class NamespaceResolver {
  /** included path (file or directory) → kustomization files that include it */
  private readonly includedBy = new Map<string, KustomizeFile[]>();
  private readonly byFile = new Map<string, KustomizeFile>();
  /** directory → its kustomization file */
  private readonly byDir = new Map<string, KustomizeFile>();

  constructor(
    kustomizations: readonly KustomizeFile[],
    private readonly fluxKustomizations: readonly FluxKustomization[],
  ) {
    for (const k of kustomizations) {
      this.byFile.set(k.file, k);
      this.byDir.set(dirname(k.file), k);
      for (const inc of k.includes) {
        const list = this.includedBy.get(inc) ?? [];
        list.push(k);
        this.includedBy.set(inc, list);
      }
    }
  }

  /** Kustomization files that include `path` directly (as a file or as its directory's kustomization). */
  private parentsOf(path: string): KustomizeFile[] {
    const direct = this.includedBy.get(path) ?? [];
    const own = this.byFile.get(path);
    // a kustomization file is included when its directory is listed
    const viaDir = own ? (this.includedBy.get(dirname(path)) ?? []) : [];
    return [...direct, ...viaDir].filter((k) => k.file !== path);
  }

  /** The outermost namespace along the chain of kustomizations including `file`. */
  private kustomizeNamespace(file: string): string | undefined {
    let found: string | undefined;
    const seen = new Set<string>();
    let frontier = [file];
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const p of frontier) {
        for (const k of this.parentsOf(p)) {
          if (seen.has(k.file)) continue;
          seen.add(k.file);
          if (k.namespace) found = k.namespace;
          next.push(k.file);
        }
      }
      frontier = next.sort();
      if (seen.size > 10_000) break;
    }
    return found;
  }

  resolve(file: string): { namespace: string; source: NamespaceSource } {
    const kns = this.kustomizeNamespace(file);
    if (kns) return { namespace: kns, source: "kustomization" };
    let best: FluxKustomization | undefined;
    for (const fk of this.fluxKustomizations) {
      if (!fk.targetNamespace) continue;
      const inside = fk.path === "" || file === fk.path || file.startsWith(`${fk.path}/`);
      if (inside && (!best || fk.path.length > best.path.length)) best = fk;
    }
    if (best?.targetNamespace) return { namespace: best.targetNamespace, source: "flux-kustomization" };
    return { namespace: DEFAULT_NAMESPACE, source: "default" };
  }
}
