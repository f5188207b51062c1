/**
 * Headless Chromium for browser checks, without playwright: Debian's
 * `chromium` (installed with apt-get when missing) run as a child process
 * with `--dump-dom` / `--screenshot`, a fresh profile each time, no network
 * services of its own, killed by PID when it overruns.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

function which(cmd: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

function findChromium(): string | undefined {
  if (process.env.CHROMIUM_BIN) return process.env.CHROMIUM_BIN;
  for (const c of CANDIDATES) {
    const p = which(c);
    if (p) return p;
  }
  return undefined;
}

/** The Chromium binary, installed with apt-get when missing; `{ skip }` says why when that is impossible. */
export function ensureChromium(): { bin: string } | { skip: string } {
  const found = findChromium();
  if (found) return { bin: found };
  if (!which("apt-get")) return { skip: "chromium is not installed and apt-get is not available to install it" };
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
      stdio: "ignore",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }).status === 0;
  if (!install()) {
    spawnSync("apt-get", ["update"], { stdio: "ignore" });
    if (!install()) return { skip: "chromium is not installed and `apt-get install -y chromium` failed (not root, or no package source)" };
  }
  const bin = findChromium();
  return bin ? { bin } : { skip: "apt-get installed chromium but no chromium binary is on PATH" };
}

export interface RenderOptions {
  /** virtual time the page gets to run its scripts and fetches; default 20 s (Bull Board needs more than 10) */
  budgetMs?: number;
  windowSize?: [number, number];
  /** wall-clock limit for the browser process; default 25 s */
  timeoutMs?: number;
}

function flags(profile: string, o: RenderOptions): string[] {
  const [w, h] = o.windowSize ?? [1280, 900];
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    `--user-data-dir=${profile}`,
    `--window-size=${w},${h}`,
    `--virtual-time-budget=${o.budgetMs ?? 20_000}`,
    // hermetic: only 127.0.0.1 resolves (Bull Board's page asks Google Fonts)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
  ];
}

function run(bin: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      if (child.pid) {
        try {
          process.kill(child.pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }
      reject(new Error(`chromium did not finish within ${timeoutMs} ms\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

/** The DOM after the page's scripts ran (`--dump-dom`). */
export async function dumpDom(bin: string, url: string, o: RenderOptions = {}): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), "fib-chromium-"));
  try {
    const r = await run(bin, [...flags(profile, o), "--dump-dom", url], o.timeoutMs ?? 25_000);
    if (r.code !== 0) throw new Error(`chromium exited with ${r.code}\n${r.stderr.slice(-2000)}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** A PNG screenshot of the page after its scripts ran (`--screenshot`). */
export async function screenshot(bin: string, url: string, file: string, o: RenderOptions = {}): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), "fib-chromium-"));
  try {
    const r = await run(bin, [...flags(profile, o), `--screenshot=${file}`, url], o.timeoutMs ?? 25_000);
    if (r.code !== 0) throw new Error(`chromium exited with ${r.code}\n${r.stderr.slice(-2000)}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
