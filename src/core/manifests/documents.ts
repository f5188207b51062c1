/**
 * Multi-document YAML reading for manifests. Bad documents are skipped and
 * reported, never fatal: one broken file never hides the others.
 */
import { type Document, type EmptyStream, LineCounter, parseAllDocuments } from "yaml";
import type { Problem } from "../errors.js";
import { problem } from "../errors.js";

export interface YamlDoc {
  file: string;
  /** 1-based line where the document's content starts. */
  line: number;
  data: unknown;
  /** 1-based line of a key path inside the document, when it can be found. */
  lineOf(path: readonly (string | number)[]): number;
}

/** Files whose text mentions these are worth reporting when they do not parse. */
const INTERESTING = /image\.toolkit\.fluxcd\.io|kustomize\.config\.k8s\.io|kustomize\.toolkit\.fluxcd\.io/;

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface ReadDocumentsResult {
  docs: YamlDoc[];
  problems: Problem[];
  /** what made documents unreadable, reported or not (a kustomize build fails on any of them) */
  errors: string[];
}

export function readDocuments(file: string, text: string): ReadDocumentsResult {
  const problems: Problem[] = [];
  const docs: YamlDoc[] = [];
  const errors: string[] = [];
  const report = reportsProblems(file, text);
  if (text.length > MAX_MANIFEST_BYTES) {
    if (report) problems.push(problem("manifest.too-large", `file is larger than ${MAX_MANIFEST_BYTES} bytes and was not read; split it`, { file }));
    errors.push(`file is larger than ${MAX_MANIFEST_BYTES} bytes`);
    return { docs, problems, errors };
  }
  const lc = new LineCounter();
  let parsed: Document.Parsed[] | EmptyStream;
  try {
    parsed = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false, strict: false });
  } catch (e) {
    if (report) problems.push(problem("manifest.invalid-yaml", `YAML could not be parsed: ${(e as Error).message}`, { file }));
    errors.push((e as Error).message);
    return { docs, problems, errors };
  }
  const all: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  for (const doc of all) {
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const line = lc.linePos(start).line;
    if (doc.errors.length > 0) {
      errors.push(`line ${doc.errors[0].linePos?.[0]?.line ?? line}: ${doc.errors[0].message.split("\n")[0]}`);
      if (report) {
        const err = doc.errors[0];
        const errLine = err.linePos?.[0]?.line ?? line;
        problems.push(
          problem("manifest.invalid-yaml", `YAML error: ${err.message.split("\n")[0]}; fix the syntax so the document can be read`, { file, line: errLine }),
        );
      }
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      if (report) problems.push(problem("manifest.invalid-yaml", `YAML could not be read: ${(e as Error).message}`, { file, line }));
      errors.push((e as Error).message);
      continue;
    }
    if (data === null || data === undefined) continue;
    docs.push({
      file,
      line,
      data,
      lineOf(path) {
        try {
          const node = doc.getIn(path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
          if (node?.range) return lc.linePos(node.range[0]).line;
          // fall back to the key of the last segment
        } catch {
          /* ignore */
        }
        return line;
      },
    });
  }
  return { docs, problems, errors };
}

/** Files whose unreadable documents are reported: those that mention the Flux groups, and kustomization files. */
export function reportsProblems(file: string, text: string): boolean {
  return INTERESTING.test(text) || isKustomizationFile(file);
}

export function isKustomizationFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base === "kustomization.yaml" || base === "kustomization.yml" || base === "Kustomization";
}

/** Files the bot reads from a repository: YAML, and `.sourceignore` (what Flux's artifact leaves out). */
export function isRepoInput(path: string): boolean {
  return isYamlFile(path) || path === ".sourceignore" || path.endsWith("/.sourceignore");
}

export function isYamlFile(path: string): boolean {
  return path.endsWith(".yaml") || path.endsWith(".yml") || isKustomizationFile(path);
}
