/**
 * The repository as the cluster model sees it: files by path, directories
 * derived from them, and each YAML file parsed once however many builds read it.
 */
import { readDocuments, type ReadDocumentsResult } from "../manifests/documents.js";
import type { RepoFile } from "../types.js";
import { basename, compareBytes, dirname } from "./paths.js";

/** kustomize's accepted file names, in the order it looks them up (api/konfig/general.go). */
export const KUSTOMIZATION_FILE_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"] as const;

export class RepoTree {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Map<string, { dirs: Set<string>; files: Set<string> }>();
  private readonly parsed = new Map<string, ReadDocumentsResult>();

  constructor(files: readonly RepoFile[]) {
    this.dirs.set("", { dirs: new Set(), files: new Set() });
    for (const f of files) {
      this.files.set(f.path, f.content);
      let child = f.path;
      let dir = dirname(f.path);
      this.entry(dir).files.add(basename(f.path));
      while (child !== "") {
        const parent = dirname(child);
        if (child !== f.path) this.entry(parent).dirs.add(basename(child));
        if (dir === "") break;
        child = dir;
        dir = dirname(dir);
        this.entry(dir).dirs.add(basename(child));
      }
    }
  }

  private entry(dir: string): { dirs: Set<string>; files: Set<string> } {
    let e = this.dirs.get(dir);
    if (!e) {
      e = { dirs: new Set(), files: new Set() };
      this.dirs.set(dir, e);
    }
    return e;
  }

  isFile(path: string): boolean {
    return this.files.has(path);
  }

  isDir(path: string): boolean {
    return this.dirs.has(path);
  }

  content(path: string): string | undefined {
    return this.files.get(path);
  }

  private sorted?: string[];

  /** Every file path, sorted byte-wise (computed once). */
  paths(): string[] {
    this.sorted ??= [...this.files.keys()].sort(compareBytes);
    return this.sorted;
  }

  /** Names of the entries of a directory, sorted byte-wise, directories and files apart. */
  list(dir: string): { dirs: string[]; files: string[] } {
    const e = this.dirs.get(dir);
    return e ? { dirs: [...e.dirs].sort(compareBytes), files: [...e.files].sort(compareBytes) } : { dirs: [], files: [] };
  }

  /** The kustomization file of a directory, if it holds one. */
  kustomizationFile(dir: string): string | undefined {
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const p = dir === "" ? name : `${dir}/${name}`;
      if (this.files.has(p)) return p;
    }
    return undefined;
  }

  /** The YAML documents of a file, parsed once. */
  documents(path: string): ReadDocumentsResult {
    let p = this.parsed.get(path);
    if (!p) {
      p = readDocuments(path, this.files.get(path) ?? "");
      this.parsed.set(path, p);
    }
    return p;
  }
}
