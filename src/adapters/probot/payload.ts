/** What the webhook handlers read from GitHub's payloads, the same way for every event. */
import type { RepoId } from "../../app/ports.js";

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
