/**
 * BullMQ workers: dispatch by job name, one log line per job, and the one
 * place where errors are sorted into "try again" (rethrown, BullMQ backs
 * off), "later" (rate limits: the job is delayed) and "never" (terminal:
 * UnrecoverableError with the code kept at the start of the message).
 */
import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from "bullmq";
import { JOB_NAMES } from "./bullmq-queue.js";
import type { JobDataByName, JobName, Logger } from "../../app/ports/index.js";

export type Processors = { [N in JobName]: (data: JobDataByName[N], job: { id?: string; attemptsMade: number }) => Promise<unknown> };

export interface WorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  logger: Logger;
  /** called with every finished job, for metrics */
  onJobDone?: (e: { queue: JobName; outcome: "completed" | "failed" | "retry" | "delayed"; durationMs: number }) => void;
  lockDurationMs?: number;
  /** how often to look for jobs whose worker died (BullMQ stalledInterval); default 30 s */
  stalledIntervalMs?: number;
  /** upper bound on a rate-limit delay (default 1 h); tests lower it */
  maxDelayMs?: number;
}

interface ErrorLike {
  code?: string;
  retryable?: boolean;
  /** ms epoch until which a rate limit holds */
  resetAt?: number;
  retryAfterMs?: number;
  message: string;
}

function classify(e: unknown, maxDelayMs = 3600_000): { kind: "retry" | "terminal" | "delay"; delayMs?: number; code: string; message: string } {
  const err = (e ?? {}) as ErrorLike;
  const code = typeof err.code === "string" ? err.code : "internal";
  const message = err.message ?? String(e);
  if (code.endsWith("rate-limited")) {
    const until = err.resetAt ? err.resetAt - Date.now() : (err.retryAfterMs ?? 60_000);
    return { kind: "delay", delayMs: Math.min(Math.max(until, 1000), maxDelayMs), code, message };
  }
  if (err.retryable === false && code !== "internal") return { kind: "terminal", code, message };
  return { kind: "retry", code, message };
}

/** Resolves true when `p` settles within `ms`, false otherwise (p keeps running). */
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), Math.max(0, ms))));
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunningWorkers {
  workers: Worker[];
  /**
   * Stops taking jobs and waits for the running ones. With `deadline` (ms epoch) it waits at most until
   * shortly before it; jobs still running then are handed back (moved from active to waiting, so another
   * worker takes them at once instead of after their lock expires) and it returns, also when Redis is gone
   * (then they go back when their lock expires).
   */
  close(deadline?: number): Promise<void>;
}

export function startWorkers(processors: Processors, opts: WorkerOptions): RunningWorkers {
  const running = new Map<string, { job: Job; token?: string }>();
  const workers = JOB_NAMES.map((name) => {
    const w = new Worker(
      name,
      async (job: Job, token?: string) => {
        const started = Date.now();
        const data = job.data as { owner?: string; repo?: string; namespace?: string; name?: string; installationId?: number };
        const meta = {
          job: name,
          jobId: job.id,
          repo: data.owner ? `${data.owner}/${data.repo}` : undefined,
          object: data.namespace ? `${data.namespace}/${data.name}` : undefined,
          attempt: job.attemptsMade + 1,
        };
        const entry = `${name} ${job.id}`;
        running.set(entry, { job, token });
        try {
          const result = await (processors[name] as (d: unknown, j: { id?: string; attemptsMade: number }) => Promise<unknown>)(job.data, {
            id: job.id,
            attemptsMade: job.attemptsMade,
          });
          const durationMs = Date.now() - started;
          opts.logger.info({ ...meta, durationMs, outcome: "completed" }, "job done");
          opts.onJobDone?.({ queue: name, outcome: "completed", durationMs });
          return result;
        } catch (e) {
          const durationMs = Date.now() - started;
          const c = classify(e, opts.maxDelayMs);
          if (c.kind === "delay" && token) {
            opts.logger.warn({ ...meta, durationMs, outcome: "delayed", code: c.code, delayMs: c.delayMs }, "job delayed by a rate limit");
            opts.onJobDone?.({ queue: name, outcome: "delayed", durationMs });
            await job.moveToDelayed(Date.now() + (c.delayMs ?? 60_000), token);
            throw new DelayedError();
          }
          if (c.kind === "terminal") {
            opts.logger.warn({ ...meta, durationMs, outcome: "failed", code: c.code, error: c.message }, "job failed for good");
            opts.onJobDone?.({ queue: name, outcome: "failed", durationMs });
            // AppError messages already start with their code
            throw new UnrecoverableError(c.message.startsWith(`${c.code}:`) ? c.message : `${c.code}: ${c.message}`);
          }
          opts.logger.warn({ ...meta, durationMs, outcome: "retry", code: c.code, error: c.message }, "job failed; it will be retried");
          opts.onJobDone?.({ queue: name, outcome: "retry", durationMs });
          throw e instanceof Error ? e : new Error(`${c.code}: ${c.message}`);
        } finally {
          running.delete(entry);
        }
      },
      {
        connection: opts.connection,
        prefix: opts.prefix,
        concurrency: opts.concurrency,
        lockDuration: opts.lockDurationMs ?? 60_000,
        ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
        maxStalledCount: 3,
        autorun: true,
      },
    );
    w.on("error", (err) => opts.logger.error({ job: name, error: err.message }, "worker error"));
    return w;
  });
  return {
    workers,
    async close(deadline) {
      const graceful = Promise.all(workers.map((w) => w.close()));
      if (deadline === undefined) {
        await graceful;
        return;
      }
      // keep a quarter of the time (at most 5 s) to hand jobs back
      const left = deadline - Date.now();
      const reserve = Math.min(5000, Math.max(0, left) / 4);
      if (await within(graceful, left - reserve)) return;
      const jobs = [...running.values()];
      let handedBack = 0;
      await within(
        Promise.all(
          jobs.map(async ({ job, token }) => {
            if (!token) return;
            await job.moveToWait(token);
            handedBack++;
          }),
        ),
        deadline - Date.now(),
      );
      opts.logger.warn(
        { running: jobs.length, handedBack, jobs: jobs.map((j) => j.job.id).slice(0, 20) },
        "shutdown deadline: running jobs handed back (the rest go back when their lock expires)",
      );
    },
  };
}
