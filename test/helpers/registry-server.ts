/**
 * Starts a real registry (Debian's `docker-registry`, i.e. distribution v2)
 * on 127.0.0.1 with htpasswd auth and a temporary storage directory, for
 * integration tests. Installs the packages with apt-get when missing (CI).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

function aptInstall(pkgs: string[]): boolean {
  const install = (): boolean =>
    spawnSync("apt-get", ["install", "-y", ...pkgs], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;
  if (install()) return true;
  spawnSync("apt-get", ["update"], { stdio: "ignore" });
  return install();
}

/** Why the registry cannot run here, or null when it can. */
export function ensureDockerRegistry(): string | null {
  if (has("docker-registry") && has("htpasswd")) return null;
  if (process.getuid?.() !== 0) return "docker-registry/htpasswd are missing and apt-get needs root";
  if (!aptInstall(["docker-registry", "apache2-utils"])) return "apt-get install -y docker-registry apache2-utils failed";
  return has("docker-registry") && has("htpasswd") ? null : "docker-registry still not found after apt-get";
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface PushedImage {
  tag: string;
  digest: string;
}

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  port: number;
  username: string;
  password: string;
  push(repository: string, tags: string[]): Promise<PushedImage[]>;
  stop(): Promise<void>;
}

const sha256 = (b: Buffer | string): string => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** `extraUsers`: more htpasswd users (user name, password), e.g. the users cloud registry tokens log in as. */
export async function startRegistry(opts: { username?: string; password?: string; extraUsers?: Array<[string, string]> } = {}): Promise<TestRegistry> {
  const username = opts.username ?? "tester";
  const password = opts.password ?? "s3cret-pass";
  const dir = mkdtempSync(join(tmpdir(), "fib-registry-"));
  const port = await freePort();
  const users: Array<[string, string]> = [[username, password], ...(opts.extraUsers ?? [])];
  // -C 4: the lowest bcrypt cost, so long token passwords do not slow every request
  const htpasswd = users.map(([u, p]) => execFileSync("htpasswd", ["-Bbn", "-C", "4", u, p], { encoding: "utf8" }).trim()).join("\n") + "\n";
  writeFileSync(join(dir, "htpasswd"), htpasswd);
  writeFileSync(
    join(dir, "config.yml"),
    [
      "version: 0.1",
      "log:",
      "  level: error",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${join(dir, "data")}`,
      "http:",
      `  addr: 127.0.0.1:${port}`,
      "auth:",
      "  htpasswd:",
      "    realm: test-realm",
      `    path: ${join(dir, "htpasswd")}`,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn("docker-registry", ["serve", join(dir, "config.yml")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    if (stderr.length < 10_000) stderr += c.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
    try {
      const r = await fetch(`${base}/v2/`);
      if (r.status === 401 || r.status === 200) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`docker-registry did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }

  async function putBlob(repo: string, data: Buffer): Promise<string> {
    const digest = sha256(data);
    const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: "POST", headers: { authorization: auth } });
    if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
    const loc = new URL(start.headers.get("location")!, base);
    loc.searchParams.set("digest", digest);
    const put = await fetch(loc, { method: "PUT", headers: { authorization: auth, "content-type": "application/octet-stream" }, body: data });
    if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
    return digest;
  }

  return {
    host: `127.0.0.1:${port}`,
    port,
    username,
    password,
    async push(repo, tags) {
      const layer = Buffer.from(`layer of ${repo}`);
      const layerDigest = await putBlob(repo, layer);
      const out: PushedImage[] = [];
      for (const tag of tags) {
        const config = Buffer.from(
          JSON.stringify({ architecture: "amd64", os: "linux", config: { Labels: { tag } }, rootfs: { type: "layers", diff_ids: [layerDigest] } }),
        );
        const configDigest = await putBlob(repo, config);
        const manifest = JSON.stringify({
          schemaVersion: 2,
          mediaType: "application/vnd.docker.distribution.manifest.v2+json",
          config: { mediaType: "application/vnd.docker.container.image.v1+json", size: config.length, digest: configDigest },
          layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: layer.length, digest: layerDigest }],
        });
        const r = await fetch(`${base}/v2/${repo}/manifests/${tag}`, {
          method: "PUT",
          headers: { authorization: auth, "content-type": "application/vnd.docker.distribution.manifest.v2+json" },
          body: manifest,
        });
        if (r.status !== 201) throw new Error(`manifest put ${tag}: ${r.status} ${await r.text()}`);
        out.push({ tag, digest: r.headers.get("docker-content-digest") ?? sha256(manifest) });
      }
      return out;
    },
    async stop() {
      const running = (): boolean => child.exitCode === null && child.signalCode === null;
      const kill = (sig: NodeJS.Signals): void => {
        try {
          if (child.pid) process.kill(child.pid, sig);
        } catch {
          /* already gone */
        }
      };
      if (running()) {
        const exited = new Promise<void>((r) => child.once("exit", () => r()));
        kill("SIGTERM");
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
        clearTimeout(timer);
        if (running()) kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
