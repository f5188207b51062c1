/**
 * One registry operation (a tag listing or a digest lookup): authentication
 * (challenge → Basic or bearer token, cached), retries with backoff and
 * Retry-After, the per-host concurrency limit, per-request and overall
 * deadlines, and mapping of HTTP statuses to typed errors.
 */
import type { LruCache } from "../../core/lru-cache.js";
import { basicHeader, fetchToken, parseWwwAuthenticate, type Token } from "./auth.js";
import { credentialIdentity } from "./credentials.js";
import type { RegistryCredentials } from "../../app/ports/index.js";
import type { Endpoint } from "./endpoint.js";
import {
  RegistryAuthError,
  RegistryError,
  RegistryInvalidResponseError,
  RegistryNotFoundError,
  RegistryRateLimitedError,
  RegistryTimeoutError,
  RegistryUnavailableError,
} from "./errors.js";
import { TransportError, type HttpResponse, type HttpTransport } from "./http.js";
import { backoffDelay, parseRetryAfter, type HostLimiter } from "./retry.js";
import type { Logger } from "../../app/ports/index.js";

/** Bounds on what a registry's challenge may make us remember. */
const MAX_REALM_CHARS = 2048;
const MAX_SCOPE_CHARS = 1024;
const PROCESS_KEY = "*";

export type AuthHint = { kind: "basic" } | { kind: "bearer"; realm: string; service?: string; scope: string };

/** State shared by every operation of one client: caches and limits. */
export interface SessionShared {
  transport: HttpTransport;
  limiter: HostLimiter;
  /** Requests in flight across every host of the process (REGISTRY_MAX_CONCURRENCY). */
  processLimiter: HostLimiter;
  /** How each registry repository wants us to authenticate; bounded by bytes. */
  hints: LruCache<AuthHint>;
  /** Bearer tokens by realm, service, scope and credential identity; bounded by bytes, expired first. */
  tokens: LruCache<Token>;
  /** Token requests in flight, so concurrent operations share one. */
  pendingTokens: Map<string, Promise<Token>>;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  retries: number;
  requestTimeoutMs: number;
  /** A Retry-After longer than this is not waited for: the error goes to the caller. */
  maxRetryAfterMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  logger?: Logger;
  /** Hosts besides the registry's own (and its parent domain's) where a token realm may receive Basic credentials or identity tokens. */
  credentialHosts: readonly string[];
}

export interface SendOptions {
  method: "GET" | "HEAD";
  accept: string;
  maxBodyBytes: number;
}

export class RegistrySession {
  requests = 0;
  private readonly credId: string;
  private readonly subject: string;

  constructor(
    private readonly shared: SessionShared,
    private readonly ep: Endpoint,
    private readonly creds: RegistryCredentials | undefined,
    private readonly deadline: number,
    private readonly signal: AbortSignal,
  ) {
    this.credId = credentialIdentity(creds);
    this.subject = ep.name.canonical;
  }

  /** Sends with retries; resolves with a 2xx response or throws a RegistryError. */
  async send(url: URL, opts: SendOptions): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.sendAuthed(url, opts);
      } catch (err) {
        const e = this.toRegistryError(err);
        if (!e.retryable || attempt >= this.shared.retries || (e instanceof RegistryTimeoutError && this.expired())) throw e;
        const retryAfter = (e as { retryAfterMs?: number }).retryAfterMs;
        const wait = retryAfter ?? backoffDelay(attempt, this.shared.backoffBaseMs, this.shared.backoffCapMs);
        if (wait > this.shared.maxRetryAfterMs || this.shared.now() + wait >= this.deadline) throw e;
        this.shared.logger?.debug({ registry: url.host, code: e.code, attempt: attempt + 1, waitMs: wait }, "registry request failed, retrying");
        await this.shared.sleep(wait);
        if (this.signal.aborted) throw this.deadlineError();
      }
    }
  }

  private expired(): boolean {
    return this.shared.now() >= this.deadline || this.signal.aborted;
  }

  private deadlineError(): RegistryTimeoutError {
    return new RegistryTimeoutError(`scanning ${this.subject} did not finish within the timeout; raise spec.timeout or check that the registry is reachable`, {
      subject: this.subject,
      retryable: true,
    });
  }

  private toRegistryError(err: unknown): RegistryError {
    if (err instanceof RegistryError) return err;
    if (err instanceof TransportError) {
      const host = new URL(this.ep.origin).host;
      if (err.kind === "aborted") return this.deadlineError();
      if (err.kind === "timeout") {
        return new RegistryTimeoutError(`${err.message} for ${this.subject}; the registry is slow or hanging, retry later or raise spec.timeout`, {
          subject: this.subject,
        });
      }
      if (err.kind === "truncated") {
        return new RegistryInvalidResponseError(`${err.message} while reading ${this.subject}`, { subject: this.subject, retryable: true });
      }
      return new RegistryUnavailableError(`${err.message}: registry ${host} is unreachable for ${this.subject}; check the host name and network`, {
        subject: this.subject,
      });
    }
    return new RegistryUnavailableError(`unexpected failure talking to the registry for ${this.subject}`, { subject: this.subject, cause: err });
  }

  private hintKey(): string {
    return `${this.ep.origin}|${this.ep.name.repository}|${this.credId}`;
  }

  private sameOrigin(url: URL): boolean {
    return url.origin === this.ep.origin;
  }

  private async authorization(url: URL, forceRefresh: boolean): Promise<string | undefined> {
    if (!this.sameOrigin(url)) return undefined;
    const hint = this.shared.hints.get(this.hintKey());
    if (!hint) return undefined;
    if (hint.kind === "basic") return this.creds ? basicHeader(this.creds) : undefined;
    const token = await this.token(hint, forceRefresh);
    return `Bearer ${token.token}`;
  }

  private async token(hint: Extract<AuthHint, { kind: "bearer" }>, forceRefresh: boolean): Promise<Token> {
    const key = `${hint.realm}|${hint.service ?? ""}|${hint.scope}|${this.credId}`;
    // Only the scope the bot asks for is cached: a registry that names a new scope on every page gets a
    // new token each time, but cannot grow the process-wide cache.
    const cacheable = hint.scope === this.askedScope();
    const cached = cacheable && !forceRefresh ? this.shared.tokens.get(key) : undefined;
    if (cached) return cached;
    const inflight = this.shared.pendingTokens.get(key);
    if (inflight) return inflight;
    const realm = this.realmUrl(hint.realm);
    const pending = (async (): Promise<Token> => {
      this.requests++;
      return fetchToken({
        transport: this.shared.transport,
        realm,
        service: hint.service,
        scope: hint.scope,
        creds: this.creds,
        credentialHosts: this.shared.credentialHosts,
        registryHost: new URL(this.ep.origin).hostname,
        allowHttp: this.ep.allowHttp,
        timeoutMs: this.requestTimeout(),
        signal: this.signal,
        now: this.shared.now(),
        subject: this.subject,
      });
    })();
    this.shared.pendingTokens.set(key, pending);
    try {
      const token = await pending;
      if (cacheable) this.shared.tokens.set(key, token);
      return token;
    } finally {
      this.shared.pendingTokens.delete(key);
    }
  }

  /** The scope the distribution token spec asks a client to request for reading this repository. */
  private askedScope(): string {
    return `repository:${this.ep.name.repository}:pull`;
  }

  private realmUrl(realm: string): URL {
    try {
      if (realm.length <= MAX_REALM_CHARS) return new URL(realm);
    } catch {
      // falls through to the error below
    }
    throw new RegistryInvalidResponseError(`the registry for ${this.subject} sent an invalid token realm`, { subject: this.subject });
  }

  private requestTimeout(): number {
    const left = this.deadline - this.shared.now();
    if (left <= 0 || this.signal.aborted) throw this.deadlineError();
    return Math.max(1, Math.min(this.shared.requestTimeoutMs, left));
  }

  private async exchange(url: URL, opts: SendOptions, authorization: string | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: opts.accept };
    if (authorization) headers.authorization = authorization;
    // A slot on the host, then one of the process's: memory for pages in flight is bounded per process,
    // however many host names repositories invent. Waiting ends at the scan's deadline.
    const send = async (): Promise<HttpResponse> => {
      this.requests++;
      return this.shared.transport.request({
        method: opts.method,
        url,
        headers,
        maxBodyBytes: opts.maxBodyBytes,
        timeoutMs: this.requestTimeout(),
        signal: this.signal,
        allowHttp: this.ep.allowHttp,
      });
    };
    const late = (): Error => this.deadlineError();
    return this.shared.limiter.run(url.host, () => this.shared.processLimiter.run(PROCESS_KEY, send, this.signal, late), this.signal, late);
  }

  private async sendAuthed(url: URL, opts: SendOptions): Promise<HttpResponse> {
    let res = await this.exchange(url, opts, await this.authorization(url, false));
    if (res.status === 401 && this.sameOrigin(url)) {
      const challenged = this.learnChallenge(res);
      if (challenged) res = await this.exchange(url, opts, await this.authorization(url, true));
    }
    return this.checkStatus(res, url);
  }

  /** Records how the registry wants us to authenticate. False when retrying cannot help. */
  private learnChallenge(res: HttpResponse): boolean {
    const header = res.headers["www-authenticate"];
    const challenges = parseWwwAuthenticate(Array.isArray(header) ? header.join(", ") : (header ?? ""));
    const bearer = challenges.find((c) => c.scheme === "bearer" && c.params.realm);
    if (bearer) {
      // An overlong scope is the registry's choice, not a repository's: ask for the standard one instead.
      const offered = bearer.params.scope ?? "";
      const scope = offered && offered.length <= MAX_SCOPE_CHARS ? offered : this.askedScope();
      this.shared.hints.set(this.hintKey(), { kind: "bearer", realm: bearer.params.realm!, service: bearer.params.service, scope });
      return true;
    }
    if (challenges.some((c) => c.scheme === "basic") && this.creds && (this.creds.username || this.creds.password)) {
      const had = this.shared.hints.get(this.hintKey())?.kind === "basic";
      this.shared.hints.set(this.hintKey(), { kind: "basic" });
      return !had;
    }
    return false;
  }

  private checkStatus(res: HttpResponse, url: URL): HttpResponse {
    const s = res.status;
    if (s >= 200 && s < 300) return res;
    const host = url.host;
    const what = this.subject;
    if (s === 401) {
      return fail(
        new RegistryAuthError(
          this.creds
            ? `registry ${host} rejected the configured credentials for ${what} (HTTP 401); check the username and password/token`
            : `registry ${host} requires authentication for ${what} (HTTP 401); the image is private or does not exist: configure credentials (spec.secretRef)`,
          { subject: what, status: s },
        ),
      );
    }
    if (s === 403) {
      return fail(
        new RegistryAuthError(`registry ${host} denied access to ${what} (HTTP 403); the credentials lack pull permission on this repository`, {
          subject: what,
          status: s,
        }),
      );
    }
    if (s === 404) {
      return fail(
        new RegistryNotFoundError(`repository ${what} was not found on ${host} (HTTP 404); check spec.image for typos`, { subject: what, status: s }),
      );
    }
    const retryAfterMs = parseRetryAfter(res.headers["retry-after"], this.shared.now());
    if (s === 429) {
      return fail(
        new RegistryRateLimitedError(`registry ${host} is rate limiting requests for ${what} (HTTP 429); lower the scan frequency or authenticate`, {
          subject: what,
          status: s,
          retryAfterMs,
        }),
      );
    }
    if (s >= 500) {
      const err = new RegistryUnavailableError(`registry ${host} is unavailable (HTTP ${s}) for ${what}; retry later`, { subject: what, status: s });
      return fail(retryAfterMs !== undefined ? Object.assign(err, { retryAfterMs }) : err);
    }
    return fail(new RegistryInvalidResponseError(`registry ${host} answered HTTP ${s} for ${what}`, { subject: what, status: s }));
  }
}

function fail(e: Error): never {
  throw e;
}
