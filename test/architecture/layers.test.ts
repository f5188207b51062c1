/**
 * The dependency rules of docs/architecture §2, checked on the import
 * statements: core is pure (no I/O modules, no clock, no process), app sees
 * only core and its own ports, adapters never import each other, and nothing
 * below the entry files imports an entry file.
 */
import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+"([^"]+)"/g), ...text.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]);
}

const layerOf = (file: string): string => relative("src", file).split("/")[0];
const resolveLayer = (from: string, spec: string): string | null => (spec.startsWith(".") ? layerOf(relative(".", join(from, "..", spec))) : null);

// Packages the pure core may use: parsing, regexes, and the crypto sprig's template functions need.
const CORE_PACKAGES = new Set(["yaml", "re2js", "zod", "semver", "node:crypto", "bcryptjs", "node-forge", "croner"]);
const ENTRY_FILES = new Set(["cli.ts", "main.ts", "index.ts", "services.ts"]);

describe("layers", () => {
  const all = files("src");

  it("keeps core pure", () => {
    const bad: string[] = [];
    for (const f of all.filter((f) => layerOf(f) === "core")) {
      for (const spec of imports(f)) {
        const layer = resolveLayer(f, spec);
        if (layer !== null ? layer !== "core" : !CORE_PACKAGES.has(spec)) bad.push(`${f} imports ${spec}`);
      }
      const text = readFileSync(f, "utf8");
      if (/\bDate\.now\(\)|new Date\(\)|\bprocess\.(env|argv|exit|stdout|stderr)\b|\bconsole\./.test(text)) bad.push(`${f} reads the clock, the process or the console`);
    }
    expect(bad).toEqual([]);
  });

  it("lets app see only core and app", () => {
    const bad = all
      .filter((f) => layerOf(f) === "app")
      .flatMap((f) => imports(f).map((spec) => [f, spec, resolveLayer(f, spec)] as const))
      .filter(([, spec, layer]) => (layer !== null ? layer !== "core" && layer !== "app" : spec !== "node:crypto"))
      .map(([f, spec]) => `${f} imports ${spec}`);
    expect(bad).toEqual([]);
  });

  it("keeps adapters apart and entry files at the top", () => {
    const bad: string[] = [];
    for (const f of all.filter((f) => layerOf(f) === "adapters")) {
      const own = relative("src/adapters", f).split("/")[0];
      for (const spec of imports(f)) {
        if (!spec.startsWith(".")) continue;
        const target = relative(".", join(f, "..", spec));
        if (target.startsWith("src/adapters/") && relative("src/adapters", target).split("/")[0] !== own) bad.push(`${f} imports ${spec}`);
        if (ENTRY_FILES.has(relative("src", target).replace(/\.js$/, ".ts"))) bad.push(`${f} imports an entry file ${spec}`);
      }
    }
    for (const f of all.filter((f) => ["core", "app"].includes(layerOf(f)))) {
      for (const spec of imports(f)) if (spec.startsWith(".") && ENTRY_FILES.has(relative("src", join(f, "..", spec)).replace(/\.js$/, ".ts"))) bad.push(`${f} imports an entry file ${spec}`);
    }
    expect(bad).toEqual([]);
  });
});
