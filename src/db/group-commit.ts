import type { Database } from "bun:sqlite";

type Job = { write: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/**
 * Commits the writes that arrive in the same turn of the event loop in one transaction. With WAL
 * and FTS5 a commit costs several times the insert itself (PERF-NOTES: 7.4k vs 32.8k inserts/s), so
 * sixteen posts arriving together commit once. Each write runs in its own savepoint, so a failing
 * one takes back only itself, and each caller's promise settles after the commit holding its write.
 */
export class GroupCommit {
  private pending: Job[] = [];
  private scheduled = false;
  // Made once: bun:sqlite's transaction() builds four wrapper functions and defines their
  // properties on every call, ~2.5 % of a post's time when it was called per write.
  /** A whole transaction (BEGIN IMMEDIATE … COMMIT) around `work`. */
  private readonly inTransaction: (work: () => unknown) => unknown;
  /** Inside a transaction, a savepoint around `work`: a failure takes back only its own writes. */
  private readonly inSavepoint: (work: () => unknown) => unknown;

  constructor(db: Database) {
    this.inTransaction = db.transaction((work: () => unknown) => work()).immediate;
    this.inSavepoint = db.transaction((work: () => unknown) => work());
  }

  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate, not a microtask: it waits for every request read in this turn.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is waiting now; also called on shutdown, before the database closes. */
  flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    if (batch.length === 0) return;
    if (batch.length === 1) {
      // Alone, a write needs no savepoint: the transaction is its own.
      const [job] = batch as [Job];
      try {
        job.resolve(this.inTransaction(job.write));
      } catch (error) {
        job.reject(error);
      }
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.inTransaction(() => {
        for (const job of batch) {
          try {
            outcomes.push({ ok: true, value: this.inSavepoint(job.write) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
