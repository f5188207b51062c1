/**
 * Error model shared by every layer.
 *
 * Core functions never throw for bad user data: they return results together
 * with Problems. AppError is for the edges (adapters, jobs) where something
 * must be thrown; its `code` is stable and starts the message so that it
 * survives serialisation through Redis.
 */

/** Every problem once, in first-seen order: several automations report the same policy problem. */
export function uniqueProblems(list: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const k = `${p.code}|${p.file ?? ""}|${p.line ?? ""}|${p.object ?? ""}|${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A user-facing finding: what is wrong, where, and what to do about it. */
export interface Problem {
  /** Stable, groupable code such as `manifest.invalid` or `policy.invalid-range`. */
  code: string;
  /** Repository-relative file path, '/'-separated, when the problem is tied to a file. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** The object concerned, as `Kind/namespace/name` (or an image reference). */
  object?: string;
  /** Fixed text saying what is wrong and what to fix. */
  message: string;
  severity?: "error" | "warning";
}

export interface AppErrorOptions {
  subject?: string;
  retryable?: boolean;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly subject?: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, opts: AppErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.subject = opts.subject;
    this.retryable = opts.retryable ?? false;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, subject: this.subject, message: this.message, retryable: this.retryable };
  }
}

export function problem(code: string, message: string, where: Omit<Problem, "code" | "message"> = {}): Problem {
  return { code, message, severity: "error", ...where };
}

/** Renders a problem on one line, for CLI output and logs. */
export function formatProblem(p: Problem): string {
  const loc = p.file ? `${p.file}${p.line ? `:${p.line}` : ""}` : "";
  const parts = [loc, p.object].filter(Boolean).join(" ");
  return `${p.severity === "warning" ? "warning" : "error"} [${p.code}]${parts ? ` ${parts}` : ""}: ${p.message}`;
}
