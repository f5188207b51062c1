import { describe, expect, it } from "@jest/globals";
import { parseAllDocuments } from "yaml";
import { applySetters } from "../../../src/core/setters/index.js";
import type { SetterPolicy } from "../../../src/core/setters/index.js";
import { findMarkers } from "../../../src/core/setters/find-markers.js";

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NEW_VALUES = ["1.10", "yes", "v2.0.0", "a: b", "it's", "", 'x"y', "0x1F", "null", "#hash", "1:20", "ghcr.io/o/a:1@sha256:ff", "- dash", "ünï"];
const PLAIN_OLD = ["old:1", "abc", "1.0", "true", "registry/app:v1"];
const ANY_OLD = [...PLAIN_OLD, "with space", "q'uote", "a: b"];
const SETTERS = ["ns:a", "ns:a:tag", "ns:b:digest", "ns:b:name", "ns:missing", "other:a"];

interface Gen {
  r: () => number;
  pick<T>(xs: readonly T[]): T;
}

function scalar(g: Gen): string {
  const style = g.pick(["plain", "single", "double", "plain"]);
  if (style === "plain") return g.pick(PLAIN_OLD);
  const v = g.pick(ANY_OLD);
  return style === "single" ? `'${v.replace(/'/g, "''")}'` : JSON.stringify(v);
}

function marker(g: Gen): string {
  return g.r() < 0.6 ? ` # {"$imagepolicy": "${g.pick(SETTERS)}"}` : g.r() < 0.5 ? " # just a comment" : "";
}

function mapping(g: Gen, indent: string, step: string, depth: number, lines: string[]): void {
  const n = 1 + Math.floor(g.r() * 5);
  for (let i = 0; i < n; i++) {
    if (g.r() < 0.15) lines.push("");
    if (g.r() < 0.15) lines.push(`${indent}# comment ${i}`);
    const key = `k${depth}_${i}`;
    const kind = g.r();
    if (kind < 0.5 || depth > 2) {
      lines.push(`${indent}${key}: ${scalar(g)}${marker(g)}`);
    } else if (kind < 0.65) {
      lines.push(`${indent}${key}: |${marker(g)}`, `${indent}${step}old text`, `${indent}${step}more`);
    } else if (kind < 0.8) {
      lines.push(`${indent}${key}:`);
      mapping(g, indent + step, step, depth + 1, lines);
    } else {
      lines.push(`${indent}${key}:`);
      const m = 1 + Math.floor(g.r() * 3);
      for (let j = 0; j < m; j++) {
        if (g.r() < 0.4) lines.push(`${indent}${step}# {"$imagepolicy": "${g.pick(SETTERS)}"}`);
        lines.push(`${indent}${step}- ${scalar(g)}${g.r() < 0.5 ? marker(g) : ""}`);
      }
    }
  }
}

function generate(seed: number): { text: string; policies: SetterPolicy[] } {
  const r = rng(seed);
  const g: Gen = { r, pick: (xs) => xs[Math.floor(r() * xs.length)]! };
  const step = g.pick(["  ", "    "]);
  const docs: string[] = [];
  const nd = 1 + Math.floor(r() * 3);
  for (let d = 0; d < nd; d++) {
    const lines = [`kind: K${d}`, "metadata:", `${step}name: n${d}`];
    mapping(g, "", step, 0, lines);
    docs.push(lines.join("\n") + "\n");
  }
  const eol = r() < 0.3 ? "\r\n" : "\n";
  const text = (r() < 0.3 ? "---\n" : "") + docs.join("---\n");
  const policies: SetterPolicy[] = [
    { namespace: "ns", name: "a", latestRef: { name: g.pick(NEW_VALUES), tag: g.pick(NEW_VALUES) } },
    { namespace: "ns", name: "b", latestRef: { name: g.pick(NEW_VALUES), tag: "t", digest: g.pick(NEW_VALUES) } },
  ];
  return { text: eol === "\n" ? text : text.replace(/\n/g, eol), policies };
}

/** The text with every marked value span cut out. */
function skeleton(text: string): string[] {
  const scan = findMarkers(text);
  if (!scan.ok) throw new Error(scan.message);
  const parts: string[] = [];
  let pos = 0;
  let afterBlock = false;
  // Blank lines after a block scalar may count as its body or not, depending on the body.
  const cut = (s: string) => (afterBlock ? s.replace(/^(?:\r?\n)+/, "") : s);
  for (const s of scan.sites) {
    const [a, b] = s.block ? [s.block.headerStart, s.block.bodyEnd] : [s.start, s.end];
    parts.push(cut(text.slice(pos, a)));
    afterBlock = s.block !== undefined;
    if (s.block) parts.push(text.slice(s.block.headerEnd, s.block.bodyStart)); // header comment kept
    pos = b;
  }
  parts.push(cut(text.slice(pos)));
  return parts;
}

describe("property: random files with markers", () => {
  const seeds = Array.from({ length: 300 }, (_, i) => i + 1);
  it.each(seeds)("seed %i", (seed) => {
    const { text, policies } = generate(seed);
    const before = parseAllDocuments(text);
    expect(Array.isArray(before) && before.every((d) => d.errors.length === 0)).toBe(true);
    const out = applySetters([{ path: "f.yaml", content: text }], policies, { automationNamespace: "ns" });
    expect(out.problems.filter((p) => p.code === "setters.unparsable")).toEqual([]);
    const result = out.changed[0]?.content ?? text;
    // only the value spans differ
    expect(skeleton(result)).toEqual(skeleton(text));
    // re-parsing gives the new values at the marked places, the old ones elsewhere
    const docs = parseAllDocuments(result);
    expect(Array.isArray(docs) && docs.every((d) => d.errors.length === 0)).toBe(true);
    const after = findMarkers(result);
    const orig = findMarkers(text);
    if (!after.ok || !orig.ok) throw new Error("scan failed");
    expect(after.sites.length).toBe(orig.sites.length);
    const changes = Object.values(out.result.fileChanges).flatMap((o) => o.flatMap((x) => x.changes));
    let ci = 0;
    orig.sites.forEach((site, i) => {
      const now = after.sites[i]!;
      const c = changes[ci];
      if (c && c.oldValue === site.oldValue && c.setter === site.setter && now.oldValue === c.newValue && site.oldValue !== c.newValue) ci++;
      else expect(now.oldValue).toBe(site.oldValue);
    });
    expect(ci).toBe(changes.length);
    // values read back as strings under the yaml library's own resolution
    const js = JSON.stringify(docs.map((d) => d.toJS({ maxAliasCount: 100 })));
    for (const ch of changes) {
      if (ch.newValue !== "") expect(js).toContain(JSON.stringify(ch.newValue).slice(1, -1));
    }
  });
});
