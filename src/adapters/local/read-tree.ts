/**
 * Reads a checkout from disk the way Flux's ScreeningLocalReader walks it
 * (image-automation-controller `pkg/update/filereader.go`): hidden directories are walked (except `.git`),
 * symlinked directories are not followed, symlinked files are read through
 * the link and dangling links are skipped.
 */
import type { Stats } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { AppError } from "../../core/errors.js";
import type { RepoFile } from "../../core/types.js";

export interface ReadTreeResult {
  files: RepoFile[];
  skipped: Array<{ path: string; reason: string }>;
}

function errCode(e: unknown): string {
  return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : String(e);
}

/**
 * Walks dir recursively like Flux's reader: hidden dirs included except .git,
 * symlinked dirs not followed, symlinked files read through the link, dangling links
 * skipped. Returns files whose name passes `filter` with '/'-separated paths relative to dir.
 */
export async function readTree(dir: string, filter: (relPath: string) => boolean, opts?: { maxFileBytes?: number }): Promise<ReadTreeResult> {
  const out: ReadTreeResult = { files: [], skipped: [] };
  const max = opts?.maxFileBytes;
  const walk = async (abs: string, rel: string): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childAbs = join(abs, entry.name);
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== ".git") await walk(childAbs, childRel);
        continue;
      }
      if (!filter(childRel)) continue;
      if (entry.isSymbolicLink()) {
        let target: Stats;
        try {
          target = await stat(childAbs);
        } catch (e) {
          out.skipped.push({ path: childRel, reason: `dangling symlink (${errCode(e)})` });
          continue;
        }
        if (!target.isFile()) {
          out.skipped.push({ path: childRel, reason: "symlink to a directory or special file" });
          continue;
        }
      } else if (!entry.isFile()) {
        out.skipped.push({ path: childRel, reason: "not a regular file" });
        continue;
      }
      await readOne(childAbs, childRel, max, out);
    }
  };
  await walk(dir, "");
  return out;
}

async function readOne(abs: string, rel: string, max: number | undefined, out: ReadTreeResult): Promise<void> {
  try {
    if (max !== undefined) {
      const st = await stat(abs);
      if (st.size > max) {
        out.skipped.push({ path: rel, reason: `larger than ${max} bytes` });
        return;
      }
    }
    out.files.push({ path: rel, content: await readFile(abs, "utf8") });
  } catch (e) {
    out.skipped.push({ path: rel, reason: `unreadable (${errCode(e)})` });
  }
}

/** Writes files (paths '/'-separated, relative to dir), creating directories as needed. */
export async function writeFiles(dir: string, files: readonly RepoFile[]): Promise<void> {
  for (const f of files) {
    const parts = f.path.split("/");
    if (parts.some((p) => p === ".." || p === "") || f.path.startsWith("/")) {
      throw new AppError("local.invalid-path", `local.invalid-path: refusing to write outside the tree: ${f.path}`, { subject: f.path });
    }
    const abs = join(dir, ...parts);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, f.content, "utf8");
  }
}
