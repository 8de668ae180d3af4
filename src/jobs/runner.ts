import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";
import type { AppContext } from "../http/env.ts";
import type { Logger } from "../log.ts";
import { type ClaimedJob, claimJob, completeJob, enqueueJob, failJob, nextRunAt, onEnqueue, releaseLeases, retryJob } from "./jobs.ts";

export { enqueueJob };

/** Thrown by a job for a failure worth another try: a refused connection, a timeout, a 5xx. */
export class RetryableJobError extends Error {}

export type JobKind = {
  run(payload: unknown, ctx: AppContext): Promise<void>;
  /** Tries in all, the first included. */
  maxAttempts?: number;
  /** At most this many of this kind run at once (a slow webhook must not hold up push). */
  concurrency?: number;
};

const kinds = new Map<string, Required<JobKind>>();

/** Declares what a kind of job does; call it once, when the module that owns the kind loads. */
export function registerJobKind(kind: string, handler: JobKind): void {
  kinds.set(kind, { maxAttempts: 8, concurrency: 2, ...handler });
}

export type RunnerOptions = {
  /** Jobs running at once, all kinds together: they wait on the network, not on the CPU. */
  concurrency?: number;
  /** How long a claimed job is held before another claim may take it (longer than any job runs). */
  leaseMs?: number;
  /** The first retry's delay; each next one doubles, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
};

// Eight tries spread over about four minutes ride out a receiver's restart or a short outage; after
// that the failure is kept for an administrator instead of retried forever.
const DEFAULTS: Required<RunnerOptions> = { concurrency: 8, leaseMs: 60_000, backoffMs: 1_000, maxBackoffMs: 5 * 60_000 };
// setTimeout's largest delay; a job due later is looked at again then.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs jobs off the request path: wakes when a job is enqueued (or the next one falls due),
 * claims due jobs up to the concurrency bounds, and records each outcome. At-least-once: a job
 * running when the process dies runs again on the next start, so jobs carry an idempotency key
 * (their id) for whoever receives their effect.
 */
export class JobRunner {
  private readonly options: Required<RunnerOptions>;
  private readonly running = new Map<number, Promise<void>>();
  private readonly runningByKind = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private ctx: AppContext | null = null;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    options: RunnerOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Starts running jobs, handing each the server's context (which holds this runner). */
  start(ctx: AppContext): void {
    this.ctx = ctx;
    this.stopped = false;
    const released = releaseLeases(this.db);
    if (released > 0) this.log("info", "jobs interrupted by the last stop run again", { jobs: released });
    onEnqueue(this.db, () => this.wake());
    this.wake();
  }

  /** Claims what is due now and sets a timer for what is due later. */
  wake(): void {
    if (this.stopped) return;
    try {
      this.fill();
      this.schedule();
    } catch (error) {
      this.log("error", "the job runner could not read the jobs table", { error });
    }
  }

  /** Jobs running right now. */
  get busy(): number {
    return this.running.size;
  }

  /** Stops claiming and waits up to `graceMs` for the running jobs; any still running then run again after the next start. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    onEnqueue(this.db, null);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running.size > 0) await Promise.race([Promise.allSettled(this.running.values()), Bun.sleep(graceMs)]);
  }

  private fill(): void {
    while (this.running.size < this.options.concurrency) {
      const available = [...kinds].filter(([kind, handler]) => (this.runningByKind.get(kind) ?? 0) < handler.concurrency).map(([k]) => k);
      const job = claimJob(this.db, available, this.options.leaseMs);
      if (!job) return;
      this.runningByKind.set(job.kind, (this.runningByKind.get(job.kind) ?? 0) + 1);
      const done = this.execute(job).finally(() => {
        this.running.delete(job.id);
        this.runningByKind.set(job.kind, (this.runningByKind.get(job.kind) ?? 1) - 1);
        this.wake();
      });
      this.running.set(job.id, done);
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const at = nextRunAt(this.db, [...kinds.keys()]);
    if (at === null) return;
    // A due job not claimed now is waiting for a free slot: the end of a running job wakes us.
    if (at <= now()) return;
    this.timer = setTimeout(() => this.wake(), Math.min(at - now(), MAX_TIMER_MS));
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const handler = kinds.get(job.kind)!;
    let outcome: { retry: boolean; error: string } | null = null;
    try {
      // A job that keeps killing the process (or outlives its lease) is not claimed forever.
      if (job.attempts > handler.maxAttempts) throw new Error(`interrupted ${job.attempts - 1} times`);
      await handler.run(job.payload, this.ctx!);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = { retry: error instanceof RetryableJobError && job.attempts < handler.maxAttempts, error: message };
    }
    try {
      if (!outcome) completeJob(this.db, job.id);
      else if (outcome.retry) retryJob(this.db, job.id, now() + this.backoff(job.attempts), outcome.error);
      else {
        failJob(this.db, job.id, outcome.error);
        this.log("warn", "a job gave up", { id: job.id, kind: job.kind, attempts: job.attempts, error: outcome.error });
      }
    } catch (error) {
      // The database closed under a job that outlived the shutdown grace: its lease makes it run again.
      this.log("error", "a job's outcome could not be recorded", { id: job.id, kind: job.kind, error });
    }
  }

  /** Exponential, with jitter so that jobs that failed together (a receiver down) don't retry in lockstep. */
  private backoff(attempts: number): number {
    const ceiling = Math.min(this.options.backoffMs * 2 ** (attempts - 1), this.options.maxBackoffMs);
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}
