/** Shared set-up for the GitHub adapter tests: Octokit with retry and throttling off. */
import { ProbotOctokit } from "probot";
import type { OctokitLike } from "../../../src/adapters/github/octokit-like.js";

export const TestOctokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });

export function octokitFor(baseUrl: string, token: string): OctokitLike {
  return new TestOctokit({ auth: { token }, baseUrl });
}

export const AUTHOR = { name: "Flux Image Bot", email: "bot@example.com" };
