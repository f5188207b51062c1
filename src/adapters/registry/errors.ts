/**
 * Typed registry errors. Every message starts with its code (class information
 * does not survive Redis) and says what to fix. Messages never contain
 * credentials, tokens or Authorization headers: they are built from the
 * registry host, repository and HTTP status only.
 */
import { AppError } from "../../core/errors.js";

export type RegistryErrorCode =
  | "registry.auth"
  | "registry.not-found"
  | "registry.rate-limited"
  | "registry.unavailable"
  | "registry.invalid-response"
  | "registry.forbidden-address"
  | "registry.timeout"
  | "registry.invalid-image"
  | "registry.tls";

export interface RegistryErrorOptions {
  subject?: string;
  cause?: unknown;
  retryable?: boolean;
  status?: number;
}

export class RegistryError extends AppError {
  readonly status?: number;
  constructor(code: RegistryErrorCode, message: string, retryable: boolean, opts: RegistryErrorOptions = {}) {
    super(code, `${code}: ${message}`, { subject: opts.subject, cause: opts.cause, retryable: opts.retryable ?? retryable });
    this.status = opts.status;
  }
}

/** 401/403, a failed token exchange, or credentials the registry refused. */
export class RegistryAuthError extends RegistryError {
  constructor(message: string, opts: RegistryErrorOptions = {}) {
    super("registry.auth", message, false, opts);
  }
}

export class RegistryNotFoundError extends RegistryError {
  constructor(message: string, opts: RegistryErrorOptions = {}) {
    super("registry.not-found", message, false, opts);
  }
}

export class RegistryRateLimitedError extends RegistryError {
  /** How long the registry asked us to wait, when it said so. */
  readonly retryAfterMs?: number;
  constructor(message: string, opts: RegistryErrorOptions & { retryAfterMs?: number } = {}) {
    super("registry.rate-limited", message, true, opts);
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export class RegistryUnavailableError extends RegistryError {
  constructor(message: string, opts: RegistryErrorOptions = {}) {
    super("registry.unavailable", message, true, opts);
  }
}

export class RegistryInvalidResponseError extends RegistryError {
  constructor(message: string, opts: RegistryErrorOptions = {}) {
    super("registry.invalid-response", message, false, opts);
  }
}

export class RegistryForbiddenAddressError extends RegistryError {
  constructor(message: string, opts: RegistryErrorOptions = {}) {
    super("registry.forbidden-address", message, false, opts);
  }
}

export class RegistryTimeoutError extends RegistryError {
  constructor(message: string, opts: RegistryErrorOptions = {}) {
    super("registry.timeout", message, true, opts);
  }
}

/** `spec.image` (or a tag passed for a digest lookup) is not a valid reference. */
export class RegistryInvalidImageError extends RegistryError {
  constructor(message: string, opts: RegistryErrorOptions = {}) {
    super("registry.invalid-image", message, false, opts);
  }
}

/** The registry's TLS certificate is not trusted, or it refused ours (mTLS). */
export class RegistryTlsError extends RegistryError {
  constructor(message: string, opts: RegistryErrorOptions = {}) {
    super("registry.tls", message, false, opts);
  }
}
