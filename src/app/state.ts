/**
 * Helpers over the repository state (the types and the StateStore port are in
 * src/app/ports/state.ts).
 */
import { type Problem, uniqueProblems } from "../core/errors.js";
import type { RepoId, RepoState } from "./ports/index.js";

export function emptyState(repo: RepoId): RepoState {
  return { repo, scans: {}, policies: {}, automations: {}, problems: {}, activity: [] };
}

export const repoKey = (r: RepoId): string => `${r.installationId}/${r.owner}/${r.repo}`;

/** Every problem once: several automations report the same policy problem. */
export function allProblems(s: RepoState): Problem[] {
  return uniqueProblems(Object.values(s.problems).flat());
}
