/**
 * The reconcile job: run one ImageUpdateAutomation the way Flux's
 * controller would (image-automation-controller internal/controller/imageupdateautomation_controller.go): evaluate its policies on the latest scans,
 * apply the setters to the checkout branch's files and commit when
 * something changed — directly, or on spec.git.push.branch with a pull
 * request into the checkout branch.
 */
import type { Problem } from "../core/errors.js";
import { AppError, problem } from "../core/errors.js";
import { type evaluatePolicies, nsName, planAutomation, type AutomationPlan, type ScanOutcome, checkoutBranchOf } from "../core/plan.js";
import type { ImageUpdateAutomation, RepoFile } from "../core/types.js";
import { objectKey, scopedName } from "../core/types.js";
import { setterValue } from "../core/setters/index.js";
import { flatChanges, pullRequestBody, pullRequestTitle } from "./pull-request-text.js";
import { evaluateRepository } from "./plan-repository.js";
import { readYamlFiles } from "./repo-files.js";
import { inProcessRenderer, renderPlanMessage } from "./commit-message.js";
import type { ReadBudget } from "../core/read-budget.js";
import { scanState, type ImageScanner } from "./image-scanner.js";
import { closeEmptiedPullRequest, controlledResults, imagesOf, notePullRequest, rebaseRequested, withoutSkippedProblems } from "./update-controls.js";
import type { ImageInfo } from "../core/release/info.js";
import { holdForApproval, scheduleGate } from "./release-gates.js";
import { pullRequestReleaseSection } from "./release-text.js";
import { withoutRelativeTimes } from "./sync-dashboard.js";
import { waitingText } from "../core/release/view.js";
import type {
  JobQueue,
  ObjectJobData,
  Clock,
  Logger,
  RepoGateway,
  RepoId,
  TemplateRenderer,
  AutomationState,
  RepoState,
  StateStore,
  Metrics,
  AutomationRelease,
} from "./ports/index.js";

export interface ReconcileDeps {
  gateway: RepoGateway;
  state: StateStore;
  scanner: ImageScanner;
  clock: Clock;
  logger: Logger;
  /** how many times to re-read and re-apply when the branch moved under us */
  maxConflictRetries?: number;
  metrics?: Metrics;
  /** to refresh the dashboard after a run */
  queue?: JobQueue;
  /** renders commit messages, only when committing (default: in process) */
  renderer?: TemplateRenderer;
  /** how much of the repository a run reads */
  readBudget?: ReadBudget;
}

export type ReconcileOutcome =
  | { result: "up-to-date" | "suspended" | "skipped"; reason?: string }
  | { result: "committed"; sha: string; branch: string; files: number }
  | { result: "pull-request"; sha?: string; branch: string; number: number; url: string; created: boolean }
  /** flux-image-bot/schedule or debounce: the changes wait (approvals wait per policy, see the state) */
  | { result: "waiting"; reason: "schedule" | "debounce"; text: string; until?: string }
  | { result: "failed"; code: string; message: string };

const MAX_ACTIVITY = 20;

export async function reconcileAutomation(deps: ReconcileDeps, data: ObjectJobData): Promise<ReconcileOutcome> {
  const repo: RepoId = { installationId: data.installationId, owner: data.owner, repo: data.repo };
  const key = scopedName(data);
  const state = await deps.state.get(repo);
  const automation = state?.model?.automations.find((a) => nsName(a) === key);
  if (!state?.model || !automation)
    return { result: "skipped", reason: state?.model ? `ImageUpdateAutomation ${key} no longer exists` : "repository not synced yet" };
  const now = deps.clock.now().toISOString();
  if (automation.spec.suspend || state.automations[key]?.suspendedByChatops) {
    await record(deps, repo, key, { lastResult: "suspended" }, []);
    return { result: "suspended" };
  }
  const model = state.model;
  const account = data.account ?? state.account;
  const defaultBranch = state.defaultBranch ?? "main";

  // Scans: shared per image and credential identity; a fresh one only when the cached one is older than the interval.
  const scans = new Map<string, ScanOutcome>();
  const scanStates: RepoState["scans"] = {};
  for (const r of model.repositories) {
    const detail = await deps.scanner.scan(account, r);
    scans.set(nsName(r), detail.outcome);
    scanStates[nsName(r)] = scanState(r.spec.image, r.spec.exclusionList, detail.outcome, detail.canonical, now);
  }
  // flux-image-bot: reads the candidates' images (age, source) and applies the minimum release age.
  // The same evaluation as the CLI's (plan-repository.ts), with this worker's scanner and the last refs.
  const evaluation = await evaluateRepository(
    model,
    scans,
    { digest: (r, tag) => deps.scanner.digest(account, r, tag), imageInfo: (r, tag) => deps.scanner.imageInfo(account, r, tag) },
    { now: deps.clock.now(), previous: state.policies },
  );
  const { results, problems: policyProblems } = evaluation;
  const infos = evaluation.infos ?? new Map();
  for (const r of model.repositories) scanStates[nsName(r)] = { ...scanStates[nsName(r)]!, images: imagesOfInfos(infos, r.spec.image) };
  for (const r of results) deps.metrics?.policyEvaluation(r.latestRef ? "ok" : "error");
  const problems: Problem[] = [...policyProblems];
  // Held updates and ignored versions stay out of the commit (update-controls.ts).
  const controlled = controlledResults(state, results);

  const retries = deps.maxConflictRetries ?? 3;
  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptOnce(deps, repo, state, automation, controlled.results, defaultBranch, problems, { key, account, force: !!data.force, infos });
    if (outcome.kind === "retry" && attempt < retries) {
      deps.logger.info({ repo: `${repo.owner}/${repo.repo}`, automation: key, attempt }, "branch moved during reconcile; re-reading and re-applying");
      continue;
    }
    const final: ReconcileOutcome =
      outcome.kind === "retry"
        ? { result: "failed", code: "github.conflict", message: `the branch kept moving during ${retries + 1} attempts; will try again on the next run` }
        : outcome.outcome;
    if (final.result === "failed")
      problems.push(problem(final.code, final.message, { file: automation.file, line: automation.line, object: objectKey(automation) }));
    const plan = outcome.kind === "done" ? outcome.plan : undefined;
    await deps.state.update(repo, (s) => {
      Object.assign(s.scans, scanStates);
      for (const r of results) {
        // Only this automation's own namespace: another automation reports the refs of its policies.
        const own = plan && r.namespace === automation.namespace && (r.scope ?? "") === (automation.scope ?? "");
        // After a direct commit the files hold the new values (the plan saw the old ones).
        const committedRef =
          final.result === "committed" &&
          r.latestRef &&
          !controlled.skipped.has(nsName(r)) &&
          !plan?.problems.some((p) => p.code === "marker.not-selected" && p.object === `ImagePolicy/${r.namespace}/${r.name}`)
            ? r.latestRef
            : undefined;
        const refs = own
          ? plan.markers
              .filter((m) => m.policy === `${r.namespace}:${r.name}`)
              .map((m) => ({ file: m.file, line: m.line, value: committedRef ? setterValue(committedRef, m.field) : m.value, setter: m.setter }))
          : s.policies[nsName(r)]?.refsInFiles;
        const observedPreviousRef = r.observedPreviousRef ?? s.policies[nsName(r)]?.observedPreviousRef;
        const approved = s.policies[nsName(r)]?.approved;
        const waiting = r.age?.waiting ? { tag: r.age.waiting.tag, until: r.age.waiting.waitsUntil, reason: waitingText(r.age)! } : undefined;
        s.policies[nsName(r)] = {
          latestRef: r.latestRef,
          ...(observedPreviousRef ? { observedPreviousRef } : {}),
          error: r.error,
          evaluatedAt: now,
          ...(refs ? { refsInFiles: refs } : {}),
          ...(waiting ? { waiting } : {}),
          ...(approved ? { approved } : {}),
        };
      }
      const a: AutomationState = {
        ...(s.automations[key] ?? {}),
        lastRunAt: now,
        lastResult: final.result,
        error: final.result === "failed" ? { code: final.code, message: final.message } : undefined,
      };
      a.pending = final.result === "up-to-date" || final.result === "committed" ? [] : plan ? flatChanges(plan) : a.pending;
      // flux-image-bot: what holds the changes back (kept for the debounce's start and the dashboard)
      const release = outcome.kind === "done" ? outcome.release : undefined;
      if (release?.wait || release?.approvals?.length) a.release = release;
      else delete a.release;
      if (final.result === "committed") {
        a.lastCommit = { sha: final.sha, branch: final.branch, at: now };
        s.activity = [
          { at: now, kind: "commit" as const, automation: key, sha: final.sha, summary: `${final.files} file(s) on ${final.branch}` },
          ...s.activity,
        ].slice(0, MAX_ACTIVITY);
      }
      if (final.result === "pull-request") {
        a.pullRequest = { number: final.number, url: final.url, branch: final.branch, at: now };
        notePullRequest(s, key, final.number, plan, results);
        if (final.sha) a.lastCommit = { sha: final.sha, branch: final.branch, at: now };
        if (final.sha || final.created)
          s.activity = [
            {
              at: now,
              kind: "pull-request" as const,
              automation: key,
              number: final.number,
              url: final.url,
              sha: final.sha,
              summary: `${final.created ? "opened" : "updated"} #${final.number} from ${final.branch}`,
            },
            ...s.activity,
          ].slice(0, MAX_ACTIVITY);
      }
      s.automations[key] = a;
      s.problems[`reconcile:${key}`] = withoutSkippedProblems(problems, controlled.skipped);
    });
    if (final.result === "committed") deps.metrics?.change("commit");
    if (final.result === "pull-request" && final.created) deps.metrics?.change("pull-request");
    deps.logger.info({ repo: `${repo.owner}/${repo.repo}`, automation: key, ...final }, "automation reconciled");
    // Refresh the dashboard only when what it shows changed (a warm run changes nothing).
    const after = await deps.state.get(repo);
    if (after && dashboardView(after, key) !== dashboardView(state, key))
      await deps.queue?.enqueue("sync-dashboard", {
        installationId: repo.installationId,
        owner: repo.owner,
        repo: repo.repo,
        account,
        reason: `reconcile ${key}`,
      });
    // A branch that kept moving is no reason to wait for the next interval: the queue retries the job (with backoff).
    if (outcome.kind === "retry")
      throw new AppError("github.conflict", `github.conflict: ${final.result === "failed" ? final.message : ""}`, { retryable: true });
    return final;
  }
}

/** What a reconcile changes on the dashboard, without the run time. */
function dashboardView(s: RepoState, key: string): string {
  const { lastRunAt: _ignored, ...automation } = s.automations[key] ?? {};
  const policies = Object.fromEntries(Object.entries(s.policies).map(([k, p]) => [k, { latestRef: p.latestRef, error: p.error, refsInFiles: p.refsInFiles }]));
  const scans = Object.fromEntries(Object.entries(s.scans).map(([k, v]) => [k, { revision: v.revision, error: v.error, tagCount: v.tagCount }]));
  return JSON.stringify({ automation, policies, scans, problems: s.problems[`reconcile:${key}`] ?? [], activity: s.activity[0] });
}

async function record(deps: ReconcileDeps, repo: RepoId, key: string, patch: Partial<AutomationState>, problems: Problem[]): Promise<void> {
  const now = deps.clock.now().toISOString();
  await deps.state.update(repo, (s) => {
    s.automations[key] = { ...(s.automations[key] ?? {}), lastRunAt: now, ...patch };
    s.problems[`reconcile:${key}`] = problems;
  });
}

type Attempt = { kind: "retry" } | { kind: "done"; outcome: ReconcileOutcome; plan?: AutomationPlan; release?: AutomationRelease };

/** The images read for one image, by tag, for the scan record. */
function imagesOfInfos(infos: ReadonlyMap<string, ImageInfo | null>, image: string): Record<string, ImageInfo | null> | undefined {
  const out: Record<string, ImageInfo | null> = {};
  for (const [k, v] of infos) if (k.startsWith(`${image}\u0000`)) out[k.slice(image.length + 1)] = v;
  return Object.keys(out).length ? out : undefined;
}

interface AttemptRelease {
  key: string;
  account?: string;
  force: boolean;
  infos: ReadonlyMap<string, ImageInfo | null>;
}

async function attemptOnce(
  deps: ReconcileDeps,
  repo: RepoId,
  state: RepoState,
  automation: ImageUpdateAutomation,
  results: ReturnType<typeof evaluatePolicies>["results"],
  defaultBranch: string,
  problems: Problem[],
  rel: AttemptRelease,
): Promise<Attempt> {
  const model = state.model!;
  const checkout = checkoutBranchOf(model, automation, defaultBranch).branch;
  const head = await deps.gateway.getBranchHead(repo, checkout);
  if (!head)
    return {
      kind: "done",
      outcome: {
        result: "failed",
        code: "github.branch-not-found",
        message: `the checkout branch "${checkout}" does not exist; fix spec.git.checkout.ref.branch`,
      },
    };
  const { files, problems: fileProblems } = await readYamlFiles(deps.gateway, repo, head.treeSha, deps.readBudget);
  problems.push(...fileProblems);
  const renderer = deps.renderer ?? inProcessRenderer;
  let plan = planAutomation(model, automation, results, files, { defaultBranch, now: deps.clock.now(), render: false });
  // flux-image-bot/approve: policies whose update awaits approval are held back (their markers stay).
  const held = holdForApproval(state, automation, plan, results);
  const release: AutomationRelease = held.approvals.length ? { approvals: held.approvals } : {};
  if (held.approvals.length) {
    results = held.results;
    plan = planAutomation(model, automation, results, files, { defaultBranch, now: deps.clock.now(), render: false });
  }
  plan = await renderPlanMessage(renderer, plan, deps.clock.now());
  problems.push(...plan.problems.filter((p) => !problems.includes(p)));
  if (plan.changed.length === 0) {
    await closeEmptiedPullRequest(deps.gateway, repo, state, plan);
    return { kind: "done", outcome: { result: "up-to-date" }, plan, release };
  }
  if (plan.messageError)
    return {
      kind: "done",
      outcome: { result: "failed", code: plan.messageError.code, message: `no commit made: the commit message template failed: ${plan.messageError.message}` },
      plan,
    };
  // flux-image-bot/schedule and debounce: commit only inside the window and after the quiet time.
  const adoption = scheduleGate(state, automation, rel.key, plan, deps.clock.now(), rel.force);
  if (!adoption.adopt)
    return {
      kind: "done",
      outcome: { result: "waiting", reason: adoption.reason, text: adoption.text, ...(adoption.until ? { until: adoption.until } : {}) },
      plan,
      release: { ...release, wait: { ...adoption.wait, reason: adoption.reason, text: adoption.text, ...(adoption.until ? { until: adoption.until } : {}) } },
    };

  if (plan.pushBranch === checkout) {
    const res = await deps.gateway.commitFiles(repo, { branch: checkout, baseSha: head.sha, files: plan.changed, message: plan.message, author: plan.author });
    if (res.kind === "conflict") return { kind: "retry" };
    if (res.kind === "refused") return { kind: "done", outcome: { result: "failed", code: "github.protected-branch", message: `${res.message}` }, plan };
    return { kind: "done", outcome: { result: "committed", sha: res.sha, branch: checkout, files: plan.changed.length }, plan, release };
  }

  // Pull request flow: the push branch carries the bot's commit on top of the checkout branch.
  const pushBranch = plan.pushBranch;
  const existingPr = await deps.gateway.findOpenPullRequest(repo, pushBranch, checkout);
  let pushHead = await deps.gateway.getBranchHead(repo, pushBranch);
  let base = head;
  let baseFiles: RepoFile[] = files;
  if (pushHead && existingPr && !rebaseRequested(state, nsName(automation))) {
    // Keep what is already on the open pull request's branch and add to it (as Flux does with an existing push branch).
    base = pushHead;
    baseFiles = (await readYamlFiles(deps.gateway, repo, pushHead.treeSha, deps.readBudget)).files;
    plan = await renderPlanMessage(
      renderer,
      planAutomation(model, automation, results, baseFiles, { defaultBranch, now: deps.clock.now(), render: false }),
      deps.clock.now(),
    );
  } else if (!pushHead || pushHead.sha !== head.sha) {
    // No open pull request: (re)start the push branch from the checkout branch.
    const set = await deps.gateway.setBranch(repo, pushBranch, head.sha, { force: true });
    if (set.kind === "refused") return { kind: "done", outcome: { result: "failed", code: "github.protected-branch", message: set.message }, plan };
    pushHead = head;
  }
  let sha: string | undefined;
  if (plan.changed.length > 0) {
    const res = await deps.gateway.commitFiles(repo, {
      branch: pushBranch,
      baseSha: base.sha,
      files: plan.changed,
      message: plan.message,
      author: plan.author,
    });
    if (res.kind === "conflict") return { kind: "retry" };
    if (res.kind === "refused") return { kind: "done", outcome: { result: "failed", code: "github.protected-branch", message: res.message }, plan };
    sha = res.sha;
  }
  // The PR describes every change between the checkout branch and the push branch.
  const full = await renderPlanMessage(
    renderer,
    planAutomation(model, automation, results, files, { defaultBranch, now: deps.clock.now(), render: false }),
    deps.clock.now(),
  );
  const title = pullRequestTitle(full, { images: imagesOf(results) });
  // flux-image-bot: the "Release information" section, appended (age, type, notes or links).
  const section = await pullRequestReleaseSection(deps, repo, rel.account, full, results, rel.infos, deps.clock.now());
  const prBody = pullRequestBody(full, { images: imagesOf(results) });
  const body = section ? `${prBody}\n\n${section}` : prBody;
  if (existingPr) {
    if (existingPr.title !== title || withoutRelativeTimes(existingPr.body) !== withoutRelativeTimes(body))
      await deps.gateway.updatePullRequest(repo, existingPr.number, { title, body });
    return {
      kind: "done",
      outcome: { result: "pull-request", sha, branch: pushBranch, number: existingPr.number, url: existingPr.url, created: false },
      plan: full,
      release,
    };
  }
  const pr = await deps.gateway.createPullRequest(repo, { head: pushBranch, base: checkout, title, body });
  return { kind: "done", outcome: { result: "pull-request", sha, branch: pushBranch, number: pr.number, url: pr.url, created: true }, plan: full, release };
}
