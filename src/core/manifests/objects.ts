/**
 * Recognises and validates ImageRepository, ImagePolicy and
 * ImageUpdateAutomation documents (image.toolkit.fluxcd.io v1beta1, v1beta2, v1).
 * Field rules follow the Flux CRDs (image-reflector-controller api/v1 imagerepository_types.go,
 * imagepolicy_types.go; image-automation-controller api/v1 imageupdateautomation_types.go).
 */
import { isValidInterval, isValidTimeout } from "../duration.js";
import { parseImageRepositoryImage } from "../image-ref.js";
import { applyExclusionList, validatePolicy } from "../policy/index.js";
import type {
  FilterTags,
  ImagePolicy,
  ImagePolicySpec,
  ImageRepository,
  ImageRepositorySpec,
  ImageUpdateAutomation,
  ImageUpdateAutomationSpec,
  LabelSelector,
  ObjectMeta,
  Order,
  PolicyChoice,
} from "../types.js";
import { type FieldReader, isObj } from "./fields.js";

export const IMAGE_GROUP = "image.toolkit.fluxcd.io";
export const IMAGE_VERSIONS = ["v1", "v1beta2", "v1beta1"] as const;
export const IMAGE_KINDS = ["ImageRepository", "ImagePolicy", "ImageUpdateAutomation"] as const;

type Meta = Omit<ObjectMeta, "kind">;

function checkInterval(r: FieldReader, path: string[], required: boolean): string | undefined {
  const v = r.string(path, { required });
  if (v !== undefined && !isValidInterval(v)) {
    r.fail(path, `${path.join(".")} "${v}" is not a valid duration; use a number with a unit, e.g. 5m, 1h, 30s or 1h30m`, "manifest.invalid-interval");
    return undefined;
  }
  return v;
}

export function readImageRepository(r: FieldReader, meta: Meta): ImageRepository | null {
  const image = r.string(["spec", "image"], { required: true });
  if (image !== undefined) {
    const parsed = parseImageRepositoryImage(image, { insecure: r.get(["spec", "insecure"]) === true });
    if (!parsed.ok) r.fail(["spec", "image"], `${parsed.error}`, "manifest.invalid-image");
  }
  const interval = checkInterval(r, ["spec", "interval"], true);
  const timeout = r.string(["spec", "timeout"]);
  if (timeout !== undefined && !isValidTimeout(timeout)) {
    r.fail(["spec", "timeout"], `spec.timeout "${timeout}" is not a valid duration; use ms, s or m units (no h), e.g. 60s or 5m`, "manifest.invalid-interval");
  }
  const exclusionList = r.stringList(["spec", "exclusionList"]);
  if (exclusionList) {
    if (exclusionList.length > 25) r.fail(["spec", "exclusionList"], "spec.exclusionList has more than 25 entries; Flux allows at most 25");
    const check = applyExclusionList([], exclusionList);
    if (!check.ok) r.fail(["spec", "exclusionList"], `${check.error}; fix the regular expression (Go RE2 syntax)`, "manifest.invalid-regex");
  }
  const provider = r.enumValue(["spec", "provider"], ["generic", "aws", "azure", "gcp"] as const);
  const secretName = r.string(["spec", "secretRef", "name"]);
  const certSecretName = r.string(["spec", "certSecretRef", "name"]);
  const proxySecretName = r.string(["spec", "proxySecretRef", "name"]);
  const insecure = r.bool(["spec", "insecure"]);
  const suspend = r.bool(["spec", "suspend"]);
  const accessFrom = r.object(["spec", "accessFrom"]);
  if (image === undefined || interval === undefined || r.problems.some((p) => p.severity !== "warning")) return null;
  const spec: ImageRepositorySpec = { image, interval };
  if (timeout !== undefined) spec.timeout = timeout;
  if (secretName) spec.secretRef = { name: secretName };
  if (provider) spec.provider = provider;
  if (certSecretName) spec.certSecretRef = { name: certSecretName };
  if (proxySecretName) spec.proxySecretRef = { name: proxySecretName };
  if (insecure !== undefined) spec.insecure = insecure;
  if (suspend !== undefined) spec.suspend = suspend;
  if (exclusionList) spec.exclusionList = exclusionList;
  if (accessFrom && Array.isArray(accessFrom.namespaceSelectors)) {
    spec.accessFrom = {
      namespaceSelectors: accessFrom.namespaceSelectors
        .filter(isObj)
        .map((s: Record<string, unknown>) => ({ matchLabels: isObj(s.matchLabels) ? (s.matchLabels as Record<string, string>) : undefined })),
    };
  }
  return { ...meta, kind: "ImageRepository", spec };
}

function readOrder(r: FieldReader, path: string[]): Order | undefined {
  return r.enumValue(path, ["asc", "desc"] as const);
}

export function readImagePolicy(r: FieldReader, meta: Meta): ImagePolicy | null {
  const repoName = r.string(["spec", "imageRepositoryRef", "name"], { required: true });
  const repoNs = r.string(["spec", "imageRepositoryRef", "namespace"]);
  const policyObj = r.object(["spec", "policy"], { required: true });
  const policy: PolicyChoice = {};
  if (policyObj) {
    if (policyObj.semver !== undefined) {
      const range = r.get(["spec", "policy", "semver", "range"]);
      if (typeof range !== "string")
        r.fail(
          ["spec", "policy", "semver", "range"],
          'spec.policy.semver.range is required and must be a string (quote it), e.g. ">=1.0.0"',
          "manifest.missing-field",
        );
      else policy.semver = { range };
    }
    if (policyObj.alphabetical !== undefined) policy.alphabetical = { order: readOrder(r, ["spec", "policy", "alphabetical", "order"]) };
    if (policyObj.numerical !== undefined) policy.numerical = { order: readOrder(r, ["spec", "policy", "numerical", "order"]) };
    for (const k of ["alphabetical", "numerical"] as const) if (policy[k] && policy[k]!.order === undefined) delete policy[k]!.order;
  }
  let filterTags: FilterTags | undefined;
  if (r.object(["spec", "filterTags"])) {
    filterTags = { pattern: r.string(["spec", "filterTags", "pattern"]) ?? "", extract: r.string(["spec", "filterTags", "extract"]) ?? "" };
  }
  if (policyObj && !r.problems.some((p) => p.severity !== "warning")) {
    const msg = validatePolicy({ policy, filterTags });
    if (msg) r.fail(["spec", "policy"], msg, "policy.invalid");
  }
  const drp = r.enumValue(["spec", "digestReflectionPolicy"], ["Always", "IfNotPresent", "Never"] as const);
  const interval = checkInterval(r, ["spec", "interval"], false);
  if (interval !== undefined && drp !== "Always") {
    r.fail(["spec", "interval"], "spec.interval is only accepted when spec.digestReflectionPolicy is Always; remove it or set the policy to Always");
  }
  if (drp === "Always" && interval === undefined && r.get(["spec", "interval"]) === undefined) {
    r.fail(["spec", "interval"], "spec.interval is required when spec.digestReflectionPolicy is Always", "manifest.missing-field");
  }
  const suspend = r.bool(["spec", "suspend"]);
  if (repoName === undefined || !policyObj || r.problems.some((p) => p.severity !== "warning")) return null;
  const spec: ImagePolicySpec = { imageRepositoryRef: repoNs ? { name: repoName, namespace: repoNs } : { name: repoName }, policy };
  if (filterTags) spec.filterTags = filterTags;
  if (drp) spec.digestReflectionPolicy = drp;
  if (interval) spec.interval = interval;
  if (suspend !== undefined) spec.suspend = suspend;
  return { ...meta, kind: "ImagePolicy", spec };
}

function readSelector(r: FieldReader): LabelSelector | undefined {
  const sel = r.object(["spec", "policySelector"]);
  if (!sel) return undefined;
  const out: LabelSelector = {};
  const ml = r.stringMap(["spec", "policySelector", "matchLabels"]);
  if (ml) out.matchLabels = ml;
  const me = r.get(["spec", "policySelector", "matchExpressions"]);
  if (me !== undefined && me !== null) {
    if (!Array.isArray(me)) {
      r.fail(["spec", "policySelector", "matchExpressions"], "spec.policySelector.matchExpressions must be a list", "manifest.invalid-selector");
      return out;
    }
    out.matchExpressions = [];
    me.forEach((e, i) => {
      const path = ["spec", "policySelector", "matchExpressions", i];
      const op = isObj(e) ? e.operator : undefined;
      const values = isObj(e) ? e.values : undefined;
      if (!isObj(e) || typeof e.key !== "string" || !["In", "NotIn", "Exists", "DoesNotExist"].includes(op as string)) {
        r.fail(path, "each matchExpressions entry needs a key and an operator In, NotIn, Exists or DoesNotExist", "manifest.invalid-selector");
        return;
      }
      const vals = Array.isArray(values) ? values.map(String) : [];
      if ((op === "In" || op === "NotIn") && vals.length === 0) r.fail(path, `operator ${op} needs a non-empty values list`, "manifest.invalid-selector");
      if ((op === "Exists" || op === "DoesNotExist") && vals.length > 0) r.fail(path, `operator ${op} takes no values`, "manifest.invalid-selector");
      out.matchExpressions!.push({ key: e.key, operator: op as "In", values: vals });
    });
  }
  return out;
}

export function readImageUpdateAutomation(r: FieldReader, meta: Meta): ImageUpdateAutomation | null {
  const interval = checkInterval(r, ["spec", "interval"], true);
  const sourceKind = r.string(["spec", "sourceRef", "kind"]) ?? "GitRepository";
  const sourceName = r.string(["spec", "sourceRef", "name"], { required: true });
  if (sourceKind !== "GitRepository")
    r.fail(["spec", "sourceRef", "kind"], `spec.sourceRef.kind must be GitRepository, not "${sourceKind}"`, "automation.invalid-source");
  const git = r.object(["spec", "git"]);
  if (!git)
    r.fail(["spec", "git"], "spec.git is required: set spec.git.commit.author.email (and usually spec.git.checkout.ref.branch)", "automation.invalid-source");
  const email = git ? r.string(["spec", "git", "commit", "author", "email"], { required: true }) : undefined;
  const authorName = r.string(["spec", "git", "commit", "author", "name"]);
  const messageTemplate = r.string(["spec", "git", "commit", "messageTemplate"], { allowEmpty: true });
  const values = r.stringMap(["spec", "git", "commit", "messageTemplateValues"]);
  const ref = r.object(["spec", "git", "checkout", "ref"]);
  const checkoutRef: Record<string, string> = {};
  for (const k of ["branch", "tag", "semver", "name", "commit"]) {
    const v = ref ? r.string(["spec", "git", "checkout", "ref", k]) : undefined;
    if (v) checkoutRef[k] = v;
  }
  const pushBranch = r.string(["spec", "git", "push", "branch"]);
  const refspec = r.string(["spec", "git", "push", "refspec"]);
  const update = r.object(["spec", "update"]);
  const strategy = update ? r.string(["spec", "update", "strategy"]) : undefined;
  const updatePath = update ? r.string(["spec", "update", "path"], { allowEmpty: true }) : undefined;
  if (strategy !== undefined && strategy !== "Setters") {
    r.fail(["spec", "update", "strategy"], `spec.update.strategy "${strategy}" is not supported; the only strategy is Setters`, "automation.invalid-strategy");
  }
  const policySelector = readSelector(r);
  const suspend = r.bool(["spec", "suspend"]);
  if (interval === undefined || sourceName === undefined || !git || email === undefined || r.problems.some((p) => p.severity !== "warning")) return null;
  const spec: ImageUpdateAutomationSpec = {
    interval,
    sourceRef: {
      kind: sourceKind,
      name: sourceName,
      ...(r.string(["spec", "sourceRef", "namespace"]) ? { namespace: r.string(["spec", "sourceRef", "namespace"]) } : {}),
    },
    git: {
      commit: { author: { email, ...(authorName !== undefined ? { name: authorName } : {}) } },
    },
    update: { strategy: strategy ?? "Setters", ...(updatePath !== undefined ? { path: updatePath } : {}) },
  };
  if (messageTemplate !== undefined) spec.git!.commit.messageTemplate = messageTemplate;
  if (values) spec.git!.commit.messageTemplateValues = values;
  if (Object.keys(checkoutRef).length) spec.git!.checkout = { ref: checkoutRef };
  if (pushBranch !== undefined || refspec !== undefined) spec.git!.push = { ...(pushBranch ? { branch: pushBranch } : {}), ...(refspec ? { refspec } : {}) };
  if (policySelector) spec.policySelector = policySelector;
  if (suspend !== undefined) spec.suspend = suspend;
  return { ...meta, kind: "ImageUpdateAutomation", spec };
}
