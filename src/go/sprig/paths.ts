import type { FuncMap } from "../template/exec.js";
import { B, fn, S } from "./helpers.js";

/** Go's path package (slash-separated). */
export function pathClean(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const s = (rooted ? "/" : "") + out.join("/");
  return s === "" ? "." : s;
}

export function pathBase(p: string): string {
  if (p === "") return ".";
  const t = p.replace(/\/+$/, "");
  if (t === "") return "/";
  const i = t.lastIndexOf("/");
  return i >= 0 ? t.slice(i + 1) : t;
}

export function pathDir(p: string): string {
  const i = p.lastIndexOf("/");
  return pathClean(p.slice(0, i + 1));
}

export function pathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== "/"; i--) {
    if (p[i] === ".") return p.slice(i);
  }
  return "";
}

export function pathFuncs(): FuncMap {
  return {
    base: fn([S], S, (s) => pathBase(s as string)),
    dir: fn([S], S, (s) => pathDir(s as string)),
    clean: fn([S], S, (s) => pathClean(s as string)),
    ext: fn([S], S, (s) => pathExt(s as string)),
    isAbs: fn([S], B, (s) => (s as string).startsWith("/")),
    osBase: fn([S], S, (s) => pathBase(s as string)),
    osDir: fn([S], S, (s) => pathDir(s as string)),
    osClean: fn([S], S, (s) => pathClean(s as string)),
    osExt: fn([S], S, (s) => pathExt(s as string)),
    osIsAbs: fn([S], B, (s) => (s as string).startsWith("/")),
  };
}
