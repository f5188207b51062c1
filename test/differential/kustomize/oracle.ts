/**
 * Both sides of the kustomize differential: `kubectl kustomize
 * --load-restrictor LoadRestrictionsNone` (what Flux's kustomize-controller
 * runs) on a case written to a temporary directory, and the bot's Builder on
 * the same files; each reduced to the identities the bot decides from.
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { Builder, BuildError } from "../../../src/core/cluster/kustomize.js";
import { RepoTree } from "../../../src/core/cluster/tree.js";
import type { KCase } from "./gen.js";
import type { Obj } from "./objects.js";

export type Outcome = { ok: true; ids: string[] } | { ok: false; error: string };

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
const LOCAL_CONFIG = "config.kubernetes.io/local-config";

function sortedMap(v: unknown): string {
  if (!isObj(v)) return "";
  return Object.keys(v)
    .sort()
    .map((k) => `${k}=${str(v[k])}`)
    .join(",");
}

/**
 * One object as the comparison sees it: apiVersion, kind, namespace, name,
 * labels, and the references the bot resolves in Flux objects.
 */
export function identity(data: Obj): string {
  const meta = isObj(data.metadata) ? data.metadata : {};
  const spec = isObj(data.spec) ? data.spec : {};
  let out = `${str(data.apiVersion)} ${str(data.kind)} ${str(meta.namespace) || "-"}/${str(meta.name)}`;
  const labels = sortedMap(meta.labels);
  if (labels) out += ` [${labels}]`;
  for (const ref of ["imageRepositoryRef", "sourceRef"]) if (isObj(spec[ref])) out += ` ${ref}=${sortedMap(spec[ref])}`;
  if (typeof spec.targetNamespace === "string") out += ` targetNamespace=${spec.targetNamespace}`;
  return out;
}

const isLocalConfig = (data: Obj): boolean =>
  isObj(data.metadata) && isObj(data.metadata.annotations) && str(data.metadata.annotations[LOCAL_CONFIG]) === "true";

/**
 * The Builder's answer. Its buildDir keeps `local-config` objects (the Flux
 * layer, flux.ts, drops them as kustomize does), so they are dropped here.
 * Anything but a BuildError is a crash and is reported as such.
 */
export function builderOutcome(c: KCase): Outcome {
  try {
    const built = new Builder(new RepoTree(c.files)).buildDir(c.dir);
    return {
      ok: true,
      ids: built
        .map((r) => r.data)
        .filter((d) => !isLocalConfig(d))
        .map(identity)
        .sort(),
    };
  } catch (e) {
    if (e instanceof BuildError) return { ok: false, error: e.message };
    return { ok: false, error: `CRASH ${(e as Error).stack ?? String(e)}` };
  }
}

export class KubectlMissing extends Error {}

function run(args: string[], timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile("kubectl", args, { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve({ code: 0, stdout, stderr });
      const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: unknown };
      if (e.code === "ENOENT")
        return reject(new KubectlMissing("kubectl is not on PATH: the kustomize differential needs kubectl 1.32 (kustomize v5.5), as CI has"));
      if (e.killed || e.signal) return reject(new Error(`kubectl ${args.join(" ")} was killed (${e.signal ?? "timeout"} after ${timeoutMs} ms)`));
      resolve({ code: typeof e.code === "number" ? e.code : 1, stdout, stderr });
    });
  });
}

/** `kubectl version --client`, failing loudly when kubectl is missing. */
export async function kubectlVersion(): Promise<string> {
  const r = await run(["version", "--client"], 30_000);
  if (r.code !== 0) throw new Error(`kubectl version --client failed: ${r.stderr}`);
  return r.stdout.trim().replace(/\n/g, "; ");
}

export async function writeCase(c: KCase): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "kustomize-diff-"));
  for (const f of c.files) {
    const p = path.join(root, ...f.path.split("/"));
    await fs.mkdir(path.dirname(p), { recursive: true });
    await fs.writeFile(p, f.content);
  }
  return root;
}

/** kubectl's answer; an infrastructure failure (missing kubectl, timeout) throws instead. */
export async function kubectlOutcome(c: KCase, timeoutMs = 30_000): Promise<Outcome> {
  const root = await writeCase(c);
  try {
    const r = await run(["kustomize", "--load-restrictor", "LoadRestrictionsNone", path.join(root, ...c.dir.split("/"))], timeoutMs);
    if (r.code !== 0)
      return {
        ok: false,
        error: r.stderr
          .trim()
          .split(root + path.sep)
          .join(""),
      };
    const docs = parseAllDocuments(r.stdout);
    const list = Array.isArray(docs) ? docs : [docs];
    const ids = list
      .map((d) => d.toJS() as unknown)
      .filter(isObj)
      .map(identity)
      .sort();
    return { ok: true, ids };
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

/** Runs `fn` over `items` with at most `n` at a time, keeping order. */
export async function mapPool<T, R>(items: readonly T[], n: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** "" when both agree, else a description of the difference. */
export function difference(builder: Outcome, kubectl: Outcome): string {
  if (!builder.ok && !kubectl.ok) return builder.error.startsWith("CRASH") ? `builder crashed: ${builder.error}` : "";
  if (builder.ok !== kubectl.ok)
    return builder.ok
      ? `kubectl fails (${(kubectl as { error: string }).error}) but the builder succeeds`
      : `the builder fails (${builder.error}) but kubectl succeeds`;
  const a = (builder as { ids: string[] }).ids;
  const b = (kubectl as { ids: string[] }).ids;
  const onlyBuilder = a.filter((x) => !b.includes(x));
  const onlyKubectl = b.filter((x) => !a.includes(x));
  if (!onlyBuilder.length && !onlyKubectl.length && a.length === b.length) return "";
  return [`only in builder:`, ...onlyBuilder.map((x) => `  ${x}`), `only in kubectl:`, ...onlyKubectl.map((x) => `  ${x}`)].join("\n");
}

export function showCase(c: KCase): string {
  return [`build ${c.dir}`, ...c.files.map((f) => `--- ${f.path}\n${f.content.trimEnd()}`)].join("\n");
}
