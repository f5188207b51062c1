import { applySetters } from "../../../src/core/setters/index.js";
import type { SetterOutput, SetterPolicy } from "../../../src/core/setters/index.js";

export const M = (setter: string): string => `{"$imagepolicy": "${setter}"}`;

export const POLICIES: SetterPolicy[] = [
  { namespace: "ns", name: "p", latestRef: { name: "new", tag: "2" } },
  { namespace: "ns", name: "v", latestRef: { name: "ghcr.io/org/app", tag: "1.10", digest: "sha256:abc" } },
  { namespace: "ns", name: "nodigest", latestRef: { name: "app", tag: "v1.2.3" } },
];

export function run(content: string, policies: SetterPolicy[] = POLICIES, path = "f.yaml"): SetterOutput {
  return applySetters([{ path, content }], policies, { automationNamespace: "ns" });
}

/** The file text after the setters ran (unchanged input when nothing changed). */
export function applied(content: string, policies: SetterPolicy[] = POLICIES): string {
  return run(content, policies).changed[0]?.content ?? content;
}
