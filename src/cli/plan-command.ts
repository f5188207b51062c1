/** `plan` and `apply`: the bot's main job on a local checkout. */
import { resolve } from "node:path";
import { stat } from "node:fs/promises";
import { planRepository, type RepoPlan } from "../app/plan-repository.js";
import { readTree, writeFiles } from "../adapters/local/read-tree.js";
import { isRepoInput } from "../core/manifests/documents.js";
import { planAutomation } from "../core/plan.js";
import { DEFAULT_READ_BUDGET } from "../core/read-budget.js";
import type { LatestRef, RepoFile } from "../core/types.js";
import { asList, parseSetFlag, UsageError } from "./args.js";
import { commitFiles, currentBranch, isGitCheckout, originUrl } from "./git.js";
import { parseRepositoryArg, repositoryFlag } from "./repository.js";
import { planToJson, planToText } from "./render.js";
import { liveTagSource, staticTagSource } from "./tag-sources.js";

export interface PlanFlags {
  json?: boolean;
  tags?: string;
  set?: string[];
  commit?: boolean;
  branch?: string;
  repository?: string;
}

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

async function loadPlan(dir: string, flags: PlanFlags): Promise<{ plan: RepoPlan; files: RepoFile[]; defaultBranch: string }> {
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new UsageError(`${dir} is not a directory; give the path of a repository checkout`);
  const overrides = new Map<string, LatestRef>(asList(flags.set).map(parseSetFlag));
  const tags = flags.tags ? await staticTagSource(flags.tags) : liveTagSource();
  const { files, problems } = await readTree(dir, isRepoInput, { budget: DEFAULT_READ_BUDGET });
  const branch = flags.branch ?? (await currentBranch(dir)) ?? undefined;
  const defaultBranch = branch ?? "main";
  const origin = flags.repository ? null : await originUrl(dir);
  const repository = flags.repository ? repositoryFlag(flags.repository) : origin ? (parseRepositoryArg(origin) ?? undefined) : undefined;
  const plan = await planRepository(files, { tags, overrides, defaultBranch, now: new Date(), parse: { repository, branch } });
  plan.problems.unshift(...problems);
  return { plan, files, defaultBranch };
}

export async function runPlan(dirArg: string, flags: PlanFlags, io: Io): Promise<number> {
  const dir = resolve(dirArg);
  const { plan } = await loadPlan(dir, flags);
  if (flags.json) io.out(JSON.stringify(planToJson(plan, { dir, mode: "plan" }), null, 2));
  else io.out(planToText(plan, "would update"));
  return 0;
}

export async function runApply(dirArg: string, flags: PlanFlags, io: Io): Promise<number> {
  const dir = resolve(dirArg);
  const { plan, files, defaultBranch } = await loadPlan(dir, flags);
  if (flags.commit && !(await isGitCheckout(dir))) throw new UsageError(`--commit: ${dir} is not a git checkout`);
  // Each automation works on the files as the previous ones left them, as consecutive Flux runs would.
  const current = new Map(files.map((f) => [f.path, f]));
  const commits: Array<{ automation: string; sha: string; files: string[] }> = [];
  const applied = [];
  for (const a of plan.automations) {
    if (a.suspended || a.messageError || a.problems.some((p) => p.severity !== "warning" && p.code.startsWith("automation."))) {
      applied.push(a);
      continue;
    }
    const p = planAutomation(plan.model, a.automation, plan.policies, [...current.values()], { defaultBranch, now: new Date() });
    applied.push(p);
    if (p.changed.length === 0 || p.messageError) continue;
    await writeFiles(dir, p.changed);
    for (const f of p.changed) current.set(f.path, f);
    if (flags.commit) {
      const sha = await commitFiles(
        dir,
        p.changed.map((f) => f.path),
        p.message,
        { name: p.author.name, email: p.author.email },
      );
      commits.push({ automation: `${a.automation.namespace}/${a.automation.name}`, sha, files: p.changed.map((f) => f.path) });
    }
  }
  const result = { ...plan, automations: applied };
  if (flags.json) io.out(JSON.stringify(planToJson(result, { dir, mode: "apply", commits }), null, 2));
  else {
    io.out(planToText(result, "updated"));
    for (const c of commits) io.out(`committed ${c.sha.slice(0, 12)} for ${c.automation}`);
  }
  return 0;
}
