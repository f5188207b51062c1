import type { Metrics } from "./ports/index.js";

/** Metrics that report nothing (the CLI, tests). */
export const noMetrics: Metrics = {
  scan() {},
  policyEvaluation() {},
  change() {},
  webhook() {},
  job() {},
  githubResponse() {},
};
