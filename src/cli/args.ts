/** Small helpers for CLI argument handling. */
import type { LatestRef } from "../core/types.js";

export class UsageError extends Error {}

/** `NS:NAME=IMAGE:TAG[@DIGEST]` → [`ns/name`, ref]. */
export function parseSetFlag(value: string): [string, LatestRef] {
  const eq = value.indexOf("=");
  if (eq < 0) throw new UsageError(`--set ${value}: expected NS:NAME=IMAGE:TAG[@DIGEST]`);
  const key = value.slice(0, eq);
  const ref = value.slice(eq + 1);
  const m = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?):([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(key);
  if (!m) throw new UsageError(`--set ${value}: "${key}" must be NAMESPACE:POLICY, e.g. flux-system:my-app`);
  let rest = ref;
  let digest: string | undefined;
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) throw new UsageError(`--set ${value}: "${digest}" is not a digest (e.g. sha256:…)`);
  }
  const colon = rest.lastIndexOf(":");
  if (colon <= rest.lastIndexOf("/") || colon === rest.length - 1)
    throw new UsageError(`--set ${value}: "${ref}" must be IMAGE:TAG, e.g. ghcr.io/org/app:1.2.3`);
  const out: LatestRef = { name: rest.slice(0, colon), tag: rest.slice(colon + 1) };
  if (digest) out.digest = digest;
  return [`${m[1]}/${m[3]}`, out];
}

export function asList(v: string | boolean | (string | boolean)[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
}
