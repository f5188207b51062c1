/**
 * The sync-repo job: read the Flux objects of a repository, store its model,
 * schedule a scan per ImageRepository and a run per ImageUpdateAutomation,
 * and start the work for what is new.
 */
import { problem } from "../core/errors.js";
import { durationMs } from "../core/duration.js";
import { parseRepository } from "../core/manifests/parse.js";
import { nsName } from "../core/plan.js";
import { jobKey } from "./jobs.js";
import { readYamlFiles } from "./repo-files.js";
import type { ReadBudget } from "../core/read-budget.js";
import type { JobQueue, SyncJobData, Clock, Logger, RepoGateway, RepoId, StateStore } from "./ports/index.js";

export interface SyncDeps {
  gateway: RepoGateway;
  state: StateStore;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  /** floor for every schedule interval */
  minIntervalMs: number;
  /** how often a repository is re-read even without push webhooks */
  syncIntervalMs: number;
  /** how much of the repository a sync reads */
  readBudget?: ReadBudget;
}

export interface SyncResult {
  repositories: number;
  policies: number;
  automations: number;
  problems: number;
  scansEnqueued: number;
  schedulesRemoved: number;
  skipped?: string;
}

export async function syncRepository(deps: SyncDeps, data: SyncJobData): Promise<SyncResult> {
  const repo = { installationId: data.installationId, owner: data.owner, repo: data.repo };
  const now = deps.clock.now().toISOString();
  let defaultBranch: string;
  try {
    defaultBranch = await deps.gateway.getDefaultBranch(repo);
  } catch (e) {
    if ((e as { code?: unknown }).code === "github.not-found") return repositoryGone(deps, repo, e as Error);
    throw e;
  }
  const head = await deps.gateway.getBranchHead(repo, defaultBranch);
  if (!head) {
    await deps.state.update(repo, (s) => {
      s.defaultBranch = defaultBranch;
      s.problems.sync = [problem("repository.empty", `the default branch ${defaultBranch} has no commits yet`)];
    });
    return { repositories: 0, policies: 0, automations: 0, problems: 1, scansEnqueued: 0, schedulesRemoved: 0, skipped: "empty repository" };
  }
  const { files, problems: fileProblems } = await readYamlFiles(deps.gateway, repo, head.treeSha, deps.readBudget);
  // The model is what Flux would apply from this repository's default branch.
  const model = parseRepository(files, { repository: { owner: repo.owner, repo: repo.repo }, branch: defaultBranch });
  let previousScans: Record<string, unknown> = {};
  await deps.state.update(repo, (s) => {
    previousScans = s.scans;
    s.account = data.account ?? s.account;
    s.defaultBranch = defaultBranch;
    s.lastSync = { at: now, branch: defaultBranch, sha: head.sha };
    s.model = model;
    s.problems.sync = [...fileProblems, ...model.problems];
    const keep = (rec: Record<string, unknown>, keys: string[]): void => {
      for (const k of Object.keys(rec)) if (!keys.includes(k)) delete rec[k];
    };
    keep(s.scans, model.repositories.map(nsName));
    keep(s.policies, model.policies.map(nsName));
    keep(s.automations, model.automations.map(nsName));
    for (const k of Object.keys(s.problems)) {
      const [kind, key] = k.split(":");
      if (kind === "reconcile" && !model.automations.some((a) => nsName(a) === key)) delete s.problems[k];
      if (kind === "scan" && !model.repositories.some((r) => nsName(r) === key)) delete s.problems[k];
    }
  });

  const base = { installationId: repo.installationId, owner: repo.owner, repo: repo.repo, account: data.account };
  const keepSchedules = new Set<string>();
  let scansEnqueued = 0;
  for (const r of model.repositories) {
    if (r.spec.suspend) continue;
    const jobData = { ...base, namespace: r.namespace, name: r.name, ...(r.scope ? { scope: r.scope } : {}), reason: "schedule" };
    keepSchedules.add(jobKey("scan-image", jobData));
    await deps.queue.upsertSchedule("scan-image", jobData, Math.max(deps.minIntervalMs, durationMs(r.spec.interval) ?? 0));
    if (!(nsName(r) in previousScans) || data.forceScan) {
      await deps.queue.enqueue("scan-image", { ...jobData, reason: data.forceScan ? "forced sync" : "new ImageRepository", force: !!data.forceScan });
      scansEnqueued++;
    }
  }
  for (const a of model.automations) {
    if (a.spec.suspend) continue;
    const jobData = { ...base, namespace: a.namespace, name: a.name, ...(a.scope ? { scope: a.scope } : {}), reason: "schedule" };
    keepSchedules.add(jobKey("reconcile", jobData));
    await deps.queue.upsertSchedule("reconcile", jobData, Math.max(deps.minIntervalMs, durationMs(a.spec.interval) ?? 0));
    // A sync means the objects or the files may have changed: run every automation once now.
    await deps.queue.enqueue("reconcile", { ...jobData, reason: `sync (${data.reason ?? "requested"})` });
  }
  keepSchedules.add(jobKey("sync-repo", base));
  await deps.queue.upsertSchedule("sync-repo", { ...base, reason: "schedule" }, deps.syncIntervalMs);
  const schedulesRemoved = await deps.queue.pruneSchedules(repo, keepSchedules);
  await deps.queue.enqueue("sync-dashboard", { ...base, reason: "sync" });
  const result = {
    repositories: model.repositories.length,
    policies: model.policies.length,
    automations: model.automations.length,
    problems: model.problems.length,
    scansEnqueued,
    schedulesRemoved,
  };
  deps.logger.info({ repo: `${repo.owner}/${repo.repo}`, ...result }, "repository synced");
  return result;
}

/**
 * The repository (or the installation) is gone, or the app may no longer read it: its schedules are
 * dropped so they stop failing every interval. When the bot still had state for it (deleted without an
 * uninstall webhook), the failure is recorded as a Problem and rethrown (terminal: not-found is not
 * retryable); without state (removed from the installation while this job waited) the job skips.
 */
async function repositoryGone(deps: SyncDeps, repo: RepoId, err: Error): Promise<SyncResult> {
  const schedulesRemoved = await deps.queue.pruneSchedules(repo, new Set());
  const known = await deps.state.get(repo);
  deps.logger.warn({ repo: `${repo.owner}/${repo.repo}`, schedulesRemoved, known: !!known }, "repository not found; its schedules were removed");
  if (!known)
    return {
      repositories: 0,
      policies: 0,
      automations: 0,
      problems: 0,
      scansEnqueued: 0,
      schedulesRemoved,
      skipped: "repository not found (removed from the installation or deleted)",
    };
  await deps.state.update(repo, (s) => {
    s.problems.sync = [
      problem(
        "github.not-found",
        `GitHub answered 404 for ${repo.owner}/${repo.repo}: the repository was deleted, renamed or removed from the app's installation. Its schedules were removed; a push or re-adding the repository to the installation starts it again.`,
      ),
    ];
  });
  throw err;
}
