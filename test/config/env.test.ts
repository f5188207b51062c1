import { describe, expect, it } from "@jest/globals";
import { ConfigError, loadConfig } from "../../src/config/env.js";

const base = { APP_ID: "123", PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----", WEBHOOK_SECRET: "s" };

describe("loadConfig", () => {
  it("applies defaults", () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      role: "all",
      PORT: 3000,
      REDIS_URL: "redis://127.0.0.1:6379",
      QUEUE_PREFIX: "fib",
      WORKER_CONCURRENCY: 32,
      MIN_INTERVAL_SECONDS: 60,
      GITHUB_WRITE_INTERVAL_MS: 1000,
      DASHBOARD_ENABLED: true,
      DASHBOARD_TITLE: "Flux Image Automation Dashboard",
      CHATOPS_PREFIX: "/flux",
      REGISTRY_ALLOWED_HOSTS: [],
    });
  });

  it("reads PULL_REQUEST_LABELS as a comma-separated list, flux-image-update by default, empty for none", () => {
    expect(loadConfig(base).PULL_REQUEST_LABELS).toEqual(["flux-image-update"]);
    expect(loadConfig({ ...base, PULL_REQUEST_LABELS: " deps, images ," }).PULL_REQUEST_LABELS).toEqual(["deps", "images"]);
    expect(loadConfig({ ...base, PULL_REQUEST_LABELS: "" }).PULL_REQUEST_LABELS).toEqual([]);
    expect(() => loadConfig({ ...base, PULL_REQUEST_LABELS: "x".repeat(51) })).toThrow(/PULL_REQUEST_LABELS: each label may be at most 50 characters/);
  });

  it("names the bad variable", () => {
    expect(() => loadConfig({ ...base, PORT: "eighty" })).toThrow(/PORT: must be a whole number/);
    expect(() => loadConfig({ ...base, DASHBOARD_ENABLED: "maybe" })).toThrow(/DASHBOARD_ENABLED/);
    expect(() => loadConfig({ ...base, ROLE: "boss" })).toThrow(/ROLE/);
    expect(() => loadConfig({ ...base, QUEUE_PREFIX: "a:b" })).toThrow(/QUEUE_PREFIX/);
    expect(() => loadConfig({ PRIVATE_KEY: "k", WEBHOOK_SECRET: "s" })).toThrow(/APP_ID: required/);
    expect(() => loadConfig({ APP_ID: "1", WEBHOOK_SECRET: "s" })).toThrow(/PRIVATE_KEY or PRIVATE_KEY_PATH/);
    expect(() => loadConfig({ APP_ID: "1", PRIVATE_KEY: "k" })).toThrow(/WEBHOOK_SECRET/);
    expect(() => loadConfig({ ...base, PORT: "x" })).toThrow(ConfigError);
  });

  it("reads the security budgets (issue 12) with their defaults", () => {
    expect(loadConfig(base)).toMatchObject({
      REGISTRY_MAX_CONCURRENCY: 16,
      REGISTRY_MAX_PAGE_BYTES: 4 * 1024 * 1024,
      REGISTRY_SCAN_TIMEOUT_SECONDS: 300,
      REGISTRY_TOKEN_CACHE_BYTES: 4 * 1024 * 1024,
      REGISTRY_CREDENTIAL_HOSTS: [],
      REPOSITORY_MAX_FILES: 10_000,
      REPOSITORY_MAX_BYTES: 32 * 1024 * 1024,
      TEMPLATE_TIMEOUT_MS: 2000,
      TEMPLATE_MAX_MEMORY_MB: 64,
    });
    expect(loadConfig({ ...base, REGISTRY_CREDENTIAL_HOSTS: "auth.example.com, login.example.com" }).REGISTRY_CREDENTIAL_HOSTS).toEqual([
      "auth.example.com",
      "login.example.com",
    ]);
    expect(() => loadConfig({ ...base, REGISTRY_SCAN_TIMEOUT_SECONDS: "0" })).toThrow(/REGISTRY_SCAN_TIMEOUT_SECONDS: must be a whole number ≥ 1/);
    expect(() => loadConfig({ ...base, TEMPLATE_MAX_MEMORY_MB: "4" })).toThrow(/TEMPLATE_MAX_MEMORY_MB/);
    expect(() => loadConfig({ ...base, REPOSITORY_MAX_FILES: "lots" })).toThrow(/REPOSITORY_MAX_FILES/);
  });

  it("does not echo a Redis password", () => {
    try {
      loadConfig({ ...base, REDIS_URL: "http://:hunter2@redis:6379" });
      throw new Error("no error");
    } catch (e) {
      expect((e as Error).message).toContain("REDIS_URL");
      expect((e as Error).message).not.toContain("hunter2");
    }
  });

  it("takes --role from the command line over ROLE", () => {
    expect(loadConfig({ ...base, ROLE: "web" }, ["--role", "worker"]).role).toBe("worker");
    expect(loadConfig(base, ["--role=web"]).role).toBe("web");
    expect(() => loadConfig(base, ["--role", "x"])).toThrow(/--role/);
    // a worker needs no webhook secret
    expect(loadConfig({ APP_ID: "1", PRIVATE_KEY: "k" }, ["--role", "worker"]).role).toBe("worker");
  });

  it("splits the registry allow-list", () => {
    expect(loadConfig({ ...base, REGISTRY_ALLOWED_HOSTS: "registry.local:5000, 10.0.0.5" }).REGISTRY_ALLOWED_HOSTS).toEqual([
      "registry.local:5000",
      "10.0.0.5",
    ]);
  });

  it("reads the accounts allowed to use the bot's cloud identity, with an optional provider each", () => {
    expect(loadConfig({ ...base, REGISTRY_PROVIDER_ACCOUNTS: "acme, other:gcp" }).REGISTRY_PROVIDER_ACCOUNTS).toEqual(["acme", "other:gcp"]);
    expect(loadConfig(base).REGISTRY_PROVIDER_ACCOUNTS).toEqual([]);
    expect(() => loadConfig({ ...base, REGISTRY_PROVIDER_ACCOUNTS: "acme:oracle" })).toThrow(/REGISTRY_PROVIDER_ACCOUNTS: entries are GitHub account names/);
    expect(loadConfig({ ...base, REGISTRY_CA_FILE: "/etc/ssl/corp.pem" }).REGISTRY_CA_FILE).toBe("/etc/ssl/corp.pem");
  });
});

describe("the README's configuration table", () => {
  it("lists every environment variable the server reads", async () => {
    const { readFileSync } = await import("node:fs");
    const { EnvSchema } = await import("../../src/config/env.js");
    const readme = readFileSync("README.md", "utf8");
    const table = readme.slice(readme.indexOf("### Configuration"), readme.indexOf("**Registry credentials.**"));
    const listed = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    for (const key of Object.keys(EnvSchema.shape)) expect([key, listed.has(key)]).toEqual([key, true]);
  });
});
