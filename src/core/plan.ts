/**
 * Decides, does nothing: joins the repository model, scan results and
 * policies into policy results and per-automation update plans (image-reflector-controller
 * internal/policy, image-automation-controller internal/update and internal/source).
 */
import type { Problem } from "./errors.js";
import { problem } from "./errors.js";
import { parseImageReference } from "./image-ref.js";
import { scoped, type RepoModel } from "./manifests/parse.js";
import { applyExclusionList, selectLatest } from "./policy/index.js";
import { matchesSelector } from "./selector.js";
import type { AgeGateResult } from "./release/age.js";
import { ageGate, type ReleaseInput } from "./release/policy-gate.js";
import { applySetters, type MarkerInfo, type SetterPolicy } from "./setters/index.js";
import { DEFAULT_COMMIT_MESSAGE, renderCommitMessage, type CommitTemplateData, type RenderOutcome } from "./template/index.js";
import type { ImagePolicy, ImageRepository, ImageUpdateAutomation, LatestRef, RepoFile, UpdateResult } from "./types.js";
import { objectKey, scopedName } from "./types.js";

export type ScanOutcome = { ok: true; tags: string[]; scannedAt?: string } | { ok: false; code: string; error: string };

export interface PolicyResult {
  namespace: string;
  name: string;
  /** the cluster qualifier of its key, when the repository holds several clusters */
  scope?: string;
  /** the ImagePolicy object, absent for a `--set` override of a policy the tree does not hold */
  policy?: ImagePolicy;
  repository?: ImageRepository;
  latestRef?: LatestRef;
  error?: { code: string; message: string };
  source: "scan" | "override";
  /** number of tags the policy chose from (after the exclusion list) */
  tagCount?: number;
  /** true when the policy asks for digest reflection and the caller must fill latestRef.digest */
  needsDigest?: boolean;
  /** the previous latestRef, when this evaluation changed it (Flux's status.observedPreviousRef) */
  observedPreviousRef?: LatestRef;
  /** flux-image-bot/minimum-release-age: the candidates inspected and the one that waits */
  age?: AgeGateResult;
  /** set when the bot holds the policy's update back (age, approval): its markers are left as they are */
  held?: { reason: "age" | "approval"; text: string };
}

/** Key of an object or result: `namespace/name`, qualified by its cluster when the repository holds several. */
export const nsName = (o: { namespace: string; name: string; scope?: string }): string => scopedName(o);

const sameCluster = (a: { scope?: string }, b: { scope?: string }): boolean => (a.scope ?? "") === (b.scope ?? "");

function accessAllowed(model: RepoModel, policy: ImagePolicy, repo: ImageRepository): boolean {
  if (repo.namespace === policy.namespace) return true;
  const acl = repo.spec.accessFrom;
  if (!acl) return false;
  // The API server labels every namespace with its name; other labels come from the cluster's Namespace object.
  const labels = model.namespaceLabels[scoped(policy.scope, policy.namespace)] ?? { "kubernetes.io/metadata.name": policy.namespace };
  return acl.namespaceSelectors.some((s) => Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v));
}

/** Evaluates every ImagePolicy on the scans (keyed by ImageRepository `ns/name`), plus `--set` overrides. */
export function evaluatePolicies(
  model: RepoModel,
  scans: ReadonlyMap<string, ScanOutcome>,
  overrides: ReadonlyMap<string, LatestRef> = new Map(),
  release?: ReleaseInput,
): { results: PolicyResult[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const results: PolicyResult[] = [];
  const repos = new Map(model.repositories.map((r) => [nsName(r), r]));
  for (const policy of model.policies) {
    const where = { file: policy.file, line: policy.line, object: objectKey(policy) };
    const id = { namespace: policy.namespace, name: policy.name, ...(policy.scope ? { scope: policy.scope } : {}) };
    const override = overrides.get(`${policy.namespace}/${policy.name}`);
    if (override) {
      results.push({ ...id, policy, latestRef: override, source: "override" });
      continue;
    }
    const fail = (code: string, message: string): void => {
      results.push({ ...id, policy, error: { code, message }, source: "scan" });
      problems.push(problem(code, message, where));
    };
    if (policy.spec.suspend) {
      fail("policy.suspended", "the ImagePolicy is suspended (spec.suspend: true); it keeps no result until resumed");
      continue;
    }
    const refNs = policy.spec.imageRepositoryRef.namespace ?? policy.namespace;
    const repo = repos.get(scopedName({ namespace: refNs, name: policy.spec.imageRepositoryRef.name, scope: policy.scope }));
    if (!repo) {
      fail(
        "policy.repository-not-found",
        `ImageRepository ${refNs}/${policy.spec.imageRepositoryRef.name} referenced by spec.imageRepositoryRef is not applied in ${policy.cluster ? `the cluster of ${policy.cluster}` : "the repository"}, so Flux never sets this policy's latestRef; check the name and namespace (kustomize namePrefix/nameSuffix do not rewrite imageRepositoryRef)`,
      );
      continue;
    }
    if (!accessAllowed(model, policy, repo)) {
      fail(
        "policy.access-denied",
        `ImageRepository ${nsName(repo)} is in another namespace and its spec.accessFrom does not admit namespace ${policy.namespace}; add an accessFrom.namespaceSelectors entry or move the policy`,
      );
      continue;
    }
    const scan = scans.get(nsName(repo));
    if (!scan) {
      fail("policy.no-scan", `ImageRepository ${nsName(repo)} has not been scanned yet`);
      continue;
    }
    if (!scan.ok) {
      results.push({
        ...id,
        policy,
        repository: repo,
        error: { code: "policy.dependency-not-ready", message: `scan of ${repo.spec.image} failed: ${scan.error}` },
        source: "scan",
      });
      continue;
    }
    const excluded = applyExclusionList(scan.tags, repo.spec.exclusionList);
    if (!excluded.ok) {
      fail("repository.invalid-exclusion", excluded.error);
      continue;
    }
    const outcome = selectLatest(excluded.tags, { policy: policy.spec.policy, filterTags: policy.spec.filterTags });
    if (!outcome.ok) {
      results.push({ ...id, policy, repository: repo, tagCount: excluded.tags.length, error: { code: outcome.code, message: outcome.error }, source: "scan" });
      problems.push(problem(outcome.code, `no tag selected from ${excluded.tags.length} tags of ${repo.spec.image}: ${outcome.error}`, where));
      continue;
    }
    const drp = policy.spec.digestReflectionPolicy ?? "Never";
    // flux-image-bot/minimum-release-age (off unless annotated): the best candidate that is old enough.
    const age = release ? ageGate(policy, repo, excluded.tags, release) : undefined;
    const tag = age ? age.tag : outcome.tag;
    results.push({
      ...id,
      policy,
      repository: repo,
      tagCount: excluded.tags.length,
      ...(tag !== undefined ? { latestRef: { name: repo.spec.image, tag } } : {}),
      needsDigest: drp !== "Never",
      source: "scan",
      ...(age ? { age } : {}),
      ...(age && tag === undefined
        ? {
            held: {
              reason: "age" as const,
              text: `every inspected candidate is younger than the minimum release age; ${age.waiting?.tag} waits until ${age.waiting?.waitsUntil}`,
            },
          }
        : {}),
    });
  }
  for (const [key, ref] of overrides) {
    if (results.some((r) => `${r.namespace}/${r.name}` === key)) continue;
    const [namespace, name] = key.split("/");
    results.push({ namespace, name, latestRef: ref, source: "override" });
  }
  return { results, problems };
}

export interface AutomationPlan {
  automation: ImageUpdateAutomation;
  checkoutBranch: string;
  /** branch the commit goes to; differs from checkoutBranch when a pull request is wanted */
  pushBranch: string;
  /** files (paths relative to the repository root) with their new content */
  changed: RepoFile[];
  result: UpdateResult;
  markers: MarkerInfo[];
  message: string;
  /** set when the messageTemplate failed: no commit may be made */
  messageError?: { code: string; message: string };
  author: { name: string; email: string };
  problems: Problem[];
  suspended: boolean;
}

export function checkoutBranchOf(model: RepoModel, a: ImageUpdateAutomation, defaultBranch: string): { branch: string; problem?: string } {
  const ref = a.spec.git?.checkout?.ref;
  if (ref) {
    if (ref.branch && !ref.commit && !ref.name && !ref.tag && !ref.semver) return { branch: ref.branch };
    if (!ref.branch && !a.spec.git?.push?.branch)
      return {
        branch: defaultBranch,
        problem: "push spec not provided, and cannot be inferred from .spec.git.checkout.ref or GitRepository .spec.ref; set spec.git.push.branch",
      };
    return { branch: ref.branch ?? defaultBranch };
  }
  const srcNs = a.spec.sourceRef.namespace ?? a.namespace;
  const gitRepo = model.gitRepositories.find((g) => g.namespace === srcNs && g.name === a.spec.sourceRef.name && sameCluster(g, a));
  if (gitRepo?.ref?.branch) return { branch: gitRepo.ref.branch };
  return { branch: defaultBranch };
}

/**
 * A marker for a policy in another namespace is only worth a warning when no
 * automation of that namespace exists to handle it.
 */
export function dropHandledMarkerWarnings(model: RepoModel, problems: readonly Problem[], automation?: ImageUpdateAutomation): Problem[] {
  const namespaces = new Set(model.automations.filter((a) => !automation || sameCluster(a, automation)).map((a) => a.namespace));
  return problems.filter((p) => {
    if (p.code !== "marker.other-namespace" || !p.object) return true;
    const ns = p.object.split("/")[1];
    return !namespaces.has(ns);
  });
}

/** Plans one automation: which policies apply, what the setters change, and the commit message. */
export function planAutomation(
  model: RepoModel,
  automation: ImageUpdateAutomation,
  results: readonly PolicyResult[],
  files: readonly RepoFile[],
  opts: {
    defaultBranch: string;
    /** for time functions of templates (sprig's ago, durationRound) */ now?: Date;
    /** false: leave the message to the caller (commitMessageRequest, withRenderedMessage) */ render?: boolean;
  },
): AutomationPlan {
  const problems: Problem[] = [];
  const where = { file: automation.file, line: automation.line, object: objectKey(automation) };
  const { branch: checkoutBranch, problem: branchProblem } = checkoutBranchOf(model, automation, opts.defaultBranch);
  if (branchProblem) problems.push(problem("automation.invalid-source", branchProblem, where));
  const pushBranch = automation.spec.git?.push?.branch || checkoutBranch;
  const author = { name: automation.spec.git?.commit.author.name ?? "", email: automation.spec.git?.commit.author.email ?? "" };
  const empty: AutomationPlan = {
    automation,
    checkoutBranch,
    pushBranch,
    changed: [],
    result: { fileChanges: {} },
    markers: [],
    message: DEFAULT_COMMIT_MESSAGE,
    author,
    problems,
    suspended: !!automation.spec.suspend,
  };

  const setterPolicies = setterPoliciesFor(automation, results);
  // Flux fails the whole run when a policy's latest ref is not a valid image reference
  for (const sp of setterPolicies) {
    if (!sp.latestRef || sp.namespace !== automation.namespace || sp.notSelected) continue;
    const ref = `${sp.latestRef.name}:${sp.latestRef.tag}${sp.latestRef.digest ? `@${sp.latestRef.digest}` : ""}`;
    // weak validation accepts `name:` (an empty tag); a tag that would write `app:` is refused too
    const parsed = sp.latestRef.tag === "" ? { ok: false as const, error: "the tag is empty" } : parseImageReference(ref);
    if (!parsed.ok) {
      problems.push(
        problem("automation.invalid-image-ref", `encountered invalid image ref "${ref}" from ImagePolicy ${sp.namespace}/${sp.name}: ${parsed.error}`, where),
      );
      return empty;
    }
  }
  if (branchProblem) return empty;
  const setterOpts = { automationNamespace: automation.namespace, updatePath: automation.spec.update?.path };
  let out = applySetters(files, setterPolicies, setterOpts);
  const conflicts = markerConflicts(model, automation, results, files, out.markers);
  if (conflicts.length > 0) {
    out = applySetters(files, setterPolicies, { ...setterOpts, skip: new Set(conflicts.map((c) => `${c.file}:${c.line}`)) });
    for (const c of conflicts) problems.push(problem("marker.conflict", c.message, { file: c.file, line: c.line, object: objectKey(automation) }));
  }
  // A policy the bot holds back (release age, approval) leaves its markers as they are, without a problem.
  const held = new Set(results.filter((r) => r.held).map((r) => `ImagePolicy/${r.namespace}/${r.name}`));
  problems.push(
    ...dropHandledMarkerWarnings(model, out.problems, automation).filter((p) => !(p.code === "marker.no-result" && p.object && held.has(p.object))),
  );
  problems.push(...registrySwitches(out.markers, automation));
  const plan: AutomationPlan = { ...empty, changed: out.changed, result: out.result, markers: out.markers, problems };
  // The server renders only when it commits, off its event loop (src/app/commit-message.ts).
  if (opts.render === false) return plan;
  const req = commitMessageRequest(plan);
  return withRenderedMessage(plan, renderCommitMessage(req.template, req.data, { now: opts.now }));
}

/** What rendering a plan's commit message needs: the automation's template and Flux's template data. */
export function commitMessageRequest(plan: AutomationPlan): { template: string | undefined; data: CommitTemplateData } {
  const a = plan.automation;
  return {
    template: a.spec.git?.commit.messageTemplate,
    data: { automation: { namespace: a.namespace, name: a.name }, result: plan.result, values: a.spec.git?.commit.messageTemplateValues },
  };
}

/** The plan with its rendered message, or with messageError and a Problem on the automation. */
export function withRenderedMessage(plan: AutomationPlan, rendered: RenderOutcome): AutomationPlan {
  if (rendered.ok) {
    plan.message = rendered.message;
    return plan;
  }
  const a = plan.automation;
  plan.messageError = { code: rendered.code, message: rendered.error };
  plan.problems.push(problem(rendered.code, `spec.git.commit.messageTemplate: ${rendered.error}`, { file: a.file, line: a.line, object: objectKey(a) }));
  return plan;
}

/** The policies an automation's markers resolve against: its own cluster's, with Flux's selection rules (namespace and policySelector). */
function setterPoliciesFor(automation: ImageUpdateAutomation, results: readonly PolicyResult[]): SetterPolicy[] {
  // Markers resolve against the policies of the automation's own cluster only.
  return results
    .filter((r) => !r.policy || sameCluster(r, automation))
    .map((r) => {
      const labels = r.policy?.labels ?? {};
      const sameNs = r.namespace === automation.namespace;
      return {
        namespace: r.namespace,
        name: r.name,
        latestRef: r.latestRef,
        notSelected: sameNs && !(r.source === "override" && !r.policy) && !matchesSelector(automation.spec.policySelector, labels),
        error: r.error?.message,
      };
    });
}

/**
 * Markers that another automation (of this or another cluster) sets to a
 * different value: Flux would flip them at every run, so neither writes them.
 */
function markerConflicts(
  model: RepoModel,
  automation: ImageUpdateAutomation,
  results: readonly PolicyResult[],
  files: readonly RepoFile[],
  markers: readonly MarkerInfo[],
): Array<{ file: string; line: number; message: string }> {
  const mine = markers.filter((m) => m.newValue !== undefined);
  if (mine.length === 0 || model.automations.length < 2) return [];
  const touched = new Set(mine.map((m) => m.file));
  const subset = files.filter((f) => touched.has(f.path));
  const out: Array<{ file: string; line: number; message: string }> = [];
  for (const other of model.automations) {
    if (other === automation || other.spec.suspend) continue;
    const theirs = applySetters(subset, setterPoliciesFor(other, results), {
      automationNamespace: other.namespace,
      updatePath: other.spec.update?.path,
    }).markers;
    for (const m of mine) {
      const t = theirs.find((x) => x.file === m.file && x.line === m.line && x.newValue !== undefined);
      if (!t || t.newValue === m.newValue || out.some((c) => c.file === m.file && c.line === m.line)) continue;
      const who = (a: ImageUpdateAutomation): string => `${objectKey(a)}${a.cluster ? ` (cluster ${a.cluster})` : ""}`;
      out.push({
        file: m.file,
        line: m.line,
        message: `${who(automation)} sets this marker to ${m.newValue} and ${who(other)} to ${t.newValue}; Flux would flip it at every run, so the bot leaves it unchanged: narrow one automation's spec.update.path or make the policies agree`,
      });
    }
  }
  return out;
}

/**
 * Beyond Flux: a marker whose current value names another image repository
 * than its policy's would switch registries on update (Flux does so silently).
 */
function registrySwitches(markers: readonly MarkerInfo[], automation: ImageUpdateAutomation): Problem[] {
  const out: Problem[] = [];
  for (const m of markers) {
    if (m.newValue === undefined || (m.field !== "image" && m.field !== "name") || m.value === m.newValue) continue;
    const current = parseImageReference(m.value);
    const next = parseImageReference(m.newValue);
    if (!current.ok || !next.ok || current.name.canonical === next.name.canonical) continue;
    out.push({
      ...problem(
        "marker.image-mismatch",
        `the marker's value names ${current.name.canonical} but ImagePolicy ${m.policy.replace(":", "/")} selects from ${next.name.canonical}: updating would switch the image to another repository; check the marker names the right policy`,
        { file: m.file, line: m.line, object: objectKey(automation) },
      ),
      severity: "warning",
    });
  }
  return out;
}
