/** A hand-made AutomationPlan with N image changes, for pull-request text and rendering tests. */
import type { AutomationPlan } from "../../src/core/plan.js";
import type { ImageUpdateAutomation, UpdateResult } from "../../src/core/types.js";

export interface FakeChange {
  file: string;
  name: string;
  oldValue: string;
  newValue: string;
  setter: string;
}

export function automation(over: Partial<ImageUpdateAutomation> = {}): ImageUpdateAutomation {
  return {
    apiVersion: "image.toolkit.fluxcd.io/v1",
    kind: "ImageUpdateAutomation",
    name: "flux-system",
    namespace: "flux-system",
    namespaceSource: "metadata",
    labels: {},
    annotations: {},
    file: "clusters/production/image-automation/automation.yaml",
    line: 1,
    spec: {
      interval: "30m",
      sourceRef: { kind: "GitRepository", name: "flux-system" },
      git: { commit: { author: { name: "fluxbot", email: "flux@example.com" } }, push: { branch: "flux/image-updates" } },
    },
    ...over,
  };
}

export function planWith(changes: FakeChange[], over: Partial<AutomationPlan> = {}): AutomationPlan {
  const fileChanges: UpdateResult["fileChanges"] = {};
  for (const c of changes) {
    (fileChanges[c.file] ??= []).push({
      object: { apiVersion: "apps/v1", kind: "Deployment", namespace: "apps", name: c.name },
      changes: [{ oldValue: c.oldValue, newValue: c.newValue, setter: c.setter }],
    });
  }
  return {
    automation: automation(),
    checkoutBranch: "main",
    pushBranch: "flux/image-updates",
    changed: [],
    result: { fileChanges },
    markers: [],
    message: "Automated image update\n\nAutomation name: flux-system/flux-system\n",
    author: { name: "fluxbot", email: "flux@example.com" },
    problems: [],
    suspended: false,
    ...over,
  };
}

/** `n` images `app-0` … with a full-reference marker each, v1.0.<i> → v2.0.<i>. */
export function manyChanges(n: number): FakeChange[] {
  return Array.from({ length: n }, (_, i) => ({
    file: `apps/app-${i}/deployment.yaml`,
    name: `app-${i}`,
    oldValue: `ghcr.io/example-org/app-${i}:v1.0.${i}`,
    newValue: `ghcr.io/example-org/app-${i}:v2.0.${i}`,
    setter: `flux-system:app-${i}`,
  }));
}
