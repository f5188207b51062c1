/**
 * Business keys of jobs (the job names, payloads and the JobQueue port are in
 * src/app/ports/jobs.ts).
 */
import type { CommandJobData, JobDataByName, JobName, ObjectJobData, PullRequestEventData, RepoId } from "./ports/index.js";

/**
 * One part of a business key: percent-encoded (encodeURIComponent, plus `~` and the characters it leaves
 * alone that are not plain names), so the `~` that joins parts never occurs inside one and two different
 * tuples never make the same key (`app` + `flux-system` vs `app-flux` + `system`). No part ever holds `:`,
 * which BullMQ reserves in job and scheduler ids.
 */
export function keyPart(s: string | number): string {
  return encodeURIComponent(String(s)).replace(/[~!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The separator of key parts; keyPart encodes it inside a part. */
export const KEY_SEP = "~";

/** Business key of a job, e.g. `reconcile~42~octo~app~flux-system~auto`: one part per field, never ambiguous, never ':'. */
export function jobKey<N extends JobName>(name: N, data: JobDataByName[N]): string {
  const parts: Array<string | number> = [name, data.installationId, data.owner, data.repo];
  if (name === "scan-image" || name === "reconcile") {
    const d = data as ObjectJobData;
    parts.push(...(d.scope ? [d.scope] : []), d.namespace, d.name);
  }
  if (name === "run-command") parts.push((data as CommandJobData).commentId);
  if (name === "pull-request-event") parts.push((data as PullRequestEventData).number, (data as PullRequestEventData).action);
  return parts.map(keyPart).join(KEY_SEP);
}

/** The start every key of a repository's jobs of `name` shares (ends with the separator). */
export function repoPrefix(name: JobName, repo: RepoId): string {
  return [name, repo.installationId, repo.owner, repo.repo].map(keyPart).join(KEY_SEP) + KEY_SEP;
}

/** True for a key in the old format (parts joined with '-', ambiguous); schedules under such keys are replaced once. */
export function isLegacyKey(name: JobName, key: string): boolean {
  return key.startsWith(`${name}-`);
}
