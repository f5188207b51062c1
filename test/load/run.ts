/**
 * `npm run load [-- --repos 100 --installations 10 --mode one|two|both]`: the whole app under load, printing figures.
 *
 * In this process: a fake GitHub (one write per second per installation, answered with 403 + Retry-After
 * when broken), an in-test registry (20 images × a few hundred tags on 127.0.0.1, allow-listed),
 * Probot's webhook middleware with createServices (the web role) on the real Redis under a random prefix.
 * Workers run as child processes (test/load/worker-child.ts): one in mode "one", two in mode "two".
 * Installation webhooks (signed) start everything; the run waits for one bot commit per repository,
 * then enqueues every reconcile again (the warm round, nothing to change), then cleans Redis up.
 * Every loop is bounded by a deadline; the script exits by itself.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Probot } from "probot";
import { pino } from "pino";
import { loadConfig } from "../../src/config/env.js";
import { appFunction, createServices, type Services } from "../../src/services.js";
import { startFake, json, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import { QuietOctokit, testPrivateKey } from "../helpers/app-harness.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { ensureRedis, type TestRedis } from "../helpers/redis.js";
import { postWebhook, runningJobs, serveWebhooks, type WebhookServer } from "../helpers/webhook-server.js";
import { AUTOMATION, BOT_AUTHOR, NAMESPACE, imageName, imagesOfRepo, newestTag, repoFiles, tagsFor } from "./fixtures.js";
import type { ChildStats } from "./worker-child.js";

interface Options {
  repos: number;
  installations: number;
  images: number;
  policies: number;
  tags: number;
  concurrency: number;
  writeIntervalMs: number;
  mode: "one" | "two" | "both";
  coldTimeoutS: number;
  warmTimeoutS: number;
  webhookConcurrency: number;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string, env: string, def: string): string => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0 && argv[i + 1] !== undefined) return argv[i + 1]!;
    const eq = argv.find((a) => a.startsWith(`--${name}=`));
    if (eq) return eq.slice(name.length + 3);
    return process.env[env] ?? def;
  };
  const num = (name: string, env: string, def: number): number => {
    const v = Number(get(name, env, String(def)));
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number ≥ 0`);
    return Math.floor(v);
  };
  const mode = get("mode", "LOAD_MODE", "both");
  if (mode !== "one" && mode !== "two" && mode !== "both") throw new Error("--mode must be one, two or both");
  const o: Options = {
    repos: num("repos", "LOAD_REPOS", 1000),
    installations: num("installations", "LOAD_INSTALLATIONS", 100),
    images: num("images", "LOAD_IMAGES", 20),
    policies: num("policies", "LOAD_POLICIES", 5),
    tags: num("tags", "LOAD_TAGS", 300),
    concurrency: num("concurrency", "LOAD_CONCURRENCY", 200),
    writeIntervalMs: num("write-interval", "LOAD_WRITE_INTERVAL_MS", 1000),
    mode,
    coldTimeoutS: num("timeout", "LOAD_TIMEOUT_S", 420),
    warmTimeoutS: num("warm-timeout", "LOAD_WARM_TIMEOUT_S", 180),
    webhookConcurrency: num("webhook-concurrency", "LOAD_WEBHOOK_CONCURRENCY", 4),
  };
  if (o.installations < 1 || o.repos < o.installations) throw new Error("need --repos ≥ --installations ≥ 1");
  if (o.policies > o.images) throw new Error("--policies must be ≤ --images");
  return o;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "n/a");

interface RepoRef {
  installationId: number;
  account: string;
  repo: string;
  seedSha: string;
}

interface Child {
  proc: ChildProcess;
  name: string;
  stats(): Promise<ChildStats>;
  stop(): Promise<void>;
}

async function startChild(name: string, env: Record<string, string>): Promise<Child> {
  const proc = fork(fileURLToPath(new URL("./worker-child.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env, LOAD_WORKER_NAME: name },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waitFor = <T>(type: string, ms: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => {
        proc.off("message", on);
        reject(new Error(`${name}: no "${type}" message within ${ms} ms`));
      }, ms);
      const on = (m: { type?: string }) => {
        if (m?.type !== type) return;
        clearTimeout(t);
        proc.off("message", on);
        resolve(m as T);
      };
      proc.on("message", on);
    });
  await waitFor("ready", 60_000);
  return {
    proc,
    name,
    async stats() {
      const p = waitFor<ChildStats>("stats", 10_000);
      proc.send({ type: "stats" });
      return p;
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once("exit", () => r()));
      proc.send({ type: "stop" });
      const t = setTimeout(() => proc.pid && proc.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(t);
    },
  };
}

async function startRegistry(o: Options) {
  const tagLists = new Map<string, string[]>();
  for (let i = 0; i < o.images; i++) tagLists.set(imageName(i), tagsFor(i, o.tags));
  const perImage = new Map<string, number>();
  let other = 0;
  const registry: FakeRegistry = await startFake((_req, res, url) => {
    if (url.pathname === "/v2/") {
      other++;
      return json(res, 200, {});
    }
    const m = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    const tags = m ? tagLists.get(m[1]!) : undefined;
    if (m && tags) {
      perImage.set(m[1]!, (perImage.get(m[1]!) ?? 0) + 1);
      return json(res, 200, { name: m[1], tags });
    }
    other++;
    json(res, 404, { errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry" }] });
  });
  return { registry, perImage, other: () => other };
}

interface PhaseReport {
  mode: string;
  ok: boolean;
  lines: string[];
}

async function runPhase(o: Options, workersCount: number, redis: TestRedis): Promise<PhaseReport> {
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    process.stdout.write(`  ${s}\n`);
  };
  const label = `${workersCount} worker process${workersCount > 1 ? "es" : ""}`;
  process.stdout.write(
    `\n== ${label}: ${o.repos} repositories in ${o.installations} installations, ${o.policies} policies each over ${o.images} images × ${o.tags} tags ==\n`,
  );
  const prefix = `load${randomBytes(4).toString("hex")}`;
  const secret = "load-secret";
  const children: Child[] = [];
  let github: FakeGitHub | undefined;
  let reg: Awaited<ReturnType<typeof startRegistry>> | undefined;
  let webhooks: WebhookServer | undefined;
  let services: Services | undefined;
  let ok = true;
  try {
    github = await startFakeGitHub({ writeLimitMs: o.writeIntervalMs > 0 ? o.writeIntervalMs : undefined });
    reg = await startRegistry(o);
    const registryHost = reg.registry.host;

    // Seed installations and repositories.
    const repos: RepoRef[] = [];
    const byInstallation = new Map<number, RepoRef[]>();
    for (let i = 0; i < o.installations; i++) {
      const installationId = 1000 + i;
      const account = `org${i}`;
      github.addInstallation(installationId, account);
      byInstallation.set(installationId, []);
    }
    for (let r = 0; r < o.repos; r++) {
      const i = r % o.installations;
      const installationId = 1000 + i;
      const account = `org${i}`;
      const name = `repo${r}`;
      const { headSha } = github.seedRepo({
        owner: account,
        repo: name,
        installationId,
        files: repoFiles(registryHost, imagesOfRepo(r, o.policies, o.images)),
      });
      const ref = { installationId, account, repo: name, seedSha: headSha };
      repos.push(ref);
      byInstallation.get(installationId)!.push(ref);
    }

    const env: Record<string, string> = {
      APP_ID: "1",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: secret,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      GITHUB_WRITE_INTERVAL_MS: String(o.writeIntervalMs),
      WORKER_CONCURRENCY: String(o.concurrency),
      REGISTRY_ALLOWED_HOSTS: registryHost,
      MIN_INTERVAL_SECONDS: "60",
      LOAD_GITHUB_URL: github.url,
    };
    const config = loadConfig(env);
    const logger = pino({ level: "warn" });
    const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), secret, baseUrl: `${github.url}/api/v3`, Octokit: QuietOctokit, log: logger });
    services = createServices(config, probot, logger, { botLogin: "flux-image-bot[bot]" });
    webhooks = await serveWebhooks(appFunction(services, config), probot, secret);
    const webhookUrl = webhooks.url;

    for (let w = 0; w < workersCount; w++) children.push(await startChild(`worker-${w + 1}`, env));

    // ---- cold: installation webhooks → commits
    const sentAt = new Map<number, number>();
    let delivery = 0;
    const deliver = async (installationId: number, refs: RepoRef[]) => {
      const payload = {
        action: "created",
        installation: { id: installationId, account: { login: refs[0]!.account, type: "Organization" } },
        repositories: refs.map((r) => ({ name: r.repo, full_name: `${r.account}/${r.repo}`, private: false })),
        sender: { login: refs[0]!.account, type: "User" },
      };
      sentAt.set(installationId, Date.now());
      const status = await postWebhook(webhookUrl, secret, "installation", payload, `load-${prefix}-${delivery++}`, { timeoutMs: 30_000 });
      if (status !== 200) throw new Error(`webhook for installation ${installationId} answered ${status}`);
    };
    const t0 = Date.now();
    const installs = [...byInstallation.entries()];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.max(1, o.webhookConcurrency) }, async () => {
        while (next < installs.length) {
          const [id, refs] = installs[next++]!;
          await deliver(id, refs);
        }
      }),
    );
    const webhooksDone = Date.now();

    const committedAt = new Map<string, number>();
    const deadline = t0 + o.coldTimeoutS * 1000;
    let lastPrint = Date.now();
    while (committedAt.size < repos.length && Date.now() < deadline) {
      for (const r of repos) {
        const key = `${r.account}/${r.repo}`;
        if (committedAt.has(key)) continue;
        const head = github.branchSha(r.account, r.repo, "main");
        if (head && head !== r.seedSha) {
          const c = github.listCommits(r.account, r.repo, "main")[0]!;
          committedAt.set(key, Date.parse(c.committer.date));
        }
      }
      if (Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now();
        process.stdout.write(`  … ${Math.round((Date.now() - t0) / 1000)} s: ${committedAt.size}/${repos.length} repositories committed\n`);
      }
      await sleep(250);
    }
    const _coldCommitsDone = Date.now();
    const allCommitted = committedAt.size === repos.length;
    // let the dashboards and the remaining jobs finish, so the cold figures count the whole first round
    const drained = await drain(services, Math.max(30_000, deadline - Date.now()));
    const coldEnd = Date.now();
    const coldCounts = github.counts();
    const coldRegistry = new Map(reg.perImage);

    // Check: exactly one bot commit per repository, with the newest tag in every marker.
    let exactlyOne = 0;
    let correct = 0;
    const want = newestTag(o.tags);
    for (const r of repos) {
      const bot = github.listCommits(r.account, r.repo, "main").filter((c) => c.author.name === BOT_AUTHOR);
      if (bot.length === 1) exactlyOne++;
      const dep = github.readFile(r.account, r.repo, "main", "apps/app/deployment.yaml") ?? "";
      if ((dep.match(new RegExp(`:${want.replace(/\./g, "\\.")} #`, "g")) ?? []).length === o.policies) correct++;
    }

    const latencies = repos
      .filter((r) => committedAt.has(`${r.account}/${r.repo}`))
      .map((r) => committedAt.get(`${r.account}/${r.repo}`)! - sentAt.get(r.installationId)!)
      .sort((a, b) => a - b);
    const lastCommit = Math.max(...committedAt.values());
    const coldSeconds = (lastCommit - t0) / 1000;

    // ---- warm: enqueue every reconcile again; nothing to change
    github.resetCounts();
    const warmStart = Date.now();
    for (const r of repos)
      await services.queue.enqueue("reconcile", {
        installationId: r.installationId,
        owner: r.account,
        repo: r.repo,
        account: r.account,
        namespace: NAMESPACE,
        name: AUTOMATION,
        reason: "load: warm round",
      });
    const warmDrained = await drain(services, o.warmTimeoutS * 1000);
    const warmSeconds = (Date.now() - warmStart) / 1000;
    const warmCounts = github.counts();
    let extraCommits = 0;
    for (const r of repos) if (github.listCommits(r.account, r.repo, "main").filter((c) => c.author.name === BOT_AUTHOR).length !== 1) extraCommits++;

    const stats = await Promise.all(children.map((c) => c.stats()));
    const failed = await failedJobs(services);

    // ---- figures
    const perRepoTotals = (c: typeof coldCounts) => {
      const isDash = (k: string) => k;
      void isDash;
      return Object.values(c.perRepo).reduce((a, b) => a + b.requests, 0);
    };
    const split = (log: FakeGitHub["requests"]) => {
      let dash = 0;
      let git = 0;
      let writes = 0;
      let limited = 0;
      for (const e of log) {
        if (!e.repo) continue;
        if (/\/issues/.test(e.path)) dash++;
        else git++;
        if (e.method !== "GET") writes++;
        if (e.status === 403 || e.status === 429) limited++;
      }
      return { dash, git, writes, limited };
    };
    const warmSplit = split(github.requests);
    const coldTotal = perRepoTotals(coldCounts);
    const _warmTotal = perRepoTotals(warmCounts);
    say(
      `result: ${allCommitted ? "all" : "NOT all"} ${committedAt.size}/${repos.length} repositories committed; exactly one bot commit: ${exactlyOne}/${repos.length}; all markers at ${want}: ${correct}/${repos.length}; queues drained: cold ${drained}, warm ${warmDrained}`,
    );
    say(
      `total time (first webhook → last commit): ${f1(coldSeconds)} s  [webhooks sent in ${f1((webhooksDone - t0) / 1000)} s; first round fully drained, dashboards included, at ${f1((coldEnd - t0) / 1000)} s; target ≤ 300 s: ${coldSeconds <= 300 && allCommitted ? "met" : "MISSED"}]`,
    );
    say(
      `reconciles per second (cold, commits): ${f2(committedAt.size / Math.max(0.001, coldSeconds))}; warm round: ${repos.length} reconciles in ${f1(warmSeconds)} s = ${f2(repos.length / Math.max(0.001, warmSeconds))}/s`,
    );
    say(`webhook → commit latency: p50 ${f1(pct(latencies, 50) / 1000)} s, p95 ${f1(pct(latencies, 95) / 1000)} s, max ${f1(pct(latencies, 100) / 1000)} s`);
    say(
      `GitHub requests per repository, cold (sync + scans + reconcile + dashboard): ${f2(coldTotal / repos.length)} (writes ${f2(Object.values(coldCounts.perRepo).reduce((a, b) => a + b.writes, 0) / repos.length)}, 304s ${f2(Object.values(coldCounts.perRepo).reduce((a, b) => a + b.notModified, 0) / repos.length)}, errors ${f2(Object.values(coldCounts.perRepo).reduce((a, b) => a + b.errors, 0) / repos.length)}); installation-token requests: ${coldCounts.total.requests - coldTotal}`,
    );
    say(
      `GitHub requests per warm reconcile: ${f2(warmSplit.git / repos.length)} for the reconcile (target ≤ 2: ${warmSplit.git / repos.length <= 2 ? "met" : "MISSED"}; 304s ${f2(warmCounts.total.notModified / repos.length)}), plus ${f2(warmSplit.dash / repos.length)} for the dashboard refresh it enqueues; writes ${warmSplit.writes}; bot commits beyond the first: ${extraCommits}`,
    );
    const regCounts = [...coldRegistry.values()];
    const allReg = [...reg.perImage.values()];
    say(
      `registry tag-list requests per distinct image: cold max ${Math.max(0, ...regCounts)} / min ${Math.min(...(regCounts.length ? regCounts : [0]))} over ${coldRegistry.size} images; after the warm round max ${Math.max(0, ...allReg)} (target: 1 per image per interval: ${Math.max(0, ...allReg) <= 1 && reg.perImage.size === o.images ? "met" : "MISSED"}); other registry requests: ${reg.other()}`,
    );
    for (const s of stats) {
      const jobs = Object.entries(s.jobs)
        .map(
          ([q, c]) =>
            `${q} ${Object.entries(c)
              .map(([k, v]) => `${k}:${v}`)
              .join("/")}`,
        )
        .join(", ");
      say(
        `${s.name} (pid ${s.pid}): peak RSS ${f1(s.peakRssMb)} MB (now ${f1(s.rssMb)} MB, peak heap ${f1(s.peakHeapMb)} MB); jobs ${jobs}; its GitHub requests ${s.gateway.requests} (writes ${s.gateway.writes})`,
      );
      const warns = Object.entries(s.warnings)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6);
      if (warns.length) say(`  ${s.name} warnings: ${warns.map(([k, v]) => `${v}× ${k}`).join("; ")}`);
    }
    say(
      `write-limit 403s from the fake GitHub in the warm round: ${warmSplit.limited}; cold errors total: ${coldCounts.total.errors}; failed jobs: ${JSON.stringify(failed)}`,
    );
    say(`main (web + fakes) process RSS: ${f1(process.memoryUsage().rss / 2 ** 20)} MB`);
    ok = allCommitted && exactlyOne === repos.length && correct === repos.length && extraCommits === 0;
  } catch (e) {
    ok = false;
    say(`phase failed: ${(e as Error).stack ?? e}`);
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
    if (services) {
      for (const q of Object.values(services.queues.queues)) await q.obliterate({ force: true }).catch(() => undefined);
      const r = redis.client();
      let cursor = "0";
      let n = 0;
      do {
        const [c, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        cursor = c;
        if (keys.length) await r.del(...keys);
        n++;
      } while (cursor !== "0" && n < 100_000);
      r.disconnect();
      await services.close().catch(() => undefined);
    }
    await webhooks?.close();
    await github?.close().catch(() => undefined);
    await reg?.registry.close().catch(() => undefined);
  }
  return { mode: label, ok, lines };
}

async function drain(services: Services, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    let busy = await runningJobs(Object.values(services.queues.queues));
    // delayed jobs that are due soon (rate-limit delays, retries) count as busy; schedules are an interval away
    for (const q of Object.values(services.queues.queues)) {
      const delayed = await q.getDelayed(0, 200);
      busy += delayed.filter((j) => !j.repeatJobKey && j.timestamp + (j.opts.delay ?? 0) < Date.now() + 60_000).length;
    }
    quiet = busy === 0 ? quiet + 1 : 0;
    if (quiet >= 3) return true;
    await sleep(250);
  }
  return false;
}

async function failedJobs(services: Services): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, q] of Object.entries(services.queues.queues)) {
    const n = await q.getFailedCount();
    if (n) out[name] = n;
  }
  return out;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const hardStop = setTimeout(
    () => {
      process.stderr.write("load: hard time limit reached, exiting\n");
      process.exit(2);
    },
    (o.coldTimeoutS + o.warmTimeoutS + 240) * 1000 * (o.mode === "both" ? 2 : 1),
  );
  hardStop.unref();
  const redis = await ensureRedis();
  const started = Date.now();
  const reports: PhaseReport[] = [];
  try {
    if (o.mode === "one" || o.mode === "both") reports.push(await runPhase(o, 1, redis));
    if (o.mode === "two" || o.mode === "both") reports.push(await runPhase(o, 2, redis));
  } finally {
    await redis.stop();
  }
  process.stdout.write(`\n== summary (${f1((Date.now() - started) / 1000)} s) ==\n`);
  for (const r of reports) process.stdout.write(`${r.mode}: ${r.ok ? "ok" : "PROBLEMS"}\n`);
  process.exit(reports.every((r) => r.ok) ? 0 : 1);
}

void main().catch((e) => {
  process.stderr.write(`load failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
