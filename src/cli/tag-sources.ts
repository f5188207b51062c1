/** Where the CLI gets tags from: a JSON file (`--tags`) or the registries, live. */
import { readFile } from "node:fs/promises";
import type { TagSource } from "../app/ports/index.js";
import {
  createRegistryAccess,
  createRegistryClient,
  loadCaFile,
  loadDockerConfig,
  type ListTagsOptions,
  type RegistryClient,
} from "../adapters/registry/index.js";
import { durationMs } from "../core/duration.js";
import type { ImageRepository } from "../core/types.js";
import { UsageError } from "./args.js";

/** `--tags FILE`: a JSON object, image as written in spec.image → list of tags. */
export async function staticTagSource(path: string): Promise<TagSource> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new UsageError(`--tags ${path}: ${(e as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new UsageError(`--tags ${path}: expected a JSON object mapping each image to a list of tags`);
  const table = new Map<string, string[]>();
  for (const [image, tags] of Object.entries(data)) {
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== "string"))
      throw new UsageError(`--tags ${path}: the value for "${image}" must be a list of strings`);
    table.set(image, tags as string[]);
  }
  return {
    async scan(repo: ImageRepository) {
      const tags = table.get(repo.spec.image);
      if (!tags)
        return {
          ok: false,
          code: "registry.no-tags",
          error: `no tags for image "${repo.spec.image}" in ${path}; add it to the file or drop --tags to scan the registry`,
        };
      return { ok: true, tags };
    },
    // --tags has no digests; digest reflection needs --set IMAGE:TAG@DIGEST or a live scan
  };
}

const operatorCa = (env: NodeJS.ProcessEnv): string[] | undefined => (env.REGISTRY_CA_FILE ? loadCaFile(env.REGISTRY_CA_FILE) : undefined);

export function liveRegistryClient(env: NodeJS.ProcessEnv = process.env): RegistryClient {
  return createRegistryClient({ mode: "cli", userAgent: "flux-image-bot-cli", operatorCa: operatorCa(env) });
}

/**
 * Client options for an ImageRepository in the CLI: with spec.provider the
 * caller's own cloud credentials (host checks as on the server), else the
 * Docker config's.
 */
export function cliAccess(env: NodeJS.ProcessEnv = process.env): (repo: ImageRepository) => Promise<ListTagsOptions> {
  const docker = loadDockerConfig(env);
  const access = createRegistryAccess({ mode: "cli", userAgent: "flux-image-bot-cli", operatorCa: operatorCa(env) });
  return async (repo) => {
    const plan = access.prepare(undefined, repo);
    if (!plan.ok) throw Object.assign(new Error(`${plan.code}: ${plan.error}`), { code: plan.code });
    return { insecure: repo.spec.insecure, credentials: docker.forImage(repo.spec.image), ...(await plan.load()) };
  };
}

/** Scans registries live with the user's Docker credentials (or cloud credentials with spec.provider). */
export function liveTagSource(client: RegistryClient = liveRegistryClient(), env: NodeJS.ProcessEnv = process.env): TagSource {
  const optionsFor = cliAccess(env);
  const timeoutOf = (repo: ImageRepository): number => Math.max(1000, durationMs(repo.spec.timeout ?? repo.spec.interval) ?? 60_000);
  return {
    async scan(repo) {
      try {
        const res = await client.listTags(repo.spec.image, { ...(await optionsFor(repo)), timeoutMs: timeoutOf(repo) });
        return { ok: true, tags: res.tags, scannedAt: new Date().toISOString() };
      } catch (e) {
        return { ok: false, code: (e as { code?: string }).code ?? "registry.error", error: (e as Error).message };
      }
    },
    async digest(repo, tag) {
      return client.getDigest(repo.spec.image, tag, { ...(await optionsFor(repo)), timeoutMs: timeoutOf(repo) });
    },
    async imageInfo(repo, tag) {
      const { requests: _requests, ...info } = await client.getImageInfo(repo.spec.image, tag, { ...(await optionsFor(repo)), timeoutMs: timeoutOf(repo) });
      return info;
    },
  };
}
