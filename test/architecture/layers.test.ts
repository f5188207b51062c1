/**
 * The dependency rules, checked on the import statements:
 * - src/go (Go's text/template, sprig, semver, regexp, strconv, time, unicode) imports only itself and a few pure packages;
 * - src/core is pure (no I/O modules, no clock, no process) and sees only itself and src/go;
 * - src/app sees only core and its own ports; src/config only its own files and zod;
 * - adapters never import each other; src/cli composes core, app, adapters and config like an entry file;
 * - ports (interfaces and their data types) live in src/app/ports: adapters take types from there only, and whatever
 *   a class `implements` is a port;
 * - nothing below the entry files imports an entry file, and no file imports itself through a cycle.
 */
import { describe, expect, it } from "@jest/globals";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+"([^"]+)"/g), ...text.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]!);
}

const layerOf = (file: string): string => relative("src", file).split("/")[0]!;
/** The src file a relative import names (`./x.js` is `./x.ts`), or null for a package. */
const target = (from: string, spec: string): string | null => (spec.startsWith(".") ? relative(".", join(from, "..", spec)).replace(/\.js$/, ".ts") : null);
const resolveLayer = (from: string, spec: string): string | null => {
  const t = target(from, spec);
  return t === null ? null : layerOf(t);
};

// Packages the pure layers may use: parsing, regexes, and the crypto sprig's template functions need.
const GO_PACKAGES = new Set(["re2js", "node:crypto", "bcryptjs", "node-forge"]);
const CORE_PACKAGES = new Set(["yaml", "re2js", "zod", "semver", "croner"]);
const ENTRY_FILES = new Set(["cli.ts", "main.ts", "services.ts"]);
const IMPURE = /\bDate\.now\(\)|new Date\(\)|\bprocess\.(env|argv|exit|stdout|stderr)\b|\bconsole\./;

describe("layers", () => {
  const all = files("src");
  const inLayer = (layer: string): string[] => all.filter((f) => layerOf(f) === layer);
  /** Every import of the layer's files that `allowed(layer of the target or null, spec)` refuses. */
  const offending = (layer: string, allowed: (targetLayer: string | null, spec: string) => boolean): string[] =>
    inLayer(layer).flatMap((f) =>
      imports(f)
        .filter((spec) => !allowed(resolveLayer(f, spec), spec))
        .map((spec) => `${f} imports ${spec}`),
    );

  it("covers every folder of src", () => {
    const layers = new Set(all.filter((f) => f.includes("/", 4)).map(layerOf));
    expect([...layers].sort()).toEqual(["adapters", "app", "cli", "config", "core", "go"]);
  });

  it("keeps src/go on its own: only Go's packages and a few pure ones, never the project", () => {
    expect(inLayer("go").length).toBeGreaterThan(40);
    expect(offending("go", (layer, spec) => (layer !== null ? layer === "go" : GO_PACKAGES.has(spec)))).toEqual([]);
    expect(inLayer("go").filter((f) => IMPURE.test(readFileSync(f, "utf8")))).toEqual([]);
  });

  it("keeps core pure", () => {
    expect(offending("core", (layer, spec) => (layer !== null ? layer === "core" || layer === "go" : CORE_PACKAGES.has(spec)))).toEqual([]);
    expect(inLayer("core").filter((f) => IMPURE.test(readFileSync(f, "utf8")))).toEqual([]);
  });

  it("lets app see only core and app", () => {
    expect(offending("app", (layer, spec) => (layer !== null ? layer === "core" || layer === "app" : spec === "node:crypto"))).toEqual([]);
  });

  it("keeps config a leaf: its own files and zod", () => {
    expect(offending("config", (layer, spec) => (layer !== null ? layer === "config" : spec === "zod"))).toEqual([]);
  });

  it("lets the CLI compose core, app, adapters and config, never the app server", () => {
    expect(
      offending("cli", (layer, spec) => (layer !== null ? ["core", "app", "adapters", "config", "cli"].includes(layer) : spec.startsWith("node:"))),
    ).toEqual([]);
  });

  it("keeps adapters apart and entry files at the top", () => {
    const bad: string[] = [];
    for (const f of inLayer("adapters")) {
      const own = relative("src/adapters", f).split("/")[0];
      for (const spec of imports(f)) {
        const t = target(f, spec);
        if (t?.startsWith("src/adapters/") && relative("src/adapters", t).split("/")[0] !== own) bad.push(`${f} imports ${spec}`);
      }
    }
    for (const f of all.filter((f) => f.includes("/", 4))) {
      for (const spec of imports(f)) if (ENTRY_FILES.has(relative("src", target(f, spec) ?? "-"))) bad.push(`${f} imports an entry file ${spec}`);
    }
    expect(bad).toEqual([]);
  });

  it("keeps the ports in src/app/ports: adapters take no type from elsewhere in app, and classes implement ports", () => {
    const portNames = new Set(
      inLayer("app")
        .filter((f) => f.startsWith("src/app/ports/"))
        .flatMap((f) => [...readFileSync(f, "utf8").matchAll(/export (?:interface|type) (\w+)/g)].map((m) => m[1]!)),
    );
    const bad: string[] = [];
    for (const f of inLayer("adapters")) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/import (type )?\{([^}]*)\} from "([^"]+)"/g)) {
        const t = target(f, m[3]!);
        if (!t?.startsWith("src/app/") || t.startsWith("src/app/ports/")) continue;
        const declared = new Set([...readFileSync(t, "utf8").matchAll(/export (?:interface|type) (\w+)/g)].map((d) => d[1]!));
        const names = m[2]!.split(",").map(
          (n) =>
            n
              .trim()
              .replace(/^type /, "")
              .split(/\s+as\s+/)[0]!,
        );
        for (const n of names) if (n && (m[1] || declared.has(n))) bad.push(`${f} takes the type ${n} from ${t}`);
      }
    }
    for (const f of [...inLayer("adapters"), ...inLayer("app")]) {
      for (const m of readFileSync(f, "utf8").matchAll(/class \w+(?:<[^>]*>)? implements ([\w, ]+)\{/g))
        for (const n of m[1]!.split(",").map((x) => x.trim())) if (n && !portNames.has(n)) bad.push(`${f} implements ${n}, which is not in src/app/ports`);
    }
    expect(portNames.size).toBeGreaterThan(30);
    expect(bad).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map(
      all.map((f) => [
        f,
        imports(f)
          .map((s) => target(f, s))
          .filter((t): t is string => t !== null && existsSync(t)),
      ]),
    );
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const path: string[] = [];
    const visit = (f: string): void => {
      state.set(f, "open");
      path.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === "open") cycles.push([...path.slice(path.indexOf(t)), t].join(" -> "));
        else if (!state.has(t)) visit(t);
      }
      path.pop();
      state.set(f, "done");
    };
    for (const f of all) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
