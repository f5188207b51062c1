/** What the dashboard, chatops and pull-request handlers share: payload helpers and the skip/duplicate checks. */
import type { Context } from "probot";
import type { JobQueue } from "../../app/jobs.js";
import type { RepoId } from "../../app/ports.js";

export interface DashboardHandlerDeps {
  queue: JobQueue;
  prefix: string;
  seenDelivery?: (id: string) => Promise<boolean>;
  onDelivery?: (event: string, outcome: "enqueued" | "skipped" | "duplicate") => void;
}

export type AnyContext = Context & { payload: Record<string, any> };

export const isBot = (u: { login?: string; type?: string } | null | undefined): boolean => !!u && (u.type === "Bot" || (u.login ?? "").endsWith("[bot]"));

export function repoOf(p: Record<string, any>): RepoId {
  return { installationId: p.installation.id as number, owner: p.repository.owner.login as string, repo: p.repository.name as string };
}

export function deliveryChecks(deps: DashboardHandlerDeps) {
  const skip = (ctx: AnyContext, event: string, why: string): void => {
    ctx.log.debug({ event, repo: ctx.payload.repository?.full_name, delivery: ctx.id }, `${event} skipped: ${why}`);
    deps.onDelivery?.(event, "skipped");
  };
  const duplicate = async (ctx: AnyContext, event: string): Promise<boolean> => {
    if (!deps.seenDelivery || !(await deps.seenDelivery(ctx.id))) return false;
    ctx.log.info({ event, delivery: ctx.id }, "skipping a delivery already handled");
    deps.onDelivery?.(event, "duplicate");
    return true;
  };
  return { skip, duplicate };
}
