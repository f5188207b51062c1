/** A synced repository for reconcileAutomation tests: the example fixture in the in-memory fakes (reconcile-automation.test.ts). */
import { readFileSync } from "node:fs";
import { MemoryStateStore } from "../../src/adapters/state/memory-state-store.js";
import type { ObjectJobData, RepoState } from "../../src/app/ports/index.js";
import type { ReconcileDeps } from "../../src/app/reconcile-automation.js";
import { emptyState } from "../../src/app/state.js";
import { parseRepository } from "../../src/core/manifests/parse.js";
import type { RepoFile } from "../../src/core/types.js";
import { FakeQueue, fixedClock, silentLogger } from "../fixtures/dashboard/fakes.js";
import { loadTree } from "./load-tree.js";
import { MemoryRepoGateway } from "./memory-repo-gateway.js";
import { stubScanner } from "./stub-scanner.js";

/** the clusters fixture applies ssh://git@github.com/acme/fleet */
export const repo = { installationId: 7, owner: "acme", repo: "fleet" };
export const NOW = "2026-03-01T12:00:00.000Z";
export const AUTOMATION_FILE = "clusters/production/image-automation/image-update-automation.yaml";
export const DEPLOYMENT = "apps/homepage/deployment.yaml";
export const HOMEPAGE = "ghcr.io/gethomepage/homepage";
export const exampleTags = (): Record<string, string[]> => JSON.parse(readFileSync("test/fixtures/example/tags.json", "utf8"));
export const job = (over: Partial<ObjectJobData> = {}): ObjectJobData => ({ ...repo, namespace: "flux-system", name: "flux-system", ...over });

/** The example with each file passed through `edit`. */
export function example(edit: (f: RepoFile) => string = (f) => f.content): RepoFile[] {
  return loadTree("test/fixtures/example").map((f) => ({ path: f.path, content: edit(f) }));
}

export const withAutomation = (replace: (yaml: string) => string) => (f: RepoFile) => (f.path === AUTOMATION_FILE ? replace(f.content) : f.content);
export const pushTo = (branch: string) => withAutomation((y) => y.replace("    push:\n      branch: main\n", `    push:\n      branch: ${branch}\n`));

export interface Setup {
  deps: ReconcileDeps;
  gateway: MemoryRepoGateway;
  store: MemoryStateStore;
  queue: FakeQueue;
  tags: Record<string, string[]>;
}

/** A synced repository: the state holds the model parsed from `files`, the gateway holds the files on main. */
export async function setup(
  files: RepoFile[],
  opts: { tags?: Record<string, string[]>; state?: (s: RepoState) => void; maxConflictRetries?: number } = {},
): Promise<Setup> {
  const gateway = new MemoryRepoGateway(files);
  const store = new MemoryStateStore();
  const queue = new FakeQueue();
  const scanner = stubScanner(opts.tags ?? exampleTags());
  const model = parseRepository(files, { repository: { owner: repo.owner, repo: repo.repo }, branch: "main" });
  await store.update(repo, () => {
    const s: RepoState = { ...emptyState(repo), account: "acme", defaultBranch: "main", model };
    opts.state?.(s);
    return s;
  });
  const deps: ReconcileDeps = {
    gateway,
    state: store,
    scanner: scanner.scanner,
    clock: fixedClock(NOW),
    logger: silentLogger,
    queue,
    ...(opts.maxConflictRetries !== undefined ? { maxConflictRetries: opts.maxConflictRetries } : {}),
  };
  return { deps, gateway, store, queue, tags: scanner.tags };
}
