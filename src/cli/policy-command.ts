/** `policy`: which tag does a policy pick, from stdin (batch) or live from a registry. */
import { createInterface } from "node:readline";
import { applyExclusionList, rankCandidates, selectLatest } from "../core/policy/index.js";
import type { FilterTags, ImageRepository, PolicyChoice } from "../core/types.js";
import { asList, UsageError } from "./args.js";
import type { Io } from "./plan-command.js";
import { cliAccess, liveRegistryClient } from "./tag-sources.js";

interface BatchInput {
  id?: unknown;
  tags?: unknown;
  policy?: PolicyChoice;
  filterTags?: FilterTags;
  exclusionList?: string[];
}

/** One batch line in, one result object out. Never throws. */
export function evaluateBatchLine(line: string): Record<string, unknown> {
  let input: BatchInput;
  try {
    input = JSON.parse(line) as BatchInput;
  } catch (e) {
    return { error: `invalid JSON input: ${(e as Error).message}` };
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { error: "each line must be a JSON object" };
  const id = "id" in input ? { id: input.id } : {};
  try {
    if (!Array.isArray(input.tags) || input.tags.some((t) => typeof t !== "string")) return { ...id, error: '"tags" must be a list of strings' };
    if (typeof input.policy !== "object" || input.policy === null) return { ...id, error: '"policy" must be an object with semver, numerical or alphabetical' };
    if (input.exclusionList !== undefined && (!Array.isArray(input.exclusionList) || input.exclusionList.some((t) => typeof t !== "string")))
      return { ...id, error: '"exclusionList" must be a list of strings' };
    const excluded = applyExclusionList(input.tags as string[], input.exclusionList);
    if (!excluded.ok) return { ...id, error: excluded.error };
    const out = selectLatest(excluded.tags, { policy: input.policy, filterTags: input.filterTags ?? undefined });
    return out.ok ? { ...id, latest: out.tag } : { ...id, error: out.error };
  } catch (e) {
    return { ...id, error: `internal error: ${(e as Error).message}` };
  }
}

export async function runPolicyBatch(input: NodeJS.ReadableStream, io: Io): Promise<number> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === "") continue;
    io.out(JSON.stringify(evaluateBatchLine(line)));
  }
  return 0;
}

export interface PolicyFlags {
  image?: string;
  semver?: string;
  numerical?: string;
  alphabetical?: string;
  "filter-pattern"?: string;
  "filter-extract"?: string;
  exclude?: string[];
  insecure?: boolean;
  provider?: string;
  json?: boolean;
  digest?: boolean;
}

export function policyFromFlags(f: PolicyFlags): PolicyChoice {
  const kinds = [f.semver !== undefined, f.numerical !== undefined, f.alphabetical !== undefined].filter(Boolean).length;
  if (kinds !== 1) throw new UsageError("give exactly one of --semver RANGE, --numerical asc|desc, --alphabetical asc|desc");
  if (f.semver !== undefined) return { semver: { range: f.semver } };
  const order = (f.numerical ?? f.alphabetical) as string;
  if (order !== "asc" && order !== "desc") throw new UsageError(`order must be asc or desc, not "${order}"`);
  return f.numerical !== undefined ? { numerical: { order } } : { alphabetical: { order } };
}

export async function runPolicyLive(f: PolicyFlags, io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!f.image) throw new UsageError("--image REF is required (or use --batch)");
  const policy = policyFromFlags(f);
  const filterTags =
    f["filter-pattern"] !== undefined || f["filter-extract"] !== undefined
      ? { pattern: f["filter-pattern"] ?? "", extract: f["filter-extract"] ?? "" }
      : undefined;
  if (f.provider !== undefined && !["generic", "aws", "gcp", "azure"].includes(f.provider))
    throw new UsageError(`--provider must be generic, aws, gcp or azure, not "${f.provider}"`);
  const client = liveRegistryClient(env);
  const repo: ImageRepository = {
    kind: "ImageRepository",
    apiVersion: "image.toolkit.fluxcd.io/v1",
    name: "cli",
    namespace: "cli",
    namespaceSource: "metadata",
    labels: {},
    annotations: {},
    file: "",
    line: 0,
    spec: { image: f.image, interval: "1m", insecure: f.insecure, provider: f.provider },
  };
  const { credentials, connection } = await cliAccess(env)(repo);
  const listed = await client.listTags(f.image, { insecure: f.insecure, credentials, connection, timeoutMs: 120_000 });
  const excluded = applyExclusionList(listed.tags, asList(f.exclude).length ? asList(f.exclude) : undefined);
  if (!excluded.ok) throw new UsageError(excluded.error);
  const ranked = rankCandidates(excluded.tags, { policy, filterTags }, 11);
  const chosen = selectLatest(excluded.tags, { policy, filterTags });
  const digest = chosen.ok && f.digest ? await client.getDigest(f.image, chosen.tag, { insecure: f.insecure, credentials, connection }) : undefined;
  if (f.json) {
    io.out(
      JSON.stringify(
        {
          image: f.image,
          tagCount: excluded.tags.length,
          excluded: excluded.excluded,
          droppedInvalid: listed.droppedInvalid,
          truncated: listed.truncated,
          latest: chosen.ok ? chosen.tag : null,
          ...(digest ? { digest } : {}),
          candidates: ranked.ok ? ranked.tags.slice(1) : [],
          ...(chosen.ok ? {} : { error: chosen.error }),
        },
        null,
        2,
      ),
    );
  } else {
    io.out(
      `${f.image}: ${excluded.tags.length} tags (${excluded.excluded} excluded, ${listed.droppedInvalid} invalid dropped${listed.truncated ? ", list truncated" : ""})`,
    );
    if (chosen.ok) {
      io.out(`latest: ${chosen.tag}${digest ? `@${digest}` : ""}`);
      if (ranked.ok && ranked.tags.length > 1) io.out(`next candidates: ${ranked.tags.slice(1).join(", ")}`);
    } else io.out(`no tag selected: ${chosen.error}`);
  }
  return chosen.ok ? 0 : 1;
}
