/** Which value a setter writes (image-automation-controller `pkg/update/setters.go`), and why a marker cannot be used. */
import type { LatestRef } from "../types.js";
import type { SetterField } from "./markers.js";
import { parseSetterName } from "./markers.js";
import type { SetterPolicy } from "./model.js";

/** The value Flux writes for a setter field of a policy's latest ref. */
export function setterValue(ref: LatestRef, field: SetterField): string {
  switch (field) {
    case "tag":
      return ref.tag;
    case "name":
      return ref.name;
    case "digest":
      return ref.digest ?? "";
    case "image":
      return `${ref.name}:${ref.tag}${ref.digest ? `@${ref.digest}` : ""}`;
  }
}

export type Resolution =
  | { ok: true; policy: string; field: SetterField; value: string }
  | { ok: false; policy?: string; field?: SetterField; code: string; message: string; severity: "error" | "warning" };

export type Resolver = (setter: string) => Resolution;

export function makeResolver(policies: readonly SetterPolicy[], automationNamespace: string): Resolver {
  const byKey = new Map<string, SetterPolicy>();
  for (const p of policies) byKey.set(`${p.namespace}:${p.name}`, p);
  const cache = new Map<string, Resolution>();
  return (setter) => {
    let r = cache.get(setter);
    if (!r) {
      r = resolve(setter, byKey, automationNamespace);
      cache.set(setter, r);
    }
    return r;
  };
}

function resolve(setter: string, byKey: Map<string, SetterPolicy>, ns: string): Resolution {
  const parsed = parseSetterName(setter);
  if (!parsed) {
    return {
      ok: false,
      severity: "error",
      code: "marker.invalid",
      message:
        `The marker names "${setter}", which is not a setter; Flux ignores it. ` +
        `Write "<namespace>:<policy>", optionally followed by ":tag", ":name" or ":digest".`,
    };
  }
  const policy = `${parsed.namespace}:${parsed.name}`;
  // Markers for other namespaces or unselected policies may be meant for another automation: warnings.
  const fail = (code: string, message: string, severity: "error" | "warning" = "error"): Resolution => ({
    ok: false,
    policy,
    field: parsed.field,
    code,
    message,
    severity,
  });
  if (parsed.namespace !== ns) {
    return fail(
      "marker.other-namespace",
      "The marker names an ImagePolicy in another namespace; the automation only uses policies from its own namespace, so Flux ignores it. " +
        "Point the marker at a policy in the automation's namespace.",
      "warning",
    );
  }
  const p = byKey.get(policy);
  if (!p) {
    return fail(
      "marker.unknown-policy",
      "The marker names an ImagePolicy that does not exist; Flux ignores it. Fix the policy name in the marker or add the ImagePolicy.",
    );
  }
  if (p.notSelected) {
    return fail(
      "marker.not-selected",
      "The marker names an ImagePolicy that the automation's policySelector excludes; Flux ignores it. Adjust the selector or the policy's labels.",
      "warning",
    );
  }
  if (!p.latestRef) {
    const why = p.error ? ` Policy error: ${p.error}` : "";
    return fail(
      "marker.no-result",
      `The marker names an ImagePolicy that has no selected image yet, so the value is left as it is. ` +
        `Fix the policy or its ImageRepository so it selects a tag.${why}`,
    );
  }
  return { ok: true, policy, field: parsed.field, value: setterValue(p.latestRef, parsed.field) };
}
