/**
 * deploy/: every YAML parses; the kustomizations are rendered by a small
 * in-test kustomize (resources, namespace, images, strategic-merge deletes,
 * JSON 6902 patches) and the result is checked against the code: Service
 * selectors and ports match pods, probes hit paths the server serves, every
 * env var is one the server or Probot reads, the ConfigMap passes the
 * server's own validation, secret references name the documented secrets,
 * roles are valid. When `kubectl kustomize` is on PATH its output is compared
 * with the in-test rendering. app.yml is checked against the handlers.
 */
import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join, relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { EnvSchema, loadConfig } from "../../src/config/env.js";
import { createEndpoints } from "../../src/adapters/http/endpoints.js";

const root = process.cwd();
const deployDir = join(root, "deploy");

type Obj = Record<string, any>;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function loadYaml(path: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(path, "utf8"));
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) if (d.errors.length) throw new Error(`${relative(root, path)}: ${d.errors.map((e) => e.message).join("; ")}`);
  return list.map((d) => d.toJS() as Obj).filter((o) => o !== null && o !== undefined);
}

const idOf = (o: Obj): string => `${o.kind}/${o.metadata?.name}`;
const CLUSTER_SCOPED = new Set(["Namespace"]);

function matchesLabels(selector: string | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return true;
  return selector.split(",").every((kv) => {
    const [k, v] = kv.split("=");
    return labels[k!.trim()] === v?.trim();
  });
}

function jsonPatch(target: Obj, ops: Obj[]): void {
  for (const op of ops) {
    const parts = (op.path as string)
      .split("/")
      .slice(1)
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = parts.pop()!;
    let cur: Obj = target;
    for (const p of parts) {
      cur = Array.isArray(cur) ? cur[Number(p)] : cur[p];
      if (cur === undefined) throw new Error(`patch path ${op.path} does not exist in ${idOf(target)}`);
    }
    if (op.op === "add") {
      if (Array.isArray(cur)) cur.splice(last === "-" ? cur.length : Number(last), 0, structuredClone(op.value));
      else cur[last] = structuredClone(op.value);
    } else if (op.op === "replace") {
      if (!(last in cur)) throw new Error(`patch path ${op.path} does not exist in ${idOf(target)}`);
      cur[last] = structuredClone(op.value);
    } else if (op.op === "remove") {
      if (Array.isArray(cur)) cur.splice(Number(last), 1);
      else delete cur[last];
    } else throw new Error(`unsupported op ${op.op}`);
  }
}

function deepMerge(into: Obj, patch: Obj): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v && typeof v === "object" && !Array.isArray(v) && into[k] && typeof into[k] === "object") deepMerge(into[k], v);
    else into[k] = structuredClone(v);
  }
}

/** The subset of kustomize this repository uses. */
function render(dir: string): Obj[] {
  const kfile = join(dir, "kustomization.yaml");
  if (!existsSync(kfile)) throw new Error(`${relative(root, dir)} has no kustomization.yaml`);
  const k = loadYaml(kfile)[0]!;
  expect(k.apiVersion).toBe("kustomize.config.k8s.io/v1beta1");
  expect(k.kind).toBe("Kustomization");
  let objs: Obj[] = [];
  for (const r of (k.resources ?? []) as string[]) {
    const p = resolve(dir, r);
    if (!existsSync(p)) throw new Error(`${relative(root, kfile)}: resource ${r} does not exist`);
    objs.push(...(statSync(p).isDirectory() ? render(p) : loadYaml(p)));
  }
  for (const patch of (k.patches ?? []) as Array<{ path: string; target?: { kind?: string; name?: string; labelSelector?: string } }>) {
    const p = resolve(dir, patch.path);
    if (!existsSync(p)) throw new Error(`${relative(root, kfile)}: patch ${patch.path} does not exist`);
    const docs = loadYaml(p);
    if (patch.target) {
      const ops = docs.length === 1 && Array.isArray(docs[0]) ? (docs[0] as unknown as Obj[]) : docs;
      const targets = objs.filter(
        (o) =>
          (!patch.target!.kind || o.kind === patch.target!.kind) &&
          (!patch.target!.name || o.metadata.name === patch.target!.name) &&
          matchesLabels(patch.target!.labelSelector, o.metadata.labels),
      );
      if (targets.length === 0) throw new Error(`${relative(root, p)} matches nothing`);
      for (const t of targets) jsonPatch(t, ops);
    } else {
      for (const d of docs) {
        const hit = objs.find((o) => idOf(o) === idOf(d));
        if (!hit) throw new Error(`${relative(root, p)}: no ${idOf(d)} to patch`);
        if (d.$patch === "delete") objs = objs.filter((o) => o !== hit);
        else deepMerge(hit, d);
      }
    }
  }
  if (k.namespace) for (const o of objs) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  for (const l of (k.labels ?? []) as Array<{ pairs: Record<string, string> }>) for (const o of objs) o.metadata.labels = { ...o.metadata.labels, ...l.pairs };
  for (const img of (k.images ?? []) as Array<{ name: string; newName?: string; newTag?: string }>) {
    for (const c of containers(objs)) {
      const [name, tag] = splitImage(c.image);
      if (name === img.name) c.image = `${img.newName ?? name}${img.newTag ? `:${img.newTag}` : tag ? `:${tag}` : ""}`;
    }
  }
  return objs;
}

function splitImage(image: string): [string, string | undefined] {
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? [image.slice(0, colon), image.slice(colon + 1)] : [image, undefined];
}

const workloads = (objs: Obj[]): Obj[] => objs.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
const containers = (objs: Obj[]): Obj[] => workloads(objs).flatMap((w) => w.spec.template.spec.containers as Obj[]);
const get = (objs: Obj[], kind: string, name: string): Obj => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o;
};

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
const KNOWN_ENV = new Set([...Object.keys(EnvSchema.shape), ...PROBOT_ENV]);

const base = render(join(deployDir, "base"));
const external = render(join(deployDir, "overlays/external-redis"));
const secretsExample = loadYaml(join(deployDir, "secrets.example.yaml"));
const declaredSecrets = new Map<string, Set<string>>(
  secretsExample.map((s) => [s.metadata.name as string, new Set(Object.keys({ ...s.stringData, ...s.data }))]),
);
const configMap = get(base, "ConfigMap", "flux-image-bot-config");
const web = get(base, "Deployment", "flux-image-bot-web");
const worker = get(base, "Deployment", "flux-image-bot-worker");
const webC = web.spec.template.spec.containers[0] as Obj;
const workerC = worker.spec.template.spec.containers[0] as Obj;

describe("YAML files", () => {
  it("every YAML file under deploy/ and app.yml parses", () => {
    const files = [...walk(deployDir).filter((f) => /\.ya?ml$/.test(f)), join(root, "app.yml")];
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) expect(() => loadYaml(f)).not.toThrow();
  });

  it("every manifest has apiVersion, kind and metadata.name", () => {
    for (const o of [...base, ...secretsExample, ...loadYaml(join(deployDir, "flux/flux-image-bot.yaml"))]) {
      expect(typeof o.apiVersion).toBe("string");
      expect(typeof o.kind).toBe("string");
      expect(o.metadata?.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
  });
});

describe("kustomize base", () => {
  it("has the namespace, both Deployments, the web Service, Redis and the ConfigMap, all in flux-image-bot", () => {
    expect(base.map(idOf).sort()).toEqual(
      [
        "ConfigMap/flux-image-bot-config",
        "Deployment/flux-image-bot-web",
        "Deployment/flux-image-bot-worker",
        "Namespace/flux-image-bot",
        "Service/flux-image-bot-web",
        "Service/redis",
        "StatefulSet/redis",
      ].sort(),
    );
    for (const o of base) if (o.kind !== "Namespace") expect([idOf(o), o.metadata.namespace]).toEqual([idOf(o), "flux-image-bot"]);
  });

  it("has no Secret objects (no secret values in Git)", () => {
    expect(base.filter((o) => o.kind === "Secret")).toEqual([]);
    expect(external.filter((o) => o.kind === "Secret")).toEqual([]);
  });

  it("workload selectors match their pod labels, and Services select exactly one workload's pods on a declared port", () => {
    for (const w of workloads(base)) {
      const labels = w.spec.template.metadata.labels as Record<string, string>;
      for (const [k, v] of Object.entries(w.spec.selector.matchLabels as Record<string, string>)) expect([idOf(w), k, labels[k]]).toEqual([idOf(w), k, v]);
    }
    for (const svc of base.filter((o) => o.kind === "Service")) {
      const sel = svc.spec.selector as Record<string, string>;
      const hits = workloads(base).filter((w) => Object.entries(sel).every(([k, v]) => w.spec.template.metadata.labels[k] === v));
      expect([idOf(svc), hits.map(idOf)]).toEqual([idOf(svc), [expect.any(String)]]);
      const ports = (hits[0]!.spec.template.spec.containers as Obj[]).flatMap((c) => (c.ports ?? []) as Obj[]);
      for (const p of svc.spec.ports as Obj[]) {
        const ok = typeof p.targetPort === "string" ? ports.some((cp) => cp.name === p.targetPort) : ports.some((cp) => cp.containerPort === p.targetPort);
        expect([idOf(svc), p.targetPort, ok]).toEqual([idOf(svc), p.targetPort, true]);
      }
    }
    expect(get(base, "Service", "flux-image-bot-web").spec.selector).toEqual(web.spec.template.metadata.labels);
  });

  it("container args give valid roles: web for the web Deployment, worker (2 replicas) for the worker Deployment", () => {
    const env = { APP_ID: "1", PRIVATE_KEY: "k", WEBHOOK_SECRET: "s" };
    expect(loadConfig(env, webC.args).role).toBe("web");
    expect(loadConfig(env, workerC.args).role).toBe("worker");
    expect(worker.spec.replicas).toBe(2);
    expect(webC.command).toBeUndefined(); // the image's ENTRYPOINT (node lib/main.js) stays
    expect(workerC.command).toBeUndefined();
  });

  it("the web container listens on PORT and its probes hit /readyz and /healthz, which the server answers", async () => {
    const port = (webC.ports as Obj[]).find((p) => p.name === "http")!;
    expect(port.containerPort).toBe(Number(configMap.data.PORT));
    expect(webC.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(webC.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    // the server's own handler, with a Redis that answers PONG and no queues
    const handler = createEndpoints({ redis: { ping: async () => "PONG" } as never, queues: {}, logger: console });
    for (const path of [webC.readinessProbe.httpGet.path, webC.livenessProbe.httpGet.path]) {
      let status = 0;
      const res = {
        writeHead: (s: number) => {
          status = s;
        },
        end: () => undefined,
      } as unknown as ServerResponse;
      const handled = await handler({ url: path, headers: {} } as IncomingMessage, res);
      expect([path, handled, status]).toEqual([path, true, 200]);
    }
  });

  it("workers are probed for liveness on /healthz (the worker role serves health and metrics only)", () => {
    expect(workerC.readinessProbe).toBeUndefined();
    expect(workerC.livenessProbe?.httpGet?.path).toBe("/healthz");
    expect(workerC.ports?.[0]?.containerPort).toBe(3000);
  });

  it("every container has resource requests and a memory limit, runs as non-root with a read-only root filesystem and a /tmp emptyDir", () => {
    for (const w of workloads(base)) {
      const spec = w.spec.template.spec;
      expect([idOf(w), spec.securityContext?.runAsNonRoot]).toEqual([idOf(w), true]);
      for (const c of spec.containers as Obj[]) {
        expect(c.resources?.requests?.cpu).toBeDefined();
        expect(c.resources?.requests?.memory).toBeDefined();
        expect(c.resources?.limits?.memory).toBeDefined();
        expect(c.securityContext?.readOnlyRootFilesystem).toBe(true);
        expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
        const writable = (c.volumeMounts ?? []) as Obj[];
        if (w.kind === "Deployment") {
          const tmp = writable.find((m) => m.mountPath === "/tmp");
          expect(tmp).toBeDefined();
          expect((spec.volumes as Obj[]).find((v) => v.name === tmp!.name)?.emptyDir).toBeDefined();
        }
      }
    }
    // the image's node user
    expect(web.spec.template.spec.securityContext.runAsUser).toBe(1000);
  });

  it("every env var set (ConfigMap keys and container env) is one the server or Probot reads", () => {
    const names = [
      ...Object.keys(configMap.data),
      ...containers(base)
        .filter((c) => c.image.includes("flux-image-bot"))
        .flatMap((c) => ((c.env ?? []) as Obj[]).map((e) => e.name as string)),
    ];
    for (const n of names) expect([n, KNOWN_ENV.has(n)]).toEqual([n, true]);
    for (const c of [webC, workerC]) expect(c.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
  });

  it("the ConfigMap passes the server's validation for both roles, and REDIS_URL points at the Redis Service", () => {
    const secrets = { APP_ID: "123", PRIVATE_KEY: "k", WEBHOOK_SECRET: "s" };
    const cfg = loadConfig({ ...configMap.data, ...secrets }, ["--role", "web"]);
    expect(loadConfig({ ...configMap.data, APP_ID: "1", PRIVATE_KEY: "k" }, ["--role", "worker"]).role).toBe("worker");
    expect(cfg.HOST).toBe("0.0.0.0"); // Probot binds localhost otherwise
    const url = new URL(cfg.REDIS_URL);
    const redisSvc = get(base, "Service", "redis");
    expect(url.hostname).toBe(redisSvc.metadata.name);
    expect((redisSvc.spec.ports as Obj[]).map((p) => p.port)).toContain(Number(url.port || 6379));
  });

  it("secrets are referenced, never inlined: every secretKeyRef and secret volume names a documented secret and key", () => {
    const refs: Array<{ name: string; key: string; optional?: boolean; env?: string }> = [];
    for (const objs of [base, external]) {
      for (const w of workloads(objs)) {
        for (const c of w.spec.template.spec.containers as Obj[]) {
          for (const e of (c.env ?? []) as Obj[]) {
            expect([e.name, e.value]).toEqual([e.name, undefined]); // values only through ConfigMap or Secret
            if (e.valueFrom?.secretKeyRef) refs.push({ ...e.valueFrom.secretKeyRef, env: e.name });
          }
        }
        for (const v of (w.spec.template.spec.volumes ?? []) as Obj[]) {
          if (v.secret) for (const it of (v.secret.items ?? []) as Obj[]) refs.push({ name: v.secret.secretName, key: it.key, optional: v.secret.optional });
        }
      }
    }
    for (const r of refs) expect([r.name, r.key, declaredSecrets.get(r.name)?.has(r.key)]).toEqual([r.name, r.key, true]);
    const byEnv = (c: Obj, n: string) => ((c.env ?? []) as Obj[]).find((e) => e.name === n)?.valueFrom?.secretKeyRef;
    for (const n of ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET"]) expect(byEnv(webC, n)?.name).toBe("flux-image-bot-github");
    for (const n of ["APP_ID", "PRIVATE_KEY"]) expect(byEnv(workerC, n)?.name).toBe("flux-image-bot-github");
    expect(byEnv(workerC, "WEBHOOK_SECRET")).toBeUndefined(); // workers do not verify webhooks
    expect(byEnv(webC, "ADMIN_PASSWORD")).toMatchObject({ name: "flux-image-bot-admin", optional: true });
    expect(byEnv(workerC, "ADMIN_PASSWORD")).toBeUndefined();
  });

  it("REGISTRY_CREDENTIALS_FILE is the file mounted from the optional flux-image-bot-registry secret", () => {
    const file = configMap.data.REGISTRY_CREDENTIALS_FILE as string;
    for (const w of [web, worker]) {
      const spec = w.spec.template.spec;
      const vol = (spec.volumes as Obj[]).find((v) => v.secret?.secretName === "flux-image-bot-registry")!;
      expect(vol.secret.optional).toBe(true);
      const mount = (spec.containers[0].volumeMounts as Obj[]).find((m) => m.name === vol.name)!;
      expect(mount.readOnly).toBe(true);
      expect(`${mount.mountPath}/${vol.secret.items[0].path}`).toBe(file);
      expect(dirname(file)).toBe(mount.mountPath);
    }
  });

  it("both bot Deployments run the same image, set by the kustomization", () => {
    expect(webC.image).toBe(workerC.image);
    expect(webC.image).toMatch(/^ghcr\.io\/[^/]+\/flux-image-bot:\d+\.\d+\.\d+$/);
    const flux = loadYaml(join(deployDir, "flux/flux-image-bot.yaml")).find((o) => o.kind === "Kustomization")!;
    expect(flux.spec.images.map((i: Obj) => i.name)).toEqual([splitImage(webC.image)[0]]);
  });

  it("Redis is a StatefulSet with AOF persistence, no RDB snapshots and maxmemory-policy noeviction (BullMQ)", () => {
    const redis = get(base, "StatefulSet", "redis");
    const args = (redis.spec.template.spec.containers[0].args as string[]).join(" ");
    expect(args).toMatch(/--maxmemory-policy noeviction/);
    expect(args).toMatch(/--appendonly yes/);
    expect(args).toMatch(/--save {1,2}(--|$)/); // --save "" (an empty argument)
    expect(redis.spec.template.spec.containers[0].args).toContain("");
    expect(redis.spec.serviceName).toBe("redis");
    expect(redis.spec.volumeClaimTemplates[0].metadata.name).toBe(redis.spec.template.spec.containers[0].volumeMounts[0].name);
  });
});

describe("overlays/external-redis", () => {
  it("drops the Redis StatefulSet and Service and keeps everything else", () => {
    expect(external.map(idOf).sort()).toEqual(
      base
        .map(idOf)
        .filter((id) => !["StatefulSet/redis", "Service/redis"].includes(id))
        .sort(),
    );
  });

  it("sets REDIS_URL on both bot Deployments from the flux-image-bot-redis secret", () => {
    for (const name of ["flux-image-bot-web", "flux-image-bot-worker"]) {
      const c = get(external, "Deployment", name).spec.template.spec.containers[0] as Obj;
      const e = ((c.env ?? []) as Obj[]).filter((x) => x.name === "REDIS_URL");
      expect(e).toEqual([{ name: "REDIS_URL", valueFrom: { secretKeyRef: { name: "flux-image-bot-redis", key: "url" } } }]);
    }
  });
});

describe("Flux example", () => {
  const docs = loadYaml(join(deployDir, "flux/flux-image-bot.yaml"));
  it("a kustomize.toolkit.fluxcd.io/v1 Kustomization reads deploy/base from the GitRepository next to it", () => {
    const ks = docs.find((o) => o.kind === "Kustomization")!;
    expect(ks.apiVersion).toBe("kustomize.toolkit.fluxcd.io/v1");
    const src = docs.find((o) => o.kind === ks.spec.sourceRef.kind && o.metadata.name === ks.spec.sourceRef.name)!;
    expect(src.apiVersion).toBe("source.toolkit.fluxcd.io/v1");
    expect(existsSync(join(root, ks.spec.path, "kustomization.yaml"))).toBe(true);
    expect(ks.spec.targetNamespace).toBe("flux-image-bot");
    expect(ks.spec.prune).toBe(true);
    expect(ks.spec.interval).toMatch(/^\d+[smh]$/);
  });
});

describe("kubectl kustomize (when installed)", () => {
  const have = spawnSync("kubectl", ["kustomize", "--help"], { stdio: "ignore" }).status === 0;
  it.each(["base", "overlays/external-redis"])("renders deploy/%s like the in-test rendering", (dir) => {
    if (!have) {
      console.warn("kubectl is not installed: the real kustomize build was skipped; the in-test rendering was checked");
      return;
    }
    const r = spawnSync("kubectl", ["kustomize", join(deployDir, dir)], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const real = parseAllDocuments(r.stdout);
    const objs = (Array.isArray(real) ? real : [real]).map((d) => d.toJS() as Obj);
    const mine = dir === "base" ? base : external;
    expect(objs.map(idOf).sort()).toEqual(mine.map(idOf).sort());
    for (const o of objs) {
      const m = mine.find((x) => idOf(x) === idOf(o))!;
      expect([idOf(o), o.metadata.namespace]).toEqual([idOf(o), m.metadata.namespace]);
      if (o.kind === "Deployment" || o.kind === "StatefulSet") expect(o.spec.template.spec).toEqual(m.spec.template.spec);
      if (o.kind === "ConfigMap") expect(o.data).toEqual(m.data);
    }
  });
});

describe("app.yml", () => {
  const app = loadYaml(join(root, "app.yml"))[0]!;
  const handlerSources = readdirSync(join(root, "src/adapters/probot"))
    .map((f) => readFileSync(join(root, "src/adapters/probot", f), "utf8"))
    .join("\n");
  const subscribed = new Set([...handlerSources.matchAll(/\.on\(\s*"([a-z_]+)(?:\.[a-z_]+)?"/g)].map((m) => m[1]!));

  it("names and describes the App", () => {
    expect(app.name).toBe("flux-image-bot");
    expect(typeof app.description).toBe("string");
    expect(app.url).toMatch(/^https:\/\//);
  });

  it("asks for exactly the permissions the bot uses", () => {
    expect(app.default_permissions).toEqual({ contents: "write", pull_requests: "write", issues: "write", metadata: "read" });
  });

  it("subscribes to every event the handlers listen to (installation events are sent to every App)", () => {
    expect(subscribed.size).toBeGreaterThan(3);
    const implicit = new Set(["installation", "installation_repositories"]);
    for (const e of subscribed) expect([e, implicit.has(e) || (app.default_events as string[]).includes(e)]).toEqual([e, true]);
    expect([...(app.default_events as string[])].sort()).toEqual(["issue_comment", "issues", "pull_request", "push"]);
  });
});
