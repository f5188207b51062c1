/**
 * Which files Flux's source-controller puts in the artifact a Kustomization
 * builds (github.com/fluxcd/pkg sourceignore/sourceignore.go, source-controller
 * internal/controller/gitrepository_controller.go): `.git/` and the git
 * metadata files always go; the default patterns go unless the repository has
 * a `.sourceignore` or the GitRepository sets `spec.ignore`, which replace
 * them. Patterns use gitignore syntax, scoped to the directory of the file
 * that holds them.
 */
import { basename, dirname } from "./paths.js";

const ALWAYS = [".git/", ".gitignore", ".gitmodules", ".gitattributes"];
/** sourceignore.go `ExcludeVCS` + `ExcludeExt` + `ExcludeCI` + `ExcludeExtra` */
export const DEFAULT_IGNORES = [
  "*.jpg",
  "*.jpeg",
  "*.gif",
  "*.png",
  "*.wmv",
  "*.flv",
  "*.tar.gz",
  "*.zip",
  ".github/",
  ".circleci/",
  ".travis.yml",
  ".gitlab-ci.yml",
  "appveyor.yml",
  ".drone.yml",
  "cloudbuild.yaml",
  "codeship-services.yml",
  "codeship-steps.yml",
  "**/.goreleaser.yml",
  "**/.sops.yaml",
  "**/.flux.yaml",
];

interface Rule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
  /** directory the pattern is scoped to ("" = root) */
  base: string;
}

function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const slash = glob[i + 2] === "/";
        out += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        out += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "\\" && i + 1 < glob.length) out += `\\${glob[++i]}`;
    else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return out;
}

export function parseIgnore(text: string, base: string): Rule[] {
  const rules: Rule[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (line === "" || line.startsWith("#")) continue;
    line = line.replace(/(?<!\\)\s+$/, "");
    if (line === "") continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith("/");
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes("/") && !line.startsWith("**/");
    if (line.startsWith("/")) line = line.slice(1);
    const body = globToRegex(line);
    rules.push({ re: new RegExp(`^${anchored ? "" : "(?:.*/)?"}${body}$`), negate, dirOnly, base });
  }
  return rules;
}

/** Decides, for repository paths, whether Flux's artifact holds them. */
export class IgnoreMatcher {
  constructor(private readonly rules: Rule[]) {}

  /** Rules for a tree: always-excluded, then `.sourceignore` files (by depth) and `spec.ignore`, else the defaults. */
  static forTree(sourceignores: ReadonlyArray<{ path: string; content: string }>, specIgnore?: string): IgnoreMatcher {
    const rules = parseIgnore(ALWAYS.join("\n"), "");
    if (sourceignores.length === 0 && specIgnore === undefined) rules.push(...parseIgnore(DEFAULT_IGNORES.join("\n"), ""));
    const sorted = [...sourceignores].sort((a, b) => a.path.split("/").length - b.path.split("/").length || (a.path < b.path ? -1 : 1));
    for (const f of sorted) rules.push(...parseIgnore(f.content, dirname(f.path)));
    if (specIgnore !== undefined) rules.push(...parseIgnore(specIgnore, ""));
    return new IgnoreMatcher(rules);
  }

  /** Is the file excluded? Checks each parent directory as git does: an excluded directory excludes everything below. */
  ignored(path: string): boolean {
    const parts = path.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i).join("/");
      if (this.matchOne(sub, i < parts.length)) return true;
    }
    return false;
  }

  private matchOne(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const r of this.rules) {
      if (r.dirOnly && !isDir) continue;
      if (r.base && !path.startsWith(`${r.base}/`)) continue;
      const rel = r.base ? path.slice(r.base.length + 1) : path;
      if (r.re.test(rel)) ignored = !r.negate;
    }
    return ignored;
  }
}

export const isSourceIgnore = (path: string): boolean => basename(path) === ".sourceignore";
