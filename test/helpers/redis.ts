/**
 * A Redis for tests: REDIS_URL when set, else 127.0.0.1:6379 when it answers
 * PING, else a `redis-server` child on a random port (installed with apt-get
 * when missing), stopped by PID.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "./registry-server.js";

export interface TestRedis {
  url: string;
  /** A new client; the caller quits it. */
  client(): Redis;
  stop(): Promise<void>;
}

/** true when a Redis answers PING at `url` (no retries, short timeout) */
export async function ping(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  r.on("error", () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

function ensureRedisServer(): void {
  if (spawnSync("sh", ["-c", "command -v redis-server"], { stdio: "ignore" }).status === 0) return;
  const install = (): boolean => spawnSync("apt-get", ["install", "-y", "redis-server"], { stdio: "ignore" }).status === 0;
  if (!install()) {
    spawnSync("apt-get", ["update"], { stdio: "ignore" });
    if (!install()) throw new Error("redis-server is missing and apt-get install -y redis-server failed");
  }
}

export async function ensureRedis(): Promise<TestRedis> {
  const make = (url: string, stop: () => Promise<void>): TestRedis => ({ url, client: () => new Redis(url, { maxRetriesPerRequest: 1 }), stop });
  if (process.env.REDIS_URL) return make(process.env.REDIS_URL, async () => undefined);
  if (await ping("redis://127.0.0.1:6379")) return make("redis://127.0.0.1:6379", async () => undefined);
  ensureRedisServer();
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], {
    stdio: "ignore",
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await ping(url))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error("redis-server did not start");
    await new Promise((r) => setTimeout(r, 50));
  }
  return make(url, async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      try {
        process.kill(child.pid, "SIGTERM");
      } catch {
        /* gone */
      }
      await exited;
    }
  });
}
