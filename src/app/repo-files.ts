/** Reading a repository's YAML files through the RepoGateway. */
import type { Problem } from "../core/errors.js";
import { problem } from "../core/errors.js";
import { isYamlFile } from "../core/manifests/documents.js";
import type { RepoFile } from "../core/types.js";
import { mapLimit } from "./map-limit.js";
import type { RepoGateway, RepoId } from "./ports.js";

export const MAX_YAML_BYTES = 1024 * 1024;

export async function readYamlFiles(gateway: RepoGateway, repo: RepoId, treeSha: string, concurrency = 8): Promise<{ files: RepoFile[]; problems: Problem[] }> {
  const entries = (await gateway.listTree(repo, treeSha)).filter((e) => isYamlFile(e.path));
  const problems: Problem[] = [];
  const wanted = entries.filter((e) => {
    if (e.size !== undefined && e.size > MAX_YAML_BYTES) {
      problems.push({
        ...problem("repository.file-too-large", `file is larger than ${MAX_YAML_BYTES} bytes and is not read`, { file: e.path }),
        severity: "warning",
      });
      return false;
    }
    return true;
  });
  const files = await mapLimit(wanted, concurrency, async (e): Promise<RepoFile> => ({ path: e.path, content: await gateway.readBlob(repo, e.sha) }));
  return { files, problems };
}
