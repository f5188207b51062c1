/**
 * Setters benchmark: 5,000 YAML files (~20 MB, 1 in 10 with markers) in a
 * temp dir; (a) readTree alone, (b) readTree + applySetters. Target: b/a ≤ 2.
 * Run: npx tsx test/bench/setters.bench.ts
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { readTree } from "../../src/adapters/local/read-tree.js";
import { applySetters, isSetterCandidate } from "../../src/core/setters/index.js";
import type { SetterPolicy } from "../../src/core/setters/index.js";

const FILES = 5000;
const TARGET_BYTES = 20 * 1024 * 1024;

function deployment(i: number, marked: boolean, size: number): string {
  const head = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ns-${i % 7}\nspec:\n  template:\n    spec:\n      containers:\n`;
  const marker = marked ? ` # {"$imagepolicy": "flux-system:app-${i % 20}"}` : "";
  const tagMarker = marked ? ` # {"$imagepolicy": "flux-system:app-${i % 20}:tag"}` : "";
  let body = `      - name: main\n        image: ghcr.io/org/app-${i % 20}:1.0.${i % 5}${marker}\n        env:\n        - name: TAG\n          value: "1.0.${i % 5}"${tagMarker}\n`;
  let n = 0;
  while (head.length + body.length < size) {
    body += `        - name: VAR_${n}\n          value: "some configuration value number ${n} for app ${i}" # comment\n`;
    n++;
  }
  return head + body;
}

async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "setters-bench-"));
  try {
    const size = Math.floor(TARGET_BYTES / FILES);
    let total = 0;
    for (let i = 0; i < FILES; i++) {
      const sub = join(dir, `team-${i % 50}`);
      if (i < 50) await mkdir(sub, { recursive: true });
      const text = deployment(i, i % 10 === 0, size);
      total += Buffer.byteLength(text);
      await writeFile(join(sub, `app-${i}.yaml`), text);
    }
    const policies: SetterPolicy[] = Array.from({ length: 20 }, (_, k) => ({
      namespace: "flux-system",
      name: `app-${k}`,
      latestRef: { name: `ghcr.io/org/app-${k}`, tag: "1.10" },
    }));
    // warm-up (file cache, JIT)
    await readTree(dir, isSetterCandidate);
    const rounds = 3;
    let readMs = Infinity;
    let fullMs = Infinity;
    let changed = 0;
    for (let r = 0; r < rounds; r++) {
      readMs = Math.min(readMs, (await timeIt(() => readTree(dir, isSetterCandidate))).ms);
      const full = await timeIt(async () => {
        const { files } = await readTree(dir, isSetterCandidate);
        return applySetters(files, policies, { automationNamespace: "flux-system" });
      });
      fullMs = Math.min(fullMs, full.ms);
      changed = full.value.changed.length;
    }
    console.log(`files: ${FILES}, total: ${(total / 1024 / 1024).toFixed(1)} MB, files changed: ${changed}`);
    console.log(`(a) readTree only:              ${readMs.toFixed(0)} ms`);
    console.log(`(b) readTree + applySetters:    ${fullMs.toFixed(0)} ms`);
    console.log(`ratio b/a: ${(fullMs / readMs).toFixed(2)} (target <= 2)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await run();
}
