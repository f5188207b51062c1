/**
 * ImagePolicy `digestReflectionPolicy` (image-reflector-controller
 * `internal/controller/imagepolicy_controller.go`): when the digest of the
 * selected tag must be (re)read, and how `latestRef` and
 * `observedPreviousRef` move from one evaluation to the next.
 */
import type { LatestRef } from "./types.js";

export type DigestReflectionPolicy = "Always" | "IfNotPresent" | "Never" | "" | undefined;

export interface PolicyRefs {
  latestRef?: LatestRef;
  observedPreviousRef?: LatestRef;
}

/** Flux: a zero `spec.interval` with Always means 10 minutes. */
export const DEFAULT_DIGEST_INTERVAL_MS = 10 * 60_000;

/** Whether the digest of `selected` must be fetched from the registry now. */
export function needsDigestFetch(prev: PolicyRefs | undefined, selected: { name: string; tag: string }, policy: DigestReflectionPolicy): boolean {
  if (policy === "Always") return true;
  if (policy !== "IfNotPresent") return false;
  const old = prev?.latestRef;
  return !old || old.name !== selected.name || old.tag !== selected.tag || !old.digest;
}

const sameRef = (a: LatestRef | undefined, b: LatestRef): boolean => !!a && a.name === b.name && a.tag === b.tag && (a.digest ?? "") === (b.digest ?? "");

/**
 * The refs after an evaluation that selected `selected`. `fetched` is the
 * digest read from the registry when needsDigestFetch said so.
 */
export function reflectDigest(
  prev: PolicyRefs | undefined,
  selected: { name: string; tag: string },
  policy: DigestReflectionPolicy,
  fetched?: string,
  intervalMs?: number,
): PolicyRefs & { requeueAfterMs: number } {
  let digest = "";
  if (policy === "Always") digest = fetched ?? "";
  else if (policy === "IfNotPresent") digest = needsDigestFetch(prev, selected, policy) ? (fetched ?? "") : (prev?.latestRef?.digest ?? "");
  const latestRef: LatestRef = { name: selected.name, tag: selected.tag, ...(digest ? { digest } : {}) };
  const changed = prev?.latestRef !== undefined && !sameRef(prev.latestRef, latestRef);
  const observedPreviousRef = changed ? prev!.latestRef : prev?.observedPreviousRef;
  const requeueAfterMs = policy === "Always" ? (intervalMs && intervalMs > 0 ? intervalMs : DEFAULT_DIGEST_INTERVAL_MS) : 0;
  return { latestRef, ...(observedPreviousRef ? { observedPreviousRef } : {}), requeueAfterMs };
}
