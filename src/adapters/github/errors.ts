/**
 * GitHub errors as AppErrors. Octokit's RequestError never leaves this adapter:
 * `toGitHubError` reads its status, headers and message and returns one of the classes below.
 * Codes start the message so they survive serialisation through Redis.
 */
import { AppError, type AppErrorOptions } from "../../core/errors.js";

export type GitHubErrorCode = "github.permission" | "github.conflict" | "github.not-found" | "github.rate-limited" | "github.unavailable" | "github.invalid";

export class GitHubError extends AppError {
  /** HTTP status GitHub answered with; undefined for network failures. */
  readonly status?: number;
  constructor(code: GitHubErrorCode, detail: string, opts: AppErrorOptions & { status?: number } = {}) {
    super(code, `${code}: ${detail}`, opts);
    this.status = opts.status;
  }
}

export class GitHubPermissionError extends GitHubError {
  constructor(detail: string, opts: AppErrorOptions & { status?: number } = {}) {
    super("github.permission", detail, { ...opts, retryable: false });
  }
}

/** 409 or a 422 about a ref that moved: re-read and try again. */
export class GitHubConflictError extends GitHubError {
  constructor(detail: string, opts: AppErrorOptions & { status?: number } = {}) {
    super("github.conflict", detail, { ...opts, retryable: true });
  }
}

export class GitHubNotFoundError extends GitHubError {
  constructor(detail: string, opts: AppErrorOptions & { status?: number } = {}) {
    super("github.not-found", detail, { ...opts, retryable: false });
  }
}

/** Primary or secondary rate limit. `resetAt` is when to try again. */
export class GitHubRateLimitedError extends GitHubError {
  readonly resetAt: Date;
  constructor(detail: string, resetAt: Date, opts: AppErrorOptions & { status?: number } = {}) {
    super("github.rate-limited", detail, { ...opts, retryable: true });
    this.resetAt = resetAt;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), resetAt: this.resetAt.toISOString() };
  }
}

/** 5xx or no answer at all. */
export class GitHubUnavailableError extends GitHubError {
  constructor(detail: string, opts: AppErrorOptions & { status?: number } = {}) {
    super("github.unavailable", detail, { ...opts, retryable: true });
  }
}

/** 422 validation failures that are not conflicts: retrying the same request will not help. */
export class GitHubInvalidError extends GitHubError {
  constructor(detail: string, opts: AppErrorOptions & { status?: number } = {}) {
    super("github.invalid", detail, { ...opts, retryable: false });
  }
}

/** What we read from an Octokit RequestError (or anything shaped like one). */
export interface HttpFailure {
  status?: number;
  headers: Record<string, string>;
  message: string;
}

export function readHttpFailure(err: unknown): HttpFailure {
  const e = (err ?? {}) as { status?: unknown; message?: unknown; response?: { headers?: unknown; data?: unknown } };
  const status = typeof e.status === "number" ? e.status : undefined;
  const headers: Record<string, string> = {};
  const raw = e.response?.headers;
  if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (v !== undefined) headers[k.toLowerCase()] = String(v);
  }
  const data = e.response?.data as { message?: unknown; errors?: unknown } | undefined;
  let message = typeof data?.message === "string" ? data.message : typeof e.message === "string" ? e.message : "request failed";
  if (Array.isArray(data?.errors)) {
    const details = data.errors.map((x) => (typeof x === "string" ? x : (x as { message?: string })?.message)).filter(Boolean);
    if (details.length) message = `${message} (${details.join("; ")})`;
  }
  return { status, headers, message };
}

/** Matches GitHub's refusals on protected branches (REST and git push wording). */
export const PROTECTED_BRANCH_MESSAGE = /protected branch|required status check|must be made through a pull request|branch protection|review required/i;

const SECONDARY_LIMIT_MESSAGE = /secondary rate limit|abuse detection|rate limit exceeded|API rate limit/i;

/**
 * Rate limit when: 429, or 403 with `x-ratelimit-remaining: 0`, a `retry-after`, or a rate-limit message.
 * See https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#rate-limit-errors
 */
export function rateLimitResetAt(f: HttpFailure, now: Date): Date | null {
  if (f.status !== 403 && f.status !== 429) return null;
  const retryAfter = Number(f.headers["retry-after"]);
  const remaining = f.headers["x-ratelimit-remaining"];
  const reset = Number(f.headers["x-ratelimit-reset"]);
  const limited = f.status === 429 || remaining === "0" || Number.isFinite(retryAfter) || SECONDARY_LIMIT_MESSAGE.test(f.message);
  if (!limited) return null;
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return new Date(now.getTime() + retryAfter * 1000);
  if (remaining === "0" && Number.isFinite(reset) && reset > 0) return new Date(reset * 1000);
  // Secondary limits without headers: GitHub asks to wait at least a minute.
  return new Date(now.getTime() + 60_000);
}

/** Maps any error from an Octokit request to a GitHubError. `subject` names the resource, e.g. `owner/repo`. */
export function toGitHubError(err: unknown, subject: string, now: Date = new Date()): GitHubError {
  if (err instanceof GitHubError) return err;
  const f = readHttpFailure(err);
  // The cause is a plain record: Octokit's RequestError (and the request it holds) never leaves the adapter.
  const cause = { status: f.status, message: f.message, requestId: f.headers["x-github-request-id"] };
  const opts = { subject, cause, status: f.status };
  const what = `${subject}: ${f.message}`;
  const resetAt = rateLimitResetAt(f, now);
  if (resetAt) return new GitHubRateLimitedError(what, resetAt, opts);
  switch (f.status) {
    case undefined:
      return new GitHubUnavailableError(what, opts);
    case 401:
    case 403:
      return new GitHubPermissionError(what, opts);
    case 404:
    case 410:
      return new GitHubNotFoundError(what, opts);
    case 409:
      return new GitHubConflictError(what, opts);
    case 422:
      return /fast forward|reference already exists|already exists|is at .* but expected/i.test(f.message)
        ? new GitHubConflictError(what, opts)
        : new GitHubInvalidError(what, opts);
    default:
      return f.status >= 500 ? new GitHubUnavailableError(what, opts) : new GitHubInvalidError(what, opts);
  }
}
