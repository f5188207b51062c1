/** What the use cases report for monitoring; the Prometheus adapter implements it. */
export interface Metrics {
  scan(e: { registry: string; result: "scanned" | "cached" | "failed"; durationMs: number; tags: number }): void;
  policyEvaluation(result: "ok" | "error"): void;
  change(kind: "commit" | "pull-request"): void;
  webhook(event: string, outcome: "enqueued" | "skipped" | "duplicate"): void;
  job(e: { queue: string; outcome: "completed" | "failed" | "retry" | "delayed"; durationMs: number }): void;
  githubResponse(e: { status: number; rateLimitRemaining?: number }): void;
}
