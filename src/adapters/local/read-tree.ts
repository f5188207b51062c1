/**
 * Reads a checkout from disk the way Flux's ScreeningLocalReader walks it
 * (image-automation-controller `pkg/update/filereader.go`): hidden directories are walked (except `.git`),
 * symlinked directories are not followed, symlinked files are read through
 * the link and dangling links are skipped.
 */
import type { Stats } from "node:fs";
import { lstat, mkdir, readdir, readFile, realpath, stat, writeFile } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { AppError, type Problem } from "../../core/errors.js";
import { BudgetTracker, fileTooLarge, tooComplex, type ReadBudget } from "../../core/read-budget.js";
import type { RepoFile } from "../../core/types.js";

export interface ReadTreeResult {
  files: RepoFile[];
  skipped: Array<{ path: string; reason: string }>;
  /** With a budget: the file-too-large warnings and the one repository.too-large Problem. */
  problems: Problem[];
}

function errCode(e: unknown): string {
  return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : String(e);
}

/**
 * Walks dir recursively like Flux's reader: hidden dirs included except .git,
 * symlinked dirs not followed, symlinked files read through the link, dangling links
 * skipped. Returns files whose name passes `filter` with '/'-separated paths relative to dir.
 */
export async function readTree(
  dir: string,
  filter: (relPath: string) => boolean,
  opts?: { maxFileBytes?: number; budget?: ReadBudget },
): Promise<ReadTreeResult> {
  const out: ReadTreeResult = { files: [], skipped: [], problems: [] };
  const tracker = opts?.budget ? new BudgetTracker(opts.budget) : undefined;
  const max = opts?.budget?.maxFileBytes ?? opts?.maxFileBytes;
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
      await readOne(childAbs, childRel, max, out, tracker);
    }
  };
  await walk(dir, "");
  if (tracker) out.problems.push(...tracker.problems());
  return out;
}

async function readOne(abs: string, rel: string, max: number | undefined, out: ReadTreeResult, tracker?: BudgetTracker): Promise<void> {
  try {
    if (max !== undefined) {
      const st = await stat(abs);
      if (st.size > max) {
        out.skipped.push({ path: rel, reason: `larger than ${max} bytes` });
        if (tracker) out.problems.push(fileTooLarge(rel, tracker.budget));
        return;
      }
      if (tracker && !tracker.take(st.size)) {
        out.skipped.push({ path: rel, reason: "over the repository read budget" });
        return;
      }
    }
    const content = await readFile(abs, "utf8");
    const complex = tracker ? tooComplex(rel, content) : undefined;
    if (complex) {
      out.skipped.push({ path: rel, reason: complex.message });
      out.problems.push(complex);
      return;
    }
    out.files.push({ path: rel, content });
  } catch (e) {
    out.skipped.push({ path: rel, reason: `unreadable (${errCode(e)})` });
  }
}

/** The real path `abs` would be written at: through every symlink, or its nearest existing ancestor's. */
async function realTarget(abs: string): Promise<string | undefined> {
  try {
    return await realpath(abs);
  } catch (e) {
    if (errCode(e) !== "ENOENT") throw e;
    // a dangling symlink would be created at its target, wherever that is: no answer
    if (
      await lstat(abs).then(
        () => true,
        () => false,
      )
    )
      return undefined;
    const parent = dirname(abs);
    if (parent === abs) return undefined;
    const real = await realTarget(parent);
    return real === undefined ? undefined : join(real, abs.slice(parent.length));
  }
}

/**
 * Writes files (paths '/'-separated, relative to dir), creating directories as needed. A file that
 * resolves outside the tree (through a symlinked file or directory, or `..`) is refused before any
 * file is written: reading through a symlink is what Flux does, writing through one would let a
 * checkout make `apply` change any file the user can write.
 */
export async function writeFiles(dir: string, files: readonly RepoFile[]): Promise<void> {
  const root = await realpath(dir);
  const targets: Array<{ abs: string; content: string }> = [];
  for (const f of files) {
    const parts = f.path.split("/");
    if (parts.some((p) => p === ".." || p === "") || f.path.startsWith("/")) {
      throw new AppError("local.invalid-path", `local.invalid-path: refusing to write outside the tree: ${f.path}`, { subject: f.path });
    }
    const abs = join(dir, ...parts);
    const real = await realTarget(abs);
    if (real === undefined || (real !== root && !real.startsWith(root + sep))) {
      throw new AppError(
        "local.outside-tree",
        `local.outside-tree: refusing to write ${f.path}: it resolves${real ? ` to ${real}` : " through a dangling symlink"}, outside ${root}; replace the symlink with the file or point it inside the checkout`,
        { subject: f.path },
      );
    }
    targets.push({ abs, content: f.content });
  }
  for (const t of targets) {
    await mkdir(dirname(t.abs), { recursive: true });
    await writeFile(t.abs, t.content, "utf8");
  }
}
