/**
 * The use case shared by the CLI and the worker: repository files in,
 * policy results and per-automation update plans out. I/O comes in through
 * the TagSource; the decisions are the core's.
 */
import { type Problem, uniqueProblems } from "../core/errors.js";
import { parseRepository, type ParseOptions, type RepoModel } from "../core/manifests/parse.js";
import { evaluatePolicies, nsName, planAutomation, type AutomationPlan, type PolicyResult, type ScanOutcome } from "../core/plan.js";
import type { LatestRef, RepoFile } from "../core/types.js";
import { needsDigestFetch, reflectDigest, type PolicyRefs } from "../core/digest-reflection.js";
import type { ImageInfo } from "../core/release/info.js";
import { mapLimit } from "./map-limit.js";
import { evaluateWithRelease } from "./release-info.js";
import type { TagSource } from "./ports/index.js";

export interface RepoPlan {
  model: RepoModel;
  scans: Map<string, ScanOutcome>;
  policies: PolicyResult[];
  automations: AutomationPlan[];
  problems: Problem[];
  /** what was read of the candidates' images, by `infoKey(image, tag)` (with TagSource.imageInfo) */
  infos?: Map<string, ImageInfo | null>;
}

export interface PlanOptions {
  tags: TagSource;
  overrides?: ReadonlyMap<string, LatestRef>;
  defaultBranch: string;
  /** how many registries to scan at once */
  concurrency?: number;
  /** the clock, for commit message templates */
  now?: Date;
  /** which repository and branch the files are, to find the clusters that apply them */
  parse?: ParseOptions;
}

export async function scanAll(model: RepoModel, tags: TagSource, concurrency = 8): Promise<Map<string, ScanOutcome>> {
  const scans = new Map<string, ScanOutcome>();
  const outcomes = await mapLimit(model.repositories, concurrency, async (repo) => {
    try {
      return await tags.scan(repo);
    } catch (e) {
      return { ok: false as const, code: (e as { code?: string }).code ?? "registry.error", error: (e as Error).message };
    }
  });
  for (const [i, repo] of model.repositories.entries()) scans.set(nsName(repo), outcomes[i]!);
  return scans;
}

/**
 * Digest reflection (image-reflector-controller internal/controller/imagepolicy_controller.go):
 * reads the digest of each selected tag when
 * the policy's digestReflectionPolicy asks for it, keeping the previous digest
 * for IfNotPresent, and moves observedPreviousRef as Flux does. `previous`
 * holds the refs of the last evaluation, by ImagePolicy key (`nsName`).
 */
export async function fillDigests(
  results: PolicyResult[],
  tags: Pick<TagSource, "digest">,
  problems: Problem[],
  previous: Readonly<Record<string, PolicyRefs | undefined>> = {},
): Promise<void> {
  for (const r of results) {
    if (!r.latestRef || !r.policy || r.source === "override") continue;
    const prev = previous[nsName(r)];
    const policy = r.policy.spec.digestReflectionPolicy;
    const selected = { name: r.latestRef.name, tag: r.latestRef.tag };
    try {
      let fetched: string | undefined;
      if (needsDigestFetch(prev, selected, policy) && r.repository && tags.digest) fetched = await tags.digest(r.repository, selected.tag);
      const next = reflectDigest(prev, selected, policy, fetched);
      r.latestRef = next.latestRef;
      r.observedPreviousRef = next.observedPreviousRef;
    } catch (e) {
      const msg = `could not read the digest of ${selected.name}:${selected.tag}: ${(e as Error).message}`;
      r.error = { code: "policy.digest-failed", message: msg };
      r.latestRef = undefined;
      problems.push({
        code: "policy.digest-failed",
        message: msg,
        severity: "error",
        file: r.policy?.file,
        line: r.policy?.line,
        object: `ImagePolicy/${r.namespace}/${r.name}`,
      });
    }
  }
}

/** Plans every automation of a repository. */
export async function planRepository(files: readonly RepoFile[], opts: PlanOptions): Promise<RepoPlan> {
  const model = parseRepository(files, opts.parse);
  const scans = await scanAll(model, opts.tags, opts.concurrency ?? 8);
  return planFromScans(model, files, scans, opts);
}

export interface Evaluation {
  results: PolicyResult[];
  problems: Problem[];
  infos?: Map<string, ImageInfo | null>;
}

/**
 * The one evaluation the CLI and the worker share: every policy on the scans,
 * with the candidates' images when the source can read them (minimum release
 * age, age and source), then digest reflection. `previous` holds the refs of
 * the last evaluation by policy key (the worker's state; the CLI has none).
 */
export async function evaluateRepository(
  model: RepoModel,
  scans: ReadonlyMap<string, ScanOutcome>,
  source: Pick<TagSource, "digest" | "imageInfo">,
  opts: { now: Date; overrides?: ReadonlyMap<string, LatestRef>; previous?: Readonly<Record<string, PolicyRefs | undefined>> },
): Promise<Evaluation> {
  const read = source.imageInfo?.bind(source);
  const evaluated = read
    ? await evaluateWithRelease(model, scans, read, { now: opts.now, overrides: opts.overrides })
    : { ...evaluatePolicies(model, scans, opts.overrides), infos: undefined };
  const problems = [...evaluated.problems];
  await fillDigests(evaluated.results, source, problems, opts.previous);
  return { results: evaluated.results, problems, ...(evaluated.infos ? { infos: evaluated.infos } : {}) };
}

export async function planFromScans(model: RepoModel, files: readonly RepoFile[], scans: Map<string, ScanOutcome>, opts: PlanOptions): Promise<RepoPlan> {
  const {
    results,
    problems: policyProblems,
    infos,
  } = await evaluateRepository(model, scans, opts.tags, { now: opts.now ?? new Date(), overrides: opts.overrides });
  const problems: Problem[] = [...model.problems, ...policyProblems];
  for (const repo of model.repositories) {
    const s = scans.get(nsName(repo));
    if (s && !s.ok)
      problems.push({
        code: s.code,
        message: `scan of ${repo.spec.image} failed: ${s.error}`,
        severity: "error",
        file: repo.file,
        line: repo.line,
        object: `ImageRepository/${nsName(repo)}`,
      });
  }
  const automations = model.automations.map((a) => planAutomation(model, a, results, files, { defaultBranch: opts.defaultBranch, now: opts.now }));
  for (const a of automations) problems.push(...a.problems);
  return { model, scans, policies: results, automations, problems: uniqueProblems(problems), ...(infos ? { infos } : {}) };
}
