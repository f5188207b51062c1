/** Prometheus metrics (prom-client), exposed at /metrics. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Queue } from "bullmq";
import type { Metrics } from "../../app/ports/index.js";

export interface PromMetrics extends Metrics {
  registry: Registry;
}

/** Registries named as themselves in the `registry` label; any other host is "other" (see registryLabel). */
const WELL_KNOWN_REGISTRIES = [
  "index.docker.io",
  "docker.io",
  "registry-1.docker.io",
  "ghcr.io",
  "quay.io",
  "gcr.io",
  "registry.k8s.io",
  "k8s.gcr.io",
  "public.ecr.aws",
  "mcr.microsoft.com",
  "registry.gitlab.com",
  "nvcr.io",
  "docker.elastic.co",
  "cgr.dev",
];
/** Hosted registries whose host names are per customer: one label for the family. */
const FAMILIES: Array<[RegExp, string]> = [
  [/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/, "*.dkr.ecr.amazonaws.com"],
  [/\.azurecr\.io$/, "*.azurecr.io"],
  [/-docker\.pkg\.dev$/, "*-docker.pkg.dev"],
  [/\.gcr\.io$/, "*.gcr.io"],
  [/\.jfrog\.io$/, "*.jfrog.io"],
];
/** At most this many operator-named hosts get their own label. */
const MAX_KNOWN = 200;

/**
 * The `registry` label of a host. Repository content chooses registry hosts, so a label per host would
 * let any tenant grow the metrics without bound: well-known registries, families of hosted ones and the
 * hosts the operator names (REGISTRY_ALLOWED_HOSTS, the credentials file) keep their name, any other is "other".
 */
export function registryLabeller(operatorHosts: readonly string[] = []): (host: string) => string {
  const known = new Set([...WELL_KNOWN_REGISTRIES, ...operatorHosts.slice(0, MAX_KNOWN).map((h) => h.trim().toLowerCase())]);
  return (host) => {
    const h = host.toLowerCase();
    if (known.has(h) || known.has(h.replace(/:\d+$/, ""))) return h;
    for (const [re, family] of FAMILIES) if (re.test(h.replace(/:\d+$/, ""))) return family;
    return "other";
  };
}

export function createPromMetrics(queues: Record<string, Queue> = {}, opts: { registryHosts?: readonly string[] } = {}): PromMetrics {
  const label = registryLabeller(opts.registryHosts);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "flux_image_bot_" });
  const scans = new Counter({
    name: "flux_image_bot_scans_total",
    help: "Registry scans by result and registry host",
    labelNames: ["result", "registry"],
    registers: [registry],
  });
  const scanDuration = new Histogram({
    name: "flux_image_bot_scan_duration_seconds",
    help: "Duration of registry scans",
    labelNames: ["registry"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const tags = new Counter({
    name: "flux_image_bot_tags_seen_total",
    help: "Tags returned by registry scans",
    labelNames: ["registry"],
    registers: [registry],
  });
  const policies = new Counter({
    name: "flux_image_bot_policy_evaluations_total",
    help: "ImagePolicy evaluations by result",
    labelNames: ["result"],
    registers: [registry],
  });
  const changes = new Counter({ name: "flux_image_bot_changes_total", help: "Commits and pull requests made", labelNames: ["kind"], registers: [registry] });
  const webhooks = new Counter({
    name: "flux_image_bot_webhook_deliveries_total",
    help: "Webhook deliveries by event and outcome",
    labelNames: ["event", "outcome"],
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: "flux_image_bot_job_duration_seconds",
    help: "Job duration by queue and outcome",
    labelNames: ["queue", "outcome"],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 120],
    registers: [registry],
  });
  const github = new Counter({
    name: "flux_image_bot_github_requests_total",
    help: "GitHub API responses by status",
    labelNames: ["status"],
    registers: [registry],
  });
  const remaining = new Gauge({
    name: "flux_image_bot_github_rate_limit_remaining",
    help: "Remaining GitHub API requests in the current window (last seen)",
    registers: [registry],
  });
  new Gauge({
    name: "flux_image_bot_jobs",
    help: "Jobs by queue and state",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [name, q] of Object.entries(queues)) {
        try {
          const counts = await q.getJobCounts("waiting", "active", "delayed", "completed", "failed", "prioritized");
          for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
        } catch {
          /* Redis down: /readyz says so */
        }
      }
    },
  });
  return {
    registry,
    scan(e) {
      const registry = label(e.registry);
      scans.inc({ result: e.result, registry });
      if (e.result === "scanned") scanDuration.observe({ registry }, e.durationMs / 1000);
      if (e.tags) tags.inc({ registry }, e.tags);
    },
    policyEvaluation: (r) => policies.inc({ result: r }),
    change: (k) => changes.inc({ kind: k }),
    webhook: (event, outcome) => webhooks.inc({ event, outcome }),
    job: (e) => jobDuration.observe({ queue: e.queue, outcome: e.outcome }, e.durationMs / 1000),
    githubResponse(e) {
      github.inc({ status: String(e.status) });
      if (e.rateLimitRemaining !== undefined && Number.isFinite(e.rateLimitRemaining)) remaining.set(e.rateLimitRemaining);
    },
  };
}
