/**
 * The image scan (the `scan-image` job, the dashboard's `scan-repository` box):
 * refresh one ImageRepository's tags through the ImageScanner (shared through
 * the scan cache) and, when the tag list changed, run the automations that may
 * use it.
 */
import { problem } from "../core/errors.js";
import { nsName } from "../core/plan.js";
import { objectKey, scopedName } from "../core/types.js";
import { scanState, type ImageScanner } from "./image-scanner.js";
import type { JobQueue, ObjectJobData, Clock, Logger, StateStore } from "./ports/index.js";

export interface ScanImageDeps {
  state: StateStore;
  scanner: ImageScanner;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
}

export type ScanImageResult =
  | { result: "skipped"; reason: string }
  | { result: "scanned" | "cached" | "failed"; tagCount?: number; changed: boolean; reconciles: number; error?: string };

export async function scanImage(deps: ScanImageDeps, data: ObjectJobData): Promise<ScanImageResult> {
  const repo = { installationId: data.installationId, owner: data.owner, repo: data.repo };
  const key = scopedName(data);
  const state = await deps.state.get(repo);
  const target = state?.model?.repositories.find((r) => nsName(r) === key);
  if (!state?.model || !target) return { result: "skipped", reason: state?.model ? `ImageRepository ${key} no longer exists` : "repository not synced yet" };
  if (target.spec.suspend) return { result: "skipped", reason: "suspended" };
  const now = deps.clock.now().toISOString();
  const detail = await deps.scanner.scan(data.account ?? state.account, target, !!data.force);
  const next = scanState(target.spec.image, target.spec.exclusionList, detail.outcome, detail.canonical, now);
  const prev = state.scans[key];
  const changed = next.revision !== undefined && next.revision !== prev?.revision;
  await deps.state.update(repo, (s) => {
    // the image infos the reconciles read stay with the record (flux-image-bot release information)
    s.scans[key] =
      next.error && prev?.revision ? { ...prev, error: next.error, attemptedAt: now } : { ...next, ...(prev?.images ? { images: prev.images } : {}) };
    const problems = [];
    if (!detail.outcome.ok)
      problems.push(
        problem(detail.outcome.code, `scan of ${target.spec.image} failed: ${detail.outcome.error}`, {
          file: target.file,
          line: target.line,
          object: objectKey(target),
        }),
      );
    if (detail.truncated)
      problems.push({
        ...problem(
          "registry.truncated",
          `${target.spec.image} has more tags than the bot reads; the list was cut, so the newest tags may be missing: use filterTags or ask the operator to raise REGISTRY_MAX_TAGS`,
          { file: target.file, line: target.line, object: objectKey(target) },
        ),
        severity: "warning" as const,
      });
    s.problems[`scan:${key}`] = problems;
  });
  let reconciles = 0;
  if (changed || data.force) {
    const refKey = (p: { namespace: string; scope?: string; spec: { imageRepositoryRef: { namespace?: string; name: string } } }) =>
      scopedName({ namespace: p.spec.imageRepositoryRef.namespace ?? p.namespace, name: p.spec.imageRepositoryRef.name, scope: p.scope });
    const namespaces = new Set(state.model.policies.filter((p) => refKey(p) === key).map((p) => `${p.scope ?? ""}|${p.namespace}`));
    for (const a of state.model.automations) {
      if (!namespaces.has(`${a.scope ?? ""}|${a.namespace}`) || a.spec.suspend) continue;
      await deps.queue.enqueue("reconcile", {
        installationId: repo.installationId,
        owner: repo.owner,
        repo: repo.repo,
        account: data.account,
        namespace: a.namespace,
        name: a.name,
        ...(a.scope ? { scope: a.scope } : {}),
        reason: `new tags for ${target.spec.image}`,
      });
      reconciles++;
    }
  }
  if (changed || !detail.outcome.ok || data.force)
    await deps.queue.enqueue("sync-dashboard", {
      installationId: repo.installationId,
      owner: repo.owner,
      repo: repo.repo,
      account: data.account,
      reason: "scan",
    });
  if (!detail.outcome.ok) return { result: "failed", changed: false, reconciles, error: detail.outcome.error };
  return { result: detail.fresh ? "scanned" : "cached", tagCount: next.tagCount, changed, reconciles };
}
