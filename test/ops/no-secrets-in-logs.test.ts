/**
 * Registry secrets never reach the logs, error messages, job records or the
 * state shown on the dashboard. A scan runs as the server runs it: the
 * registry client in server mode (127.0.0.1 allow-listed), credentials from
 * a server credentials file, the ImageScanner and the scan-image use case,
 * and BullMQ workers on the test Redis, all logging through pino at trace
 * level into memory. The in-test registry wants Basic credentials at its
 * token service and then a bearer token, fails once with 503 (retry logs),
 * then refuses with 401 (error logs); its error bodies echo the
 * Authorization header they received, as a careless registry might.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { Redis } from "ioredis";
import { pino } from "pino";
import { createPromMetrics } from "../../src/adapters/http/metrics.js";
import { createQueues, type BullQueues } from "../../src/adapters/queue/bullmq-queue.js";
import { startWorkers, type Processors } from "../../src/adapters/queue/workers.js";
import { createRegistryClient, credentialIdentity, loadServerCredentials } from "../../src/adapters/registry/index.js";
import { MemoryScanCache, scanCacheKey } from "../../src/adapters/scan-cache/index.js";
import { MemoryStateStore } from "../../src/adapters/state/memory-state-store.js";
import { scanImage } from "../../src/app/scan-image.js";
import { ImageScanner } from "../../src/app/image-scanner.js";
import { emptyState } from "../../src/app/state.js";
import type { ImageRepository } from "../../src/core/types.js";
import { startFake, json, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import { ensureRedis, type TestRedis } from "../helpers/redis.js";
import type { JobQueue } from "../../src/app/ports/index.js";

const USER = "robot$ci";
const PASSWORD = `pw-${randomBytes(12).toString("hex")}`;
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString("base64");
const TOKEN = `tok-${randomBytes(16).toString("hex")}`;
const SECRETS = { password: PASSWORD, "base64(user:password)": BASIC, "bearer token": TOKEN };

/** The secrets found in `text`, by name (none expected). */
function leaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
}

type Mode = "ok" | "revoked" | "token-refused";
let mode: Mode = "ok";
let fail503 = 0;
const logs: string[] = [];
const logger = pino({ level: "trace" }, { write: (s: string) => void logs.push(s) });
const repo = { installationId: 7, owner: "acme", repo: "app" };
const dir = mkdtempSync(join(tmpdir(), "fib-nosecrets-"));

let fake: FakeRegistry;
let scanner: ImageScanner;
let state: MemoryStateStore;
let target: ImageRepository;
const enqueued: string[] = [];
const queueStub: JobQueue = {
  enqueue: async (name: string) => void enqueued.push(name),
  upsertSchedule: async () => undefined,
  pruneSchedules: async () => 0,
  removeRepository: async () => 0,
} as unknown as JobQueue;
const metrics = createPromMetrics();

beforeAll(async () => {
  fake = await startFake((req, res, url) => {
    const auth = req.headers.authorization ?? "";
    const echo = { errors: [{ code: "UNAUTHORIZED", message: `you sent: ${auth}` }] };
    if (url.pathname === "/token") {
      if (mode === "token-refused" || auth !== `Basic ${BASIC}`) return json(res, 401, echo, { "www-authenticate": 'Basic realm="fake token service"' });
      return json(res, 200, { token: TOKEN, access_token: TOKEN, expires_in: 300 });
    }
    if (url.pathname.startsWith("/v2/team/app/")) {
      if (fail503 > 0) {
        fail503--;
        return json(res, 503, { errors: [{ message: `busy; you sent: ${auth}` }] });
      }
      const challenge = `Bearer realm="${fake.origin}/token",service="fake-registry",scope="repository:team/app:pull"`;
      if (mode !== "ok" || auth !== `Bearer ${TOKEN}`) return json(res, 401, echo, { "www-authenticate": challenge });
      if (url.pathname.startsWith("/v2/team/app/manifests/")) {
        res.writeHead(200, { "docker-content-digest": `sha256:${"a".repeat(64)}`, "content-type": "application/vnd.oci.image.manifest.v1+json" });
        return void res.end();
      }
      return json(res, 200, { name: "team/app", tags: ["1.0.0", "1.1.0", "2.0.0"] });
    }
    json(res, 404, {});
  });
  const file = join(dir, "credentials.json");
  writeFileSync(file, JSON.stringify({ accounts: { "4242": { login: "acme", secrets: { regcred: { auths: { [fake.host]: { auth: BASIC } } } } } } }));
  const client = createRegistryClient({
    mode: "server",
    allowedHosts: [fake.host],
    userAgent: "flux-image-bot",
    logger,
    sleep: async () => undefined,
    retries: 2,
  });
  scanner = new ImageScanner({
    client,
    cache: new MemoryScanCache(),
    credentials: loadServerCredentials(file),
    minIntervalMs: 60_000,
    cacheKey: scanCacheKey,
    identity: credentialIdentity,
    metrics,
  });
  target = {
    apiVersion: "image.toolkit.fluxcd.io/v1beta2",
    kind: "ImageRepository",
    name: "app",
    namespace: "flux-system",
    namespaceSource: "explicit",
    labels: {},
    annotations: {},
    file: "clusters/prod/app.yaml",
    line: 1,
    spec: { image: `${fake.host}/team/app`, interval: "5m", insecure: true, secretRef: { name: "regcred" } },
  } as unknown as ImageRepository;
  state = new MemoryStateStore();
  await state.update(repo, () => ({
    ...emptyState(repo),
    account: "acme",
    model: { repositories: [target], policies: [], automations: [], gitRepositories: [], namespaceLabels: {}, problems: [] },
  }));
});

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = () => ({ state, scanner, queue: queueStub, clock: { now: () => new Date() }, logger });
const job = { ...repo, account: "acme", namespace: "flux-system", name: "app" };

describe("a scan with Basic → bearer token credentials from the server credentials file", () => {
  it("succeeds after one 503, using the token (sanity: the secrets were really used)", async () => {
    mode = "ok";
    fail503 = 1;
    const out = await scanImage(deps(), job);
    expect(out).toMatchObject({ result: "scanned", tagCount: 3 });
    expect(fake.requests.some((r) => r.authorization === `Basic ${BASIC}`)).toBe(true);
    expect(fake.requests.some((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(logs.some((l) => l.includes("retrying"))).toBe(true);
  });

  it("fails with 401 when the registry refuses the token, and with the token service refusing the credentials", async () => {
    for (const m of ["revoked", "token-refused"] as const) {
      mode = m;
      const out = await scanImage(deps(), { ...job, force: true });
      expect(out).toMatchObject({ result: "failed" });
      expect((out as { error: string }).error).toMatch(/^registry\.auth: /);
      expect(leaks((out as { error: string }).error)).toEqual([]);
    }
    const s = await state.get(repo);
    expect(s!.scans["flux-system/app"]!.error?.code).toBe("registry.auth");
  });

  it("a thrown registry error carries no secret in its message, stack, properties or cause", async () => {
    mode = "revoked";
    let caught: unknown;
    await scanner.digest("acme", target, "2.0.0").catch((e: unknown) => {
      caught = e;
    });
    expect(caught).toBeInstanceOf(Error);
    const err = caught as Error;
    expect((err as { code?: string }).code).toBe("registry.auth");
    for (const text of [err.message, String(err.stack), JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })]) expect(leaks(text)).toEqual([]);
  });
});

describe("through BullMQ workers", () => {
  let redis: TestRedis;
  let connection: Redis;
  let queues: BullQueues;
  let workers: { close(): Promise<void> } | undefined;
  const prefix = `t${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    redis = await ensureRedis();
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    queues = createQueues(connection, prefix);
    const noop = async () => undefined;
    const processors: Processors = {
      "sync-repo": noop,
      "pull-request-event": noop,
      "scan-image": (data) => scanImage(deps(), data),
      reconcile: async (data) => scanner.digest(data.account, target, "2.0.0"),
      "sync-dashboard": noop,
      "run-command": noop,
    };
    workers = startWorkers(processors, { connection, prefix, concurrency: 2, logger });
  }, 60_000);

  afterAll(async () => {
    await workers?.close();
    if (queues) {
      for (const q of Object.values(queues.queues)) await q.obliterate({ force: true }).catch(() => undefined);
      await queues.close();
    }
    if (connection) {
      const keys = await connection.keys(`${prefix}:*`);
      if (keys.length) await connection.del(...keys);
      connection.disconnect();
    }
    await redis?.stop();
  });

  async function settle(name: "scan-image" | "reconcile", data: typeof job): Promise<string> {
    const added = await queues.queues[name].add(name, data, { attempts: 1 });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const s = await queues.queues[name].getJobState(added.id!);
      if (s === "completed" || s === "failed") return s;
      if (Date.now() > deadline) throw new Error(`job ${name} still ${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("failed and completed jobs log, and store in Redis, no secret", async () => {
    mode = "revoked";
    expect(await settle("reconcile", job)).toBe("failed");
    expect(await settle("scan-image", { ...job, force: true } as typeof job)).toBe("completed");
    mode = "ok";
    fail503 = 1;
    expect(await settle("reconcile", job)).toBe("completed");
    expect(logs.some((l) => l.includes("job failed for good") && l.includes("registry.auth"))).toBe(true);
    // everything BullMQ keeps: job data, failedReason, stacktrace, return values, events
    const dump: string[] = [];
    for (const key of await connection.keys(`${prefix}:*`)) {
      const type = await connection.type(key);
      if (type === "hash") dump.push(JSON.stringify(await connection.hgetall(key)));
      else if (type === "string") dump.push((await connection.get(key)) ?? "");
      else if (type === "stream") dump.push(JSON.stringify(await connection.xrange(key, "-", "+")));
      else if (type === "list") dump.push(JSON.stringify(await connection.lrange(key, "0", "-1")));
      else if (type === "zset") dump.push(JSON.stringify(await connection.zrange(key, "0", "-1")));
    }
    const all = dump.join("\n");
    expect(all).toMatch(/registry\.auth/); // the failure is recorded…
    expect(leaks(all)).toEqual([]); // …without the secrets
  });
});

describe("what an operator can see", () => {
  it("the captured logs (every level, trace included) contain no secret", () => {
    expect(logs.length).toBeGreaterThan(3);
    expect(logs.some((l) => /"level":(40|50)/.test(l))).toBe(true); // warnings/errors were logged
    expect(leaks(logs.join(""))).toEqual([]);
  });

  it("the scan state and problems kept for the dashboard contain no secret", async () => {
    const s = await state.get(repo);
    expect(s!.scans["flux-system/app"]).toBeDefined();
    expect(leaks(JSON.stringify(s))).toEqual([]);
  });

  it("the /metrics text contains no secret", async () => {
    const text = await metrics.registry.metrics();
    expect(text).toContain("flux_image_bot_scans_total");
    expect(leaks(text)).toEqual([]);
  });

  it("the test would notice a leak (self-check)", () => {
    expect(leaks(`Authorization: Basic ${BASIC}`)).toEqual(["base64(user:password)"]);
    expect(leaks(`Bearer ${TOKEN}`)).toEqual(["bearer token"]);
  });
});
