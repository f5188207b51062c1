/**
 * GitHub releases of an image's source repository, read with the
 * installation's token (public repositories, or ones the App can see).
 * Bounded: the notes are cut to MAX_BODY characters, results are cached
 * for an hour (a miss too), and only github.com names built from
 * `org.opencontainers.image.source` are asked for.
 */
import { GitHubNotFoundError } from "./errors.js";
import type { GatewayContext } from "./gateway-context.js";
import { LruCache } from "./lru-cache.js";
import type { ReleaseInfo, RepoId } from "../../app/ports/index.js";

const MAX_BODY = 64 * 1024;
const TTL_MS = 60 * 60 * 1000;
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

interface ReleaseData {
  tag_name: string;
  name: string | null;
  body: string | null;
  html_url: string;
  draft?: boolean;
}

/** The tag as written, then with the `v` prefix added or removed (image tags often drop it). */
function tagVariants(tag: string): string[] {
  return [tag, tag.startsWith("v") ? tag.slice(1) : `v${tag}`].filter((t) => t.length > 0);
}

export function createReleases(ctx: Pick<GatewayContext, "client">, now: () => number = Date.now) {
  const cache = new LruCache<{ at: number; value: ReleaseInfo | null }>(2_000);
  async function getRelease(repo: RepoId, source: { owner: string; repo: string }, tag: string): Promise<ReleaseInfo | null> {
    if (!NAME.test(source.owner) || !NAME.test(source.repo) || /^\.+$/.test(source.owner) || /^\.+$/.test(source.repo) || tag.length > 128) return null;
    const key = `${source.owner}/${source.repo}@${tag}`.toLowerCase();
    const hit = cache.get(key);
    if (hit && now() - hit.at < TTL_MS) return hit.value;
    let value: ReleaseInfo | null = null;
    for (const t of tagVariants(tag)) {
      try {
        const r = await ctx.client.read<ReleaseData>(
          { installationId: repo.installationId, owner: source.owner, repo: source.repo },
          "GET /repos/{owner}/{repo}/releases/tags/{tag}",
          { tag: t },
        );
        if (r.draft) continue;
        value = { tag: r.tag_name, name: r.name ?? undefined, body: (r.body ?? "").slice(0, MAX_BODY), url: r.html_url };
        break;
      } catch (e) {
        if (!(e instanceof GitHubNotFoundError)) throw e;
      }
    }
    cache.set(key, { at: now(), value });
    return value;
  }
  return { getRelease };
}
