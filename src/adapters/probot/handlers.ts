/**
 * Webhook handlers: each filters the event, enqueues a job and says why
 * when it skips. None does real work: a webhook must be answered within
 * GitHub's 10 seconds, and a job can be retried where a webhook cannot.
 */
import type { Context, Probot } from "probot";
import { isYamlFile } from "../../core/manifests/documents.js";
import { accountRef, type ListedRepo, listedRepoId } from "./payload.js";
import type { JobQueue, RepoId, StateStore } from "../../app/ports/index.js";

export interface HandlerDeps {
  queue: JobQueue;
  state: StateStore;
  /** true when this delivery id was seen before (a replay or a redelivery already handled) */
  seenDelivery?: (id: string) => Promise<boolean>;
  /** removes every schedule of a repository */
  removeRepository: (repo: RepoId) => Promise<void>;
  /** called for every delivery, for metrics */
  onDelivery?: (event: string, outcome: "enqueued" | "skipped" | "duplicate") => void;
}

type InstallationContext = Context<"installation.created" | "installation.deleted" | "installation_repositories">;

async function duplicate(deps: HandlerDeps, ctx: Context, event: string): Promise<boolean> {
  if (!deps.seenDelivery) return false;
  if (await deps.seenDelivery(ctx.id)) {
    ctx.log.info({ event, delivery: ctx.id }, "skipping a delivery already handled");
    deps.onDelivery?.(event, "duplicate");
    return true;
  }
  return false;
}

export function registerHandlers(app: Probot, deps: HandlerDeps): void {
  const syncAll = async (ctx: InstallationContext, event: string, repos: ListedRepo[], reason: string): Promise<void> => {
    if (await duplicate(deps, ctx, event)) return;
    const installationId = ctx.payload.installation.id;
    const account = accountRef(ctx.payload);
    for (const r of repos) await deps.queue.enqueue("sync-repo", { ...listedRepoId(installationId, r), account, reason });
    ctx.log.info({ event, installation: installationId, repositories: repos.length }, "sync enqueued");
    deps.onDelivery?.(event, repos.length ? "enqueued" : "skipped");
  };

  const dropAll = async (ctx: InstallationContext, event: string, repos: ListedRepo[] | undefined): Promise<void> => {
    if (await duplicate(deps, ctx, event)) return;
    const installationId = ctx.payload.installation.id;
    const list = repos ? repos.map((r) => listedRepoId(installationId, r)) : await deps.state.list(installationId);
    for (const repo of list) {
      await deps.removeRepository(repo);
      await deps.state.delete(repo);
    }
    ctx.log.info({ event, installation: installationId, repositories: list.length }, "schedules and state dropped");
    deps.onDelivery?.(event, "enqueued");
  };

  app.on("installation.created", (ctx) => syncAll(ctx, "installation.created", ctx.payload.repositories ?? [], "installation created"));
  app.on("installation_repositories.added", (ctx) => syncAll(ctx, "installation_repositories.added", ctx.payload.repositories_added, "repository added"));
  app.on("installation.deleted", (ctx) => dropAll(ctx, "installation.deleted", ctx.payload.repositories));
  app.on("installation_repositories.removed", (ctx) => dropAll(ctx, "installation_repositories.removed", ctx.payload.repositories_removed));

  app.on("push", async (ctx) => {
    const p = ctx.payload;
    const skip = (why: string): void => {
      ctx.log.debug({ event: "push", repo: p.repository?.full_name, ref: p.ref }, `push skipped: ${why}`);
      deps.onDelivery?.("push", "skipped");
    };
    if (!p.installation?.id) return skip("no installation in the payload");
    if (typeof p.ref !== "string" || !p.ref.startsWith("refs/heads/")) return skip("not a branch");
    if (p.deleted) return skip("branch deleted");
    const branch = p.ref.slice("refs/heads/".length);
    const owner = p.repository.owner?.login ?? p.repository.owner?.name;
    if (!owner) return skip("no repository owner in the payload");
    const repo: RepoId = { installationId: p.installation.id, owner, repo: p.repository.name };
    const state = await deps.state.get(repo);
    const branches = new Set<string>();
    for (const a of state?.model?.automations ?? []) {
      const b = a.spec.git?.checkout?.ref?.branch;
      if (b) branches.add(b);
    }
    branches.add(state?.defaultBranch ?? p.repository.default_branch);
    if (!branches.has(branch)) return skip(`branch ${branch} is not the default branch nor one an automation checks out`);
    const commits = p.commits ?? [];
    const paths = commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
    // GitHub lists at most 20 commits (and 3000 files per commit); a larger push may hide YAML changes.
    const truncated = commits.length >= 20 || p.forced === true || p.created === true;
    if (!truncated && !paths.some(isYamlFile)) return skip("no YAML file changed");
    if (await duplicate(deps, ctx, "push")) return;
    await deps.queue.enqueue("sync-repo", { ...repo, account: accountRef(p), reason: `push to ${branch}` });
    ctx.log.info({ event: "push", repo: `${repo.owner}/${repo.repo}`, branch }, "sync enqueued");
    deps.onDelivery?.("push", "enqueued");
  });
}
