/**
 * The bot's labels (PULL_REQUEST_LABELS, default `flux-image-update`): made
 * in the repository when missing, then added to the bot's pull requests and
 * dashboard issue. Adding never replaces labels people put on them.
 */
import { GitHubError, GitHubNotFoundError } from "./errors.js";
import { type GatewayContext, repoKey, scopeOf } from "./gateway-context.js";
import type { RepoId } from "../../app/ports/index.js";

const COLOR = "0e8a16";
const DESCRIPTION = "Image updates by flux-image-bot";
/** Repositories whose labels are known to exist, bounded (a miss only costs one GET). */
const MAX_KNOWN = 10_000;

export function createLabels(ctx: GatewayContext) {
  const { client } = ctx;
  const known = new Set<string>();

  async function ensureLabel(repo: RepoId, name: string): Promise<void> {
    const key = `${repoKey(repo)}:${name}`;
    if (known.has(key)) return;
    try {
      await client.read(scopeOf(repo), "GET /repos/{owner}/{repo}/labels/{name}", { name });
    } catch (err) {
      if (!(err instanceof GitHubNotFoundError)) throw err;
      try {
        await client.write(scopeOf(repo), "POST /repos/{owner}/{repo}/labels", { name, color: COLOR, description: DESCRIPTION });
      } catch (e) {
        // 422: made meanwhile by someone else; that is what we wanted.
        if (!(e instanceof GitHubError && e.status === 422)) throw e;
      }
    }
    if (known.size >= MAX_KNOWN) known.clear();
    known.add(key);
  }

  /** Adds `labels` to an issue or pull request, making the labels first when missing. */
  async function addLabels(repo: RepoId, issueNumber: number, labels: readonly string[]): Promise<void> {
    if (!labels.length) return;
    for (const l of labels) await ensureLabel(repo, l);
    await client.write(scopeOf(repo), "POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { issue_number: issueNumber, labels: [...labels] });
  }

  return { ensureLabel, addLabels };
}
