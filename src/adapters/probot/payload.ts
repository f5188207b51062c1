/** What the webhook handlers read from GitHub's payloads, the same way for every event, and the skip/duplicate checks they share. */
import type { Context } from "probot";
import { accountRefOf } from "../../core/account.js";
import type { JobQueue, RepoId, StateStore, Throttle } from "../../app/ports/index.js";

/** A repository as installation events list it (`full_name` is `owner/name`). */
export interface ListedRepo {
  name: string;
  full_name: string;
}

/** The RepoId of a repository listed in an installation event. */
export function listedRepoId(installationId: number, r: ListedRepo): RepoId {
  return { installationId, owner: r.full_name.slice(0, r.full_name.indexOf("/")), repo: r.name };
}

/** The login of an installation's account (a user or an organisation; an enterprise has none). */
export function accountLogin(account: object | null | undefined): string | undefined {
  return account && "login" in account && typeof account.login === "string" ? account.login : undefined;
}

export interface DashboardHandlerDeps {
  queue: JobQueue;
  prefix: string;
  seenDelivery?: (id: string) => Promise<boolean>;
  onDelivery?: (event: string, outcome: "enqueued" | "skipped" | "duplicate") => void;
  /** read only: the dashboard issue number the bot recorded, when `botLogin` does not match */
  state?: Pick<StateStore, "get">;
  /** this app's bot login (`<slug>[bot]`): only a dashboard it opened takes ticks */
  botLogin?: string;
  /** commands per user: `max` in `windowMs` (CHATOPS_RATE_LIMIT, CHATOPS_RATE_WINDOW_SECONDS); one more gets a note, the rest nothing */
  commandLimit?: { throttle: Throttle; max: number; windowMs: number };
}

/** `<id>/<login>` of the installation's account (see core/account.ts): credentials follow the id. */
export function accountRef(p: WebhookPayload): string | undefined {
  const id = p.installation?.account?.id ?? p.repository?.owner?.id;
  const login = (p.installation?.account?.login ?? p.repository?.owner?.login) as string | undefined;
  return accountRefOf(typeof id === "number" ? id : undefined, login);
}

/**
 * A webhook payload as these handlers read it: GitHub's JSON, checked field by
 * field where it is used (the handlers serve several events of several shapes).
 */
// biome-ignore lint/suspicious/noExplicitAny: webhook JSON of several event shapes, read defensively field by field
export type WebhookPayload = Record<string, any>;

export type AnyContext = Context & { payload: WebhookPayload };

export const isBot = (u: { login?: string; type?: string } | null | undefined): boolean => !!u && (u.type === "Bot" || (u.login ?? "").endsWith("[bot]"));

export function repoOf(p: WebhookPayload): RepoId {
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
