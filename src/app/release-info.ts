/**
 * Reads what the policies' candidate images say about themselves (through a
 * port) and evaluates the policies again with it, so the minimum release age
 * can decide and pull requests, the dashboard and `plan --json` can show
 * age, source and notes. Bounded: at most MAX_AGE_CANDIDATES tags per policy
 * and `maxImages` per run; an image that cannot be read counts as old enough.
 */
import { problem, type Problem } from "../core/errors.js";
import type { RepoModel } from "../core/manifests/parse.js";
import { evaluatePolicies, nsName, type PolicyResult, type ScanOutcome } from "../core/plan.js";
import { automationGates, policyGates } from "../core/release/annotations.js";
import type { ImageInfo } from "../core/release/info.js";
import { tagsToInspect } from "../core/release/policy-gate.js";
import type { ImageRepository, LatestRef } from "../core/types.js";
import { objectKey } from "../core/types.js";

export type ReadImageInfo = (repo: ImageRepository, tag: string) => Promise<ImageInfo | undefined>;

/** `image:tag` as a map key (spec.image as written). */
export const infoKey = (image: string, tag: string): string => `${image}\u0000${tag}`;

export const DEFAULT_MAX_IMAGES = 100;
/** Time for all the image reads of one run; what is not read by then counts as unread. */
export const DEFAULT_READ_BUDGET_MS = 60_000;

export interface ReleaseEvaluation {
  results: PolicyResult[];
  problems: Problem[];
  /** what was read, by infoKey; null when the read failed */
  infos: Map<string, ImageInfo | null>;
}

/** Reads the images `results` need, in order, up to `max`. */
export async function readImageInfos(
  results: readonly PolicyResult[],
  scans: ReadonlyMap<string, ScanOutcome>,
  read: ReadImageInfo,
  problems: Problem[],
  max = DEFAULT_MAX_IMAGES,
  infos = new Map<string, ImageInfo | null>(),
  deadline = Date.now() + DEFAULT_READ_BUDGET_MS,
): Promise<Map<string, ImageInfo | null>> {
  for (const r of results) {
    if (!r.policy || !r.repository) continue;
    const scan = scans.get(nsName(r.repository));
    if (!scan?.ok) continue;
    for (const tag of tagsToInspect(r.policy, r.repository, scan.tags, r.latestRef?.tag)) {
      const key = infoKey(r.repository.spec.image, tag);
      if (infos.has(key)) continue;
      if (infos.size >= max || Date.now() >= deadline) return infos;
      try {
        infos.set(key, (await read(r.repository, tag)) ?? null);
      } catch (e) {
        infos.set(key, null);
        // Only where it decides something (the minimum release age); elsewhere the age just shows as unknown.
        if (policyGates(r.policy).gates.minimumAgeMs !== undefined)
          problems.push({
            ...problem(
              "registry.image-info",
              `could not read the manifest and config of ${r.repository.spec.image}:${tag}: ${(e as Error).message}; its age and source are unknown`,
              { file: r.repository.file, line: r.repository.line, object: objectKey(r.repository) },
            ),
            severity: "warning",
          });
      }
    }
  }
  return infos;
}

/** The bot's annotation Problems for every policy and automation of the model. */
export function annotationProblems(model: RepoModel): Problem[] {
  return [...model.policies.flatMap((p) => policyGates(p).problems), ...model.automations.flatMap((a) => automationGates(a).problems)];
}

/** evaluatePolicies, then again with the image infos of the candidates. */
export async function evaluateWithRelease(
  model: RepoModel,
  scans: ReadonlyMap<string, ScanOutcome>,
  read: ReadImageInfo,
  opts: { now: Date; overrides?: ReadonlyMap<string, LatestRef>; maxImages?: number; budgetMs?: number },
): Promise<ReleaseEvaluation> {
  const readProblems: Problem[] = [];
  const deadline = Date.now() + (opts.budgetMs ?? DEFAULT_READ_BUDGET_MS);
  const first = evaluatePolicies(model, scans, opts.overrides);
  const infos = await readImageInfos(first.results, scans, read, readProblems, opts.maxImages, undefined, deadline);
  const second = evaluatePolicies(model, scans, opts.overrides, { now: opts.now, info: (image, tag) => infos.get(infoKey(image, tag)) });
  // The adopted tag may be one not read yet (a gated policy's older candidate is read above; this is for safety).
  await readImageInfos(second.results, scans, read, readProblems, opts.maxImages, infos, deadline);
  return { results: second.results, problems: [...second.problems, ...annotationProblems(model), ...readProblems], infos };
}
