/** Committing in a local git checkout for `apply --commit`. */
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function isGitCheckout(dir: string): Promise<boolean> {
  try {
    const { stdout } = await run("git", ["-C", dir, "rev-parse", "--is-inside-work-tree"]);
    return stdout.trim() === "true";
  } catch {
    return false;
  }
}

export async function gitRoot(dir: string): Promise<string> {
  const { stdout } = await run("git", ["-C", dir, "rev-parse", "--show-toplevel"]);
  return stdout.trim();
}

export async function currentBranch(dir: string): Promise<string | null> {
  try {
    const { stdout } = await run("git", ["-C", dir, "symbolic-ref", "--short", "HEAD"]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/** Commits exactly `paths` (relative to dir) as the automation's author; returns the new commit sha. */
export async function commitFiles(dir: string, paths: string[], message: string, author: { name: string; email: string }): Promise<string> {
  await run("git", ["-C", dir, "add", "--", ...paths]);
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
  // --cleanup=verbatim keeps the rendered message byte for byte, as Flux does
  await runWithInput("git", ["-C", dir, "commit", "--no-verify", "--cleanup=verbatim", "--allow-empty-message", "-F", "-", "--", ...paths], message, env);
  const { stdout } = await run("git", ["-C", dir, "rev-parse", "HEAD"]);
  return stdout.trim();
}

function runWithInput(cmd: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`git commit failed: ${stderr.trim() || `exit ${code}`}`))));
    child.stdin.end(input);
  });
}

/** The `origin` remote's URL, or null (not a checkout, or no such remote). */
export async function originUrl(dir: string): Promise<string | null> {
  try {
    const { stdout } = await run("git", ["-C", dir, "remote", "get-url", "origin"]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}
