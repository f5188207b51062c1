/** Reading a repository's YAML files through the RepoGateway, within a ReadBudget. */
import type { Problem } from "../core/errors.js";
import { isRepoInput } from "../core/manifests/documents.js";
import { BudgetTracker, DEFAULT_READ_BUDGET, fileTooLarge, tooComplex, type ReadBudget } from "../core/read-budget.js";
import type { RepoFile } from "../core/types.js";
import type { RepoGateway, RepoId } from "./ports/index.js";

export const MAX_YAML_BYTES = DEFAULT_READ_BUDGET.maxFileBytes;

export async function readYamlFiles(
  gateway: RepoGateway,
  repo: RepoId,
  treeSha: string,
  budget: ReadBudget = DEFAULT_READ_BUDGET,
  concurrency = 8,
): Promise<{ files: RepoFile[]; problems: Problem[] }> {
  const entries = (await gateway.listTree(repo, treeSha)).filter((e) => isRepoInput(e.path));
  const problems: Problem[] = [];
  const tracker = new BudgetTracker(budget);
  const wanted = entries.filter((e) => {
    if (e.size !== undefined && e.size > budget.maxFileBytes) {
      problems.push(fileTooLarge(e.path, budget));
      return false;
    }
    // the tree lists blob sizes, so the budget is decided before anything is downloaded
    return tracker.take(e.size ?? 0);
  });
  const read: Array<RepoFile | undefined> = new Array(wanted.length);
  let next = 0;
  let bytes = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, wanted.length) }, async () => {
      while (next < wanted.length) {
        const i = next++;
        const content = await gateway.readBlob(repo, wanted[i].sha);
        // a tree without sizes is checked on what arrives
        if (wanted[i].size === undefined) {
          if (content.length > budget.maxFileBytes) {
            problems.push(fileTooLarge(wanted[i].path, budget));
            continue;
          }
          if (bytes + content.length > budget.maxBytes) {
            tracker.refuse();
            continue;
          }
        }
        bytes += content.length;
        const complex = tooComplex(wanted[i].path, content);
        if (complex) problems.push(complex);
        else read[i] = { path: wanted[i].path, content };
      }
    }),
  );
  problems.push(...tracker.problems());
  return { files: read.filter((f): f is RepoFile => f !== undefined), problems };
}
