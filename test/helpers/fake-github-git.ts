/**
 * In-memory git object store for the fake GitHub API. Object ids are real git SHA-1s
 * (`<type> <size>\0<payload>`), so shas look and behave like GitHub's.
 */
import { createHash } from "node:crypto";

export interface Person {
  name: string;
  email: string;
  date: string;
}

export interface TreeItem {
  name: string;
  /** "100644", "100755", "120000", "040000" (tree) or "160000" (submodule). */
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
}

export type GitObject =
  | { type: "blob"; content: Buffer }
  | { type: "tree"; items: TreeItem[] }
  | { type: "commit"; tree: string; parents: string[]; author: Person; committer: Person; message: string };

export interface FlatFile {
  mode: string;
  sha: string;
}

function hashObject(type: string, payload: Buffer): string {
  return createHash("sha1")
    .update(Buffer.concat([Buffer.from(`${type} ${payload.length}\0`), payload]))
    .digest("hex");
}

/** Git sorts tree entries by name, with subtrees compared as if they ended in "/". */
function gitOrder(a: TreeItem, b: TreeItem): number {
  const ka = a.type === "tree" ? `${a.name}/` : a.name;
  const kb = b.type === "tree" ? `${b.name}/` : b.name;
  return Buffer.compare(Buffer.from(ka), Buffer.from(kb));
}

function personLine(role: string, p: Person): string {
  return `${role} ${p.name} <${p.email}> ${Math.floor(Date.parse(p.date) / 1000)} +0000`;
}

export class GitStore {
  readonly objects = new Map<string, GitObject>();

  putBlob(content: string | Buffer): string {
    const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    const sha = hashObject("blob", buf);
    this.objects.set(sha, { type: "blob", content: buf });
    return sha;
  }

  putTree(items: TreeItem[]): string {
    const sorted = [...items].sort(gitOrder);
    const payload = Buffer.concat(sorted.map((i) => Buffer.concat([Buffer.from(`${i.mode.replace(/^0+/, "")} ${i.name}\0`), Buffer.from(i.sha, "hex")])));
    const sha = hashObject("tree", payload);
    this.objects.set(sha, { type: "tree", items: sorted });
    return sha;
  }

  putCommit(c: { tree: string; parents: string[]; author: Person; committer: Person; message: string }): string {
    const lines = [
      `tree ${c.tree}`,
      ...c.parents.map((p) => `parent ${p}`),
      personLine("author", c.author),
      personLine("committer", c.committer),
      "",
      c.message,
    ];
    const sha = hashObject("commit", Buffer.from(lines.join("\n")));
    this.objects.set(sha, { type: "commit", ...c });
    return sha;
  }

  get<T extends GitObject["type"]>(sha: string, type: T): Extract<GitObject, { type: T }> | undefined {
    const o = this.objects.get(sha);
    return o && o.type === type ? (o as Extract<GitObject, { type: T }>) : undefined;
  }

  /** Every blob under a tree, by '/'-joined path. */
  flatten(treeSha: string, prefix = "", out = new Map<string, FlatFile>()): Map<string, FlatFile> {
    const t = this.get(treeSha, "tree");
    if (!t) throw new Error(`no tree ${treeSha}`);
    for (const i of t.items) {
      if (i.type === "tree") this.flatten(i.sha, `${prefix}${i.name}/`, out);
      else out.set(prefix + i.name, { mode: i.mode, sha: i.sha });
    }
    return out;
  }

  /** Builds nested trees from a flat path map and returns the root tree sha. */
  buildTree(files: Map<string, FlatFile>): string {
    const here: TreeItem[] = [];
    const sub = new Map<string, Map<string, FlatFile>>();
    for (const [path, f] of files) {
      const slash = path.indexOf("/");
      if (slash < 0) {
        here.push({ name: path, mode: f.mode, type: f.mode === "160000" ? "commit" : "blob", sha: f.sha });
      } else {
        const dir = path.slice(0, slash);
        if (!sub.has(dir)) sub.set(dir, new Map());
        sub.get(dir)!.set(path.slice(slash + 1), f);
      }
    }
    for (const [dir, inner] of sub) here.push({ name: dir, mode: "040000", type: "tree", sha: this.buildTree(inner) });
    return this.putTree(here);
  }

  /** Recursive listing as `GET git/trees/{sha}?recursive=1` returns it (trees and blobs, depth first). */
  listRecursive(treeSha: string, prefix = ""): Array<{ path: string; mode: string; type: string; sha: string; size?: number }> {
    const t = this.get(treeSha, "tree");
    if (!t) return [];
    const out: Array<{ path: string; mode: string; type: string; sha: string; size?: number }> = [];
    for (const i of t.items) {
      out.push(this.apiItem(i, prefix));
      if (i.type === "tree") out.push(...this.listRecursive(i.sha, `${prefix}${i.name}/`));
    }
    return out;
  }

  apiItem(i: TreeItem, prefix = ""): { path: string; mode: string; type: string; sha: string; size?: number } {
    const base = { path: prefix + i.name, mode: i.mode, type: i.type, sha: i.sha };
    return i.type === "blob" ? { ...base, size: this.get(i.sha, "blob")?.content.length ?? 0 } : base;
  }

  /** True when `ancestor` is `sha` or reachable from it through parents. */
  isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop()!;
      if (s === ancestor) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(this.get(s, "commit")?.parents ?? []));
    }
    return false;
  }
}
