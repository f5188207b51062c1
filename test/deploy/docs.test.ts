/**
 * deploy/README.md (the deployment and operations guide) stays in step with
 * the code: its configuration table lists every variable the server reads
 * (src/config/env.ts) and Probot's own, and nothing else; defaults it states
 * match the schema's; the metrics it lists exist; the secrets and paths it
 * names are the ones the manifests use.
 */
import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EnvSchema } from "../../src/config/env.js";
import { createPromMetrics } from "../../src/adapters/http/metrics.js";

const root = process.cwd();
const doc = readFileSync(join(root, "deploy/README.md"), "utf8");
const PROBOT_ENV = [
  "APP_ID",
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "WEBHOOK_PATH",
  "PORT",
  "HOST",
  "GHE_HOST",
  "GHE_PROTOCOL",
  "LOG_LEVEL",
  "LOG_FORMAT",
  "BOT_LOGIN",
];

/** Rows of the markdown table whose header starts with `| first |`. */
function table(first: string): string[][] {
  const lines = doc.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  if (start < 0) throw new Error(`no table starting with "${first}"`);
  const rows: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith("|")) break;
    rows.push(
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return rows;
}
const unquote = (c: string): string => c.replace(/^`|`$/g, "");

describe("deploy/README.md", () => {
  const rows = table("variable");
  const documented = rows.map((r) => unquote(r[0]!));

  it("the configuration table lists every environment variable, once", () => {
    const expected = new Set([...Object.keys(EnvSchema.shape), ...PROBOT_ENV]);
    expect([...documented].sort()).toEqual([...expected].sort());
    expect(new Set(documented).size).toBe(documented.length);
  });

  it("defaults in the table are the schema's defaults", () => {
    const defaults = EnvSchema.parse({}) as Record<string, unknown>;
    for (const [name, def] of rows.map((r) => [unquote(r[0]!), r[1]!] as const)) {
      const value = defaults[name];
      if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
      const shown = /^`([^`]*)`/.exec(def)?.[1];
      expect([name, shown]).toEqual([name, String(value)]);
    }
  });

  it("every metric it names exists", async () => {
    const text = await createPromMetrics().registry.metrics();
    const names = new Set([...text.matchAll(/^# HELP (\S+)/gm)].map((m) => m[1]!));
    const listed = table("metric")
      .map((r) => unquote(r[0]!))
      .filter((n) => !n.endsWith("…"));
    expect(listed.length).toBeGreaterThan(8);
    for (const n of listed) expect([n, names.has(n)]).toEqual([n, true]);
  });

  it("names the secrets and files the manifests use", () => {
    const manifests = ["web-deployment.yaml", "worker-deployment.yaml", "configmap.yaml"]
      .map((f) => readFileSync(join(root, "deploy/base", f), "utf8"))
      .join("\n");
    for (const s of ["flux-image-bot-github", "flux-image-bot-admin", "flux-image-bot-registry", "/etc/flux-image-bot/registry/credentials.json"]) {
      expect(doc).toContain(s);
      expect(manifests).toContain(s);
    }
    for (const p of [
      "deploy/base",
      "deploy/overlays/external-redis",
      "deploy/flux/flux-image-bot.yaml",
      "deploy/secrets.example.yaml",
      "app.yml",
      "Dockerfile",
    ]) {
      expect(doc).toContain(p);
      expect(existsSync(join(root, p))).toBe(true);
    }
  });
});
