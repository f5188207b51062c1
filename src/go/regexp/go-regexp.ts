/**
 * Go `regexp` (RE2 syntax, leftmost-first, linear time) on top of `re2js`,
 * a port of RE2/J which itself follows Go's regexp/syntax. Accepts
 * `(?P<name>…)` and `(?<name>…)` (Go >= 1.22), rejects lookaround and
 * backreferences like Go. The API mirrors the Go methods the project needs
 * (Flux filters, sprig's regex* template functions).
 *
 * All indices are JS string offsets (UTF-16 code units), not Go byte offsets;
 * they are only meant to be fed back into these methods.
 */
import { RE2JS } from "re2js";
import { expandTemplate } from "./expand.js";

export interface GoRegexp {
  /** The source pattern. */
  readonly source: string;
  matchString(s: string): boolean;
  findString(s: string): string;
  findStringIndex(s: string): number[] | null;
  findStringSubmatch(s: string): string[] | null;
  findStringSubmatchIndex(s: string): number[] | null;
  /** n < 0 means all matches. Returns null when there is none, like Go. */
  findAllString(s: string, n: number): string[] | null;
  findAllStringIndex(s: string, n: number): number[][] | null;
  findAllStringSubmatch(s: string, n: number): string[][] | null;
  findAllStringSubmatchIndex(s: string, n: number): number[][] | null;
  /** Go Regexp.ExpandString for one match (from findStringSubmatchIndex). */
  expandString(template: string, src: string, match: number[]): string;
  /** Go ReplaceAllString: `$` references in `repl` are expanded. */
  replaceAllString(src: string, repl: string): string;
  /** Go ReplaceAllLiteralString: `repl` is inserted as is. */
  replaceAllLiteralString(src: string, repl: string): string;
  /** Go Regexp.Split. n < 0 means all pieces. */
  split(s: string, n: number): string[];
  /** Go SubexpNames: index 0 is "", unnamed groups are "". */
  subexpNames(): string[];
  numSubexp(): number;
}

/** The Go-shaped matcher that re2js keeps inside each compiled pattern. */
interface Re2Core {
  match(s: string): boolean;
  findSubmatchIndex(s: string): number[] | null;
  findAllSubmatchIndex(s: string, n: number): number[][] | null;
}

class Re2GoRegexp implements GoRegexp {
  private readonly core: Re2Core;
  private readonly names: string[];

  constructor(
    readonly source: string,
    compiled: RE2JS,
  ) {
    this.core = (compiled as unknown as { re2Input: Re2Core }).re2Input;
    const n = compiled.groupCount();
    this.names = new Array<string>(n + 1).fill("");
    for (const [name, idx] of Object.entries(compiled.namedGroups())) this.names[idx] = name;
  }

  matchString(s: string): boolean {
    return this.core.match(s);
  }
  findStringSubmatchIndex(s: string): number[] | null {
    const m = this.core.findSubmatchIndex(s);
    return m ? Array.from(m) : null;
  }
  findStringIndex(s: string): number[] | null {
    const m = this.findStringSubmatchIndex(s);
    return m ? [m[0]!, m[1]!] : null;
  }
  findString(s: string): string {
    const m = this.findStringIndex(s);
    return m ? s.slice(m[0], m[1]) : "";
  }
  findStringSubmatch(s: string): string[] | null {
    const m = this.findStringSubmatchIndex(s);
    return m ? groups(s, m) : null;
  }
  findAllStringSubmatchIndex(s: string, n: number): number[][] | null {
    if (n === 0) return null;
    const all = this.core.findAllSubmatchIndex(s, n < 0 ? s.length + 1 : n);
    return all && all.length > 0 ? all.map((m) => Array.from(m)) : null;
  }
  findAllStringIndex(s: string, n: number): number[][] | null {
    return this.findAllStringSubmatchIndex(s, n)?.map((m) => [m[0]!, m[1]!]) ?? null;
  }
  findAllString(s: string, n: number): string[] | null {
    return this.findAllStringIndex(s, n)?.map((m) => s.slice(m[0], m[1])) ?? null;
  }
  findAllStringSubmatch(s: string, n: number): string[][] | null {
    return this.findAllStringSubmatchIndex(s, n)?.map((m) => groups(s, m)) ?? null;
  }
  expandString(template: string, src: string, match: number[]): string {
    return expandTemplate(template, src, match, this.names);
  }
  replaceAllString(src: string, repl: string): string {
    return this.replace(src, (m) => this.expandString(repl, src, m));
  }
  replaceAllLiteralString(src: string, repl: string): string {
    return this.replace(src, () => repl);
  }
  split(s: string, n: number): string[] {
    if (n === 0) return [];
    if (this.source.length > 0 && s.length === 0) return [""];
    const matches = this.findAllStringIndex(s, n) ?? [];
    const out: string[] = [];
    let beg = 0;
    let end = 0;
    for (const [a, b] of matches as Array<[number, number]>) {
      if (n > 0 && out.length === n - 1) break;
      end = a;
      if (b !== 0) out.push(s.slice(beg, end));
      beg = b;
    }
    if (end !== s.length) out.push(s.slice(beg));
    return out;
  }
  subexpNames(): string[] {
    return [...this.names];
  }
  numSubexp(): number {
    return this.names.length - 1;
  }

  /** Splices replacements over the successive non-overlapping matches (same result as Go's replaceAll loop). */
  private replace(src: string, f: (m: number[]) => string): string {
    const all = this.findAllStringSubmatchIndex(src, -1);
    if (!all) return src;
    let out = "";
    let last = 0;
    for (const m of all) {
      out += src.slice(last, m[0]) + f(m);
      last = m[1]!;
    }
    return out + src.slice(last);
  }
}

function groups(s: string, m: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < m.length; i += 2) {
    const a = m[i]!;
    out.push(a >= 0 ? s.slice(a, m[i + 1]!) : "");
  }
  return out;
}

/**
 * Compiles a Go regexp. Throws an Error whose message is Go-like:
 * "error parsing regexp: <what>: `<where>`".
 */
export function compileGo(pattern: string): GoRegexp {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(msg.startsWith("error parsing regexp") ? msg : `error parsing regexp: ${msg}`);
  }
  return new Re2GoRegexp(pattern, compiled);
}

/** Go regexp.QuoteMeta: escapes every RE2 metacharacter. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}
