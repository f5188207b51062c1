/**
 * A Redis of the test's own, on a random port, with an append-only file so
 * its data survives being killed and restarted on the same port (as a real
 * deployment with AOF would). Only this child is ever signalled, by PID.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./registry-server.js";
import { ping } from "./redis.js";

export interface OwnRedis {
  url: string;
  port: number;
  /** signals the server and waits for it to exit */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** starts it again on the same port and data directory */
  restart(): Promise<void>;
  /** kills it and removes its data directory */
  stop(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "fib-fault-redis-"));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    // appendfsync always: what the server acknowledged is on disk even after SIGKILL
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir, "--daemonize", "no"],
      { stdio: "ignore" },
    );
    const deadline = Date.now() + 10_000;
    while (!(await ping(url))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
      await new Promise((r) => setTimeout(r, 30));
    }
  };
  const kill = async (signal: NodeJS.Signals = "SIGTERM") => {
    const c = child;
    if (!c?.pid || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once("exit", () => r()));
    process.kill(c.pid, signal);
    await exited;
  };
  await start();
  return {
    url,
    port,
    kill,
    restart: start,
    async stop() {
      await kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
