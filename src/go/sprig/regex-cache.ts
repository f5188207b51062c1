/** Compiled patterns of the sprig regex functions, shared by every execution: a template compiling in a loop compiles once. */
import { compileGo as compileUncached, type GoRegexp } from "../regexp/index.js";

const COMPILED = new (class {
  private readonly map = new Map<string, GoRegexp>();
  get(k: string): GoRegexp | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: GoRegexp): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > 64) this.map.delete(this.map.keys().next().value as string);
  }
})();

/** Whether `pattern` is compiled already (the template's step budget charges only a compile). */
export function isCompiled(pattern: string): boolean {
  return COMPILED.get(pattern) !== undefined;
}

export function compileGo(pattern: string): GoRegexp {
  const hit = COMPILED.get(pattern);
  if (hit) return hit;
  const re = compileUncached(pattern);
  COMPILED.set(pattern, re);
  return re;
}
