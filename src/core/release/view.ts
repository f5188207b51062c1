/** What a policy's release looks like to a reader: `plan --json`, the dashboard and pull requests share it. */
import type { AgeCandidate, AgeGateResult } from "./age.js";
import { ageText } from "./age.js";
import type { ImageInfo } from "./info.js";

export interface ReleaseView {
  tag: string;
  digest?: string;
  created?: string;
  /** "published 3 days ago" or "publication time unknown" */
  age: string;
  source?: string;
  revision?: string;
  version?: string;
  /** with flux-image-bot/minimum-release-age: the candidates inspected, in the policy's order */
  candidates?: AgeCandidate[];
  /** the better candidate that is not adopted yet, and why */
  waiting?: { tag: string; until?: string; reason: string };
}

/** "v1.8.0 waits until <time>" for the best candidate the minimum release age holds back. */
export function waitingText(age: AgeGateResult | undefined): string | undefined {
  const w = age?.waiting;
  return w ? `${w.tag} waits until ${w.waitsUntil} (minimum release age)` : undefined;
}

export function releaseView(
  r: { latestRef?: { name: string; tag: string }; age?: AgeGateResult },
  info: (image: string, tag: string) => ImageInfo | null | undefined,
  now: Date,
): ReleaseView | undefined {
  const tag = r.latestRef?.tag ?? r.age?.waiting?.tag;
  if (!tag) return undefined;
  const i = r.latestRef ? info(r.latestRef.name, tag) : undefined;
  const view: ReleaseView = { tag, age: ageText(i?.created, now) };
  if (i?.digest) view.digest = i.digest;
  if (i?.created) view.created = i.created;
  if (i?.source) view.source = i.source;
  if (i?.revision) view.revision = i.revision;
  if (i?.version) view.version = i.version;
  if (r.age) view.candidates = r.age.candidates;
  const text = waitingText(r.age);
  if (r.age?.waiting && text) view.waiting = { tag: r.age.waiting.tag, ...(r.age.waiting.waitsUntil ? { until: r.age.waiting.waitsUntil } : {}), reason: text };
  return view;
}
