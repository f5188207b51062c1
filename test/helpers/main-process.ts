/**
 * The real server as its own process (`node --import tsx src/main.ts`), for
 * tests that measure what only a process shows: its peak RSS (VmHWM in
 * /proc/<pid>/status), its exit after a signal, everything it logs. Only this
 * child is ever signalled, by PID.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { testPrivateKey } from "./app-harness.js";

export interface MainProcess {
  child: ChildProcess;
  pid: number;
  /** stdout and stderr so far (the first `maxLogBytes`), and how many bytes were written in all */
  logs(): { text: string; bytes: number };
  /** peak resident set size so far, in bytes */
  peakRss(): number;
  /** resolves with the exit code (or signal) once the process has exited */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** SIGKILLs it if still running */
  kill(): Promise<void>;
}

/** Environment for a main process against `redisUrl`; BOT_LOGIN is set so that start() asks GitHub nothing. */
export function mainEnv(redisUrl: string, extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: "main-process-secret",
    BOT_LOGIN: "flux-image-bot[bot]",
    REDIS_URL: redisUrl,
    HOST: "127.0.0.1",
    GITHUB_WRITE_INTERVAL_MS: "0",
    ...extra,
  };
}

export async function startMainProcess(
  env: Record<string, string>,
  args: string[],
  opts: { maxLogBytes?: number; readyTimeoutMs?: number } = {},
): Promise<MainProcess> {
  const max = opts.maxLogBytes ?? 1024 * 1024;
  let text = "";
  let bytes = 0;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const take = (b: Buffer): void => {
    bytes += b.length;
    if (text.length < max) text += b.toString("utf8").slice(0, max - text.length);
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  // start() logs "listening" once the HTTP servers are up (and "workers started" after it)
  while (!/"msg":"listening"/.test(text)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the main process did not start:\n${text.slice(0, 4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid!;
  return {
    child,
    pid,
    logs: () => ({ text, bytes }),
    peakRss() {
      const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (!m) throw new Error("no VmHWM in /proc/<pid>/status");
      return Number(m[1]) * 1024;
    },
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}
