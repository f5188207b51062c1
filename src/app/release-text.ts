/**
 * Gathers what the pull request's "Release information" section shows:
 * the new and old images' info and, for a GitHub source, the release of
 * the new tag (through RepoGateway.getRelease). Failures only leave parts
 * out; they never fail the reconcile.
 */
import { flatChanges } from "../core/changes.js";
import type { AutomationPlan, PolicyResult } from "../core/plan.js";
import type { ImageInfo } from "../core/release/info.js";
import { distinctChanges, MAX_NOTES_BLOCKS, MAX_RELEASE_ITEMS, releaseSection, type ChangeRelease } from "../core/release/section.js";
import { githubRepoOf, splitValue } from "../core/release/text.js";
import { infoKey } from "./release-info.js";
import type { ImageScanner } from "./image-scanner.js";
import type { Logger, RepoGateway, RepoId } from "./ports/index.js";

export interface ReleaseTextDeps {
  gateway: RepoGateway;
  scanner: ImageScanner;
  logger: Logger;
}

async function quietly<T>(deps: ReleaseTextDeps, what: string, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    deps.logger.debug({ what, error: (e as Error).message }, "release information left out");
    return null;
  }
}

export async function pullRequestReleaseSection(
  deps: ReleaseTextDeps,
  repo: RepoId,
  account: string | undefined,
  plan: AutomationPlan,
  results: readonly PolicyResult[],
  infos: ReadonlyMap<string, ImageInfo | null>,
  now: Date,
): Promise<string> {
  const items: ChangeRelease[] = [];
  for (const change of distinctChanges(flatChanges(plan))) {
    const [ns, name] = change.setter.split(":");
    const r = results.find((x) => x.namespace === ns && x.name === name && (x.scope ?? "") === (plan.automation.scope ?? ""));
    const item: ChangeRelease = { change };
    const repository = r?.repository;
    const newTag = r?.latestRef?.tag;
    if (repository && newTag && items.length < MAX_RELEASE_ITEMS) {
      item.newInfo = infos.get(infoKey(repository.spec.image, newTag)) ?? null;
      const oldTag = splitValue(change.oldValue).tag;
      if (oldTag && oldTag !== newTag)
        item.oldInfo = await quietly(
          deps,
          `${repository.spec.image}:${oldTag}`,
          async () => (await deps.scanner.imageInfo(account, repository, oldTag)) ?? null,
        );
      const gh = githubRepoOf(item.newInfo?.source);
      if (gh && deps.gateway.getRelease && items.length < MAX_NOTES_BLOCKS)
        item.notes = await quietly(deps, `release ${gh.owner}/${gh.repo}@${newTag}`, () => deps.gateway.getRelease!(repo, gh, newTag));
    }
    items.push(item);
  }
  return releaseSection(items, now);
}
