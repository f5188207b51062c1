/**
 * Every setting of the server, from environment variables, validated at
 * start with a message naming the bad variable. Probot reads its own
 * variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, …) too; they are checked here
 * so that a mistake is reported before anything starts.
 */
import { z } from "zod";

const int = (def: number, min = 0) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) {
        ctx.addIssue({ code: "custom", message: `must be a whole number ≥ ${min}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const bool = (def: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return def;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      ctx.addIssue({ code: "custom", message: `must be true or false, got "${v}"` });
      return z.NEVER;
    });

const list = z
  .string()
  .optional()
  .transform((v) =>
    v
      ? v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  );

export const EnvSchema = z.object({
  ROLE: z.enum(["all", "web", "worker"]).optional().default("all"),
  APP_ID: z.string().optional(),
  PRIVATE_KEY: z.string().optional(),
  PRIVATE_KEY_PATH: z.string().optional(),
  WEBHOOK_SECRET: z.string().optional(),
  WEBHOOK_PATH: z.string().optional().default("/api/github/webhooks"),
  PORT: int(3000, 1),
  METRICS_PORT: int(9464, 1),
  HOST: z.string().optional(),
  GHE_HOST: z.string().optional(),
  GHE_PROTOCOL: z.enum(["http", "https"]).optional(),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).optional().default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional().default("json"),
  BOT_LOGIN: z.string().optional(),
  REDIS_URL: z.string().optional().default("redis://127.0.0.1:6379"),
  QUEUE_PREFIX: z
    .string()
    .optional()
    .default("fib")
    .refine((s) => /^[A-Za-z0-9_-]+$/.test(s), "may hold only letters, digits, '-' and '_'"),
  WORKER_CONCURRENCY: int(32, 1),
  MIN_INTERVAL_SECONDS: int(60, 1),
  SYNC_INTERVAL_SECONDS: int(3600, 60),
  GITHUB_WRITE_INTERVAL_MS: int(1000, 0),
  REGISTRY_CREDENTIALS_FILE: z.string().optional(),
  REGISTRY_ALLOWED_HOSTS: list,
  REGISTRY_PROVIDER_ACCOUNTS: list.refine(
    (entries) => entries.every((e) => /^[A-Za-z0-9][A-Za-z0-9-]*(:(aws|gcp|azure))?$/.test(e)),
    "entries are GitHub account names, optionally with :aws, :gcp or :azure (e.g. acme,other:gcp)",
  ),
  REGISTRY_CA_FILE: z.string().optional(),
  REGISTRY_PAGE_SIZE: int(1000, 1),
  REGISTRY_MAX_PAGES: int(100, 1),
  REGISTRY_MAX_TAGS: int(100000, 1),
  REGISTRY_MAX_CONCURRENCY_PER_HOST: int(4, 1),
  REGISTRY_MAX_CONCURRENCY: int(16, 1),
  REGISTRY_MAX_PAGE_BYTES: int(4 * 1024 * 1024, 1024),
  REGISTRY_SCAN_TIMEOUT_SECONDS: int(300, 1),
  REGISTRY_TOKEN_CACHE_BYTES: int(4 * 1024 * 1024, 0),
  REGISTRY_CREDENTIAL_HOSTS: list,
  REPOSITORY_MAX_FILES: int(10000, 1),
  REPOSITORY_MAX_BYTES: int(32 * 1024 * 1024, 1024),
  TEMPLATE_TIMEOUT_MS: int(2000, 10),
  TEMPLATE_MAX_MEMORY_MB: int(64, 16),
  DASHBOARD_ENABLED: bool(true),
  DASHBOARD_TITLE: z.string().optional().default("Flux Image Automation Dashboard"),
  CHATOPS_PREFIX: z.string().optional().default("/flux"),
  CHATOPS_RATE_LIMIT: int(10, 1),
  CHATOPS_RATE_WINDOW_SECONDS: int(600, 1),
  CHATOPS_REFUSAL_INTERVAL_SECONDS: int(3600, 0),
  /** labels on the bot's pull requests and dashboard issue, comma-separated; empty for none */
  PULL_REQUEST_LABELS: z
    .string()
    .optional()
    .default("flux-image-update")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((l) => l.every((x) => x.length <= 50), "each label may be at most 50 characters (GitHub's limit)"),
  ADMIN_PASSWORD: z.string().optional(),
  METRICS_ENABLED: bool(true),
  SHUTDOWN_TIMEOUT_SECONDS: int(25, 1),
});

export type AppConfig = z.infer<typeof EnvSchema> & { role: "all" | "web" | "worker" };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = []): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const cfg = parsed.data;
  let role = cfg.ROLE;
  const i = argv.indexOf("--role");
  const flag = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--role="))?.slice(7);
  if (flag !== undefined) {
    if (flag !== "all" && flag !== "web" && flag !== "worker")
      throw new ConfigError(`invalid configuration:\n  --role: must be all, web or worker, got "${flag}"`);
    role = flag;
  }
  const problems: string[] = [];
  if (!cfg.APP_ID) problems.push("  APP_ID: required (the GitHub App's id)");
  else if (!/^\d+$/.test(cfg.APP_ID)) problems.push(`  APP_ID: must be the numeric app id, got "${cfg.APP_ID}"`);
  if (!cfg.PRIVATE_KEY && !cfg.PRIVATE_KEY_PATH) problems.push("  PRIVATE_KEY or PRIVATE_KEY_PATH: required (the GitHub App's private key)");
  if (role !== "worker" && !cfg.WEBHOOK_SECRET) problems.push("  WEBHOOK_SECRET: required to verify webhook signatures");
  if (cfg.METRICS_ENABLED && cfg.METRICS_PORT === cfg.PORT)
    problems.push(`  METRICS_PORT: must differ from PORT (${cfg.PORT}): metrics stay off the public webhook port`);
  if (!/^rediss?:\/\//.test(cfg.REDIS_URL)) problems.push("  REDIS_URL: must start with redis:// or rediss://");
  if (problems.length) throw new ConfigError(`invalid configuration:\n${problems.join("\n")}`);
  return { ...cfg, role };
}
