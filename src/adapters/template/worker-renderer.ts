/**
 * The server's TemplateRenderer: commit-message templates run in worker
 * threads (node:worker_threads) with a heap limit (resourceLimits) and a
 * wall-clock deadline. A render that overruns either is terminated with its
 * thread and answers `template.budget-exceeded`; the event loop the other jobs
 * share never waits on a template. At most `maxWorkers` renders run at once;
 * idle threads are kept warm for a while, then stopped. A template over
 * budget is not run again for `retryAfterMs` (unless its text changes), so a
 * hostile tenant costs the render threads one deadline per template, not one
 * per run.
 */
import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
import { AppError } from "../../core/errors.js";
import { LruCache } from "../../core/lru-cache.js";
import { budgetExceeded, type CommitTemplateData, type RenderOutcome } from "../../core/template/index.js";
import type { TemplateRenderer } from "../../app/ports/index.js";

export interface WorkerRendererOptions {
  /** Wall-clock time one render may take (TEMPLATE_TIMEOUT_MS). */
  timeoutMs: number;
  /** Heap of a render thread, in MB (TEMPLATE_MAX_MEMORY_MB). */
  maxMemoryMb: number;
  /** Threads rendering at once. Default 2. */
  maxWorkers?: number;
  /** How long a thread may take to start. Default 30 s. */
  startTimeoutMs?: number;
  /** How long an idle thread is kept. Default 60 s. */
  idleMs?: number;
  /** How long a template that was stopped is answered from memory. Default 1 h. */
  retryAfterMs?: number;
  now?: () => number;
}

interface Idle {
  worker: Worker;
  timer: NodeJS.Timeout;
}

let nextId = 0;

export class WorkerTemplateRenderer implements TemplateRenderer {
  private readonly idle: Idle[] = [];
  private readonly waiters: Array<() => void> = [];
  private active = 0;
  private closed = false;
  /** Templates (by hash) that were stopped, with when they may run again. */
  private readonly stopped = new LruCache<{ until: number; outcome: RenderOutcome }>(1000);

  constructor(private readonly opts: WorkerRendererOptions) {}

  async render(template: string | undefined, data: CommitTemplateData, now: Date): Promise<RenderOutcome> {
    const clock = this.opts.now ?? Date.now;
    const key = createHash("sha256")
      .update(template ?? "")
      .digest("hex");
    const known = this.stopped.get(key);
    if (known && known.until > clock()) return known.outcome;
    const outcome = await this.renderOnThread(template, data, now);
    // a step-budget overrun can take up to the deadline as well, so it is remembered like one
    if (!outcome.ok && outcome.code === "template.budget-exceeded") {
      this.stopped.set(key, { until: clock() + (this.opts.retryAfterMs ?? 3_600_000), outcome });
    }
    return outcome;
  }

  private async renderOnThread(template: string | undefined, data: CommitTemplateData, now: Date): Promise<RenderOutcome> {
    await this.acquire();
    let worker: Worker | undefined;
    try {
      worker = this.takeIdle() ?? (await this.spawn());
      const { outcome, reusable } = await this.run(worker, template, data, now);
      if (reusable && !this.closed) {
        this.keep(worker);
        worker = undefined;
      }
      return outcome;
    } finally {
      if (worker) void worker.terminate();
      this.release();
    }
  }

  /** Stops every thread (on shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.idle.splice(0).map((i) => {
        clearTimeout(i.timer);
        return i.worker.terminate();
      }),
    );
  }

  private run(worker: Worker, template: string | undefined, data: CommitTemplateData, now: Date): Promise<{ outcome: RenderOutcome; reusable: boolean }> {
    const id = ++nextId;
    const { timeoutMs, maxMemoryMb } = this.opts;
    return new Promise((resolve) => {
      const done = (outcome: RenderOutcome, reusable: boolean): void => {
        clearTimeout(timer);
        worker.off("message", onMessage).off("error", onError).off("exit", onExit);
        resolve({ outcome, reusable });
      };
      const onMessage = (m: { id?: number; outcome?: RenderOutcome }): void => {
        if (m.id === id && m.outcome) done(m.outcome, true);
      };
      const onError = (e: Error & { code?: string }): void =>
        done(
          e.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? budgetExceeded(`it needed more than ${maxMemoryMb} MB of memory`)
            : budgetExceeded(`the renderer stopped: ${e.message}`),
          false,
        );
      const onExit = (): void => done(budgetExceeded("the renderer stopped"), false);
      const timer = setTimeout(() => done(budgetExceeded(`it did not finish within ${timeoutMs} ms`), false), timeoutMs);
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
      worker.ref();
      worker.postMessage({ id, template, data, now: now.toISOString() });
    });
  }

  private spawn(): Promise<Worker> {
    const { maxMemoryMb } = this.opts;
    const resourceLimits = { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: Math.max(4, Math.floor(maxMemoryMb / 8)) };
    const entry = new URL(`./render-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);
    // From source (tests), the thread needs tsx to load TypeScript; the built app runs the .js file.
    const worker = entry.pathname.endsWith(".ts")
      ? new Worker(`import("tsx/esm/api").then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true, resourceLimits })
      : new Worker(entry, { resourceLimits });
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        void worker.terminate();
        reject(
          new AppError(
            "template.renderer-unavailable",
            `template.renderer-unavailable: the commit-message renderer did not start (${why}); the run will be retried`,
            { retryable: true },
          ),
        );
      };
      const timer = setTimeout(() => fail("timeout"), this.opts.startTimeoutMs ?? 30_000);
      worker.once("message", (m: { ready?: boolean }) => {
        clearTimeout(timer);
        worker.removeAllListeners("error");
        worker.removeAllListeners("exit");
        // a thread that fails while idle must not take the process down, nor be handed a render
        worker.on("error", () => undefined);
        worker.once("exit", () => this.forget(worker));
        if (m.ready) resolve(worker);
        else fail("unexpected message");
      });
      worker.once("error", (e) => fail(e.message));
      worker.once("exit", () => fail("exited"));
    });
  }

  private takeIdle(): Worker | undefined {
    const i = this.idle.pop();
    if (!i) return undefined;
    clearTimeout(i.timer);
    return i.worker;
  }

  private keep(worker: Worker): void {
    worker.unref();
    const timer = setTimeout(() => {
      this.forget(worker);
      void worker.terminate();
    }, this.opts.idleMs ?? 60_000);
    timer.unref();
    this.idle.push({ worker, timer });
  }

  private forget(worker: Worker): void {
    const at = this.idle.findIndex((i) => i.worker === worker);
    if (at >= 0) clearTimeout(this.idle.splice(at, 1)[0]!.timer);
  }

  private acquire(): Promise<void> {
    if (this.active < (this.opts.maxWorkers ?? 2)) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((r) => this.waiters.push(r));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}
