/** Reads a fixture directory as repository files ('/'-separated paths), leaving out its tags.json. */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { RepoFile } from "../../src/core/types.js";

export function loadTree(dir: string): RepoFile[] {
  const out: RepoFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== "tags.json") out.push({ path: relative(dir, p).split("\\").join("/"), content: readFileSync(p, "utf8") });
    }
  };
  walk(dir);
  return out;
}
