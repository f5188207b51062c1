/**
 * Webhook handlers: each filters the event, enqueues a job and says why
 * when it skips. None does real work: a webhook must be answered within
 * GitHub's 10 seconds, and a job can be retried where a webhook cannot.
 */
import type { Context, Probot } from "probot";
import { isYamlFile } from "../../core/manifests/documents.js";
import type { JobQueue } from "../../app/jobs.js";
import type { RepoId } from "../../app/ports.js";
import type { StateStore } from "../../app/state.js";
import { accountRef } from "./dashboard-handlers.js";

export interface HandlerDeps {
  queue: JobQueue;
  state: StateStore;
  /** true when this delivery id was seen before (a replay or a redelivery already handled) */
  seenDelivery?: (id: string) => Promise<boolean>;
  /** removes every schedule of a repository */
  removeRepository: (repo: RepoId) => Promise<void>;
  /** called for every delivery, for metrics */
  onDelivery?: (event: string, outcome: "enqueued" | "skipped" | "duplicate") => void;
  /** extra handlers (dashboard and chatops) */
  extra?: (app: Probot, deps: HandlerDeps) => void;
}

interface RepoLike {
  name: string;
  full_name: string;
}

type AnyContext = Context & { payload: Record<string, any> };

function repoOf(installationId: number, r: RepoLike): RepoId {
  const [owner] = r.full_name.split("/");
  return { installationId, owner, repo: r.name };
}

async function duplicate(deps: HandlerDeps, ctx: AnyContext, event: string): Promise<boolean> {
  if (!deps.seenDelivery) return false;
  if (await deps.seenDelivery(ctx.id)) {
    ctx.log.info({ event, delivery: ctx.id }, "skipping a delivery already handled");
    deps.onDelivery?.(event, "duplicate");
    return true;
  }
  return false;
}

export function registerHandlers(app: Probot, deps: HandlerDeps): void {
  const syncAll = async (ctx: AnyContext, event: string, repos: RepoLike[], reason: string): Promise<void> => {
    if (await duplicate(deps, ctx, event)) return;
    const installationId = ctx.payload.installation.id as number;
    const account = accountRef(ctx.payload);
    for (const r of repos) await deps.queue.enqueue("sync-repo", { ...repoOf(installationId, r), account, reason });
    ctx.log.info({ event, installation: installationId, repositories: repos.length }, "sync enqueued");
    deps.onDelivery?.(event, repos.length ? "enqueued" : "skipped");
  };

  const dropAll = async (ctx: AnyContext, event: string, repos: RepoLike[] | undefined): Promise<void> => {
    if (await duplicate(deps, ctx, event)) return;
    const installationId = ctx.payload.installation.id as number;
    const list = repos ? repos.map((r) => repoOf(installationId, r)) : await deps.state.list(installationId);
    for (const repo of list) {
      await deps.removeRepository(repo);
      await deps.state.delete(repo);
    }
    ctx.log.info({ event, installation: installationId, repositories: list.length }, "schedules and state dropped");
    deps.onDelivery?.(event, "enqueued");
  };

  app.on("installation.created", (ctx) => syncAll(ctx as AnyContext, "installation.created", (ctx.payload.repositories ?? []) as RepoLike[], "installation created"));
  app.on("installation_repositories.added", (ctx) => syncAll(ctx as AnyContext, "installation_repositories.added", ctx.payload.repositories_added as RepoLike[], "repository added"));
  app.on("installation.deleted", (ctx) => dropAll(ctx as AnyContext, "installation.deleted", ctx.payload.repositories as RepoLike[] | undefined));
  app.on("installation_repositories.removed", (ctx) => dropAll(ctx as AnyContext, "installation_repositories.removed", ctx.payload.repositories_removed as RepoLike[]));

  app.on("push", async (context) => {
    const ctx = context as AnyContext;
    const p = ctx.payload;
    const skip = (why: string): void => {
      ctx.log.debug({ event: "push", repo: p.repository?.full_name, ref: p.ref }, `push skipped: ${why}`);
      deps.onDelivery?.("push", "skipped");
    };
    if (!p.installation?.id) return skip("no installation in the payload");
    if (typeof p.ref !== "string" || !p.ref.startsWith("refs/heads/")) return skip("not a branch");
    if (p.deleted) return skip("branch deleted");
    const branch = p.ref.slice("refs/heads/".length);
    const repo: RepoId = { installationId: p.installation.id, owner: p.repository.owner.login ?? p.repository.owner.name, repo: p.repository.name };
    const state = await deps.state.get(repo);
    const branches = new Set<string>();
    for (const a of state?.model?.automations ?? []) {
      const b = a.spec.git?.checkout?.ref?.branch;
      if (b) branches.add(b);
    }
    branches.add(state?.defaultBranch ?? p.repository.default_branch);
    if (!branches.has(branch)) return skip(`branch ${branch} is not the default branch nor one an automation checks out`);
    const commits = (p.commits ?? []) as Array<{ added?: string[]; modified?: string[]; removed?: string[] }>;
    const paths = commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
    // GitHub lists at most 20 commits (and 3000 files per commit); a larger push may hide YAML changes.
    const truncated = commits.length >= 20 || p.forced === true || p.created === true;
    if (!truncated && !paths.some(isYamlFile)) return skip("no YAML file changed");
    if (await duplicate(deps, ctx, "push")) return;
    await deps.queue.enqueue("sync-repo", { ...repo, account: accountRef(p), reason: `push to ${branch}` });
    ctx.log.info({ event: "push", repo: `${repo.owner}/${repo.repo}`, branch }, "sync enqueued");
    deps.onDelivery?.("push", "enqueued");
  });

  deps.extra?.(app, deps);
}
