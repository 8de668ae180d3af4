import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";

/** A job as the runner holds it while running it. */
export type ClaimedJob = { id: number; kind: string; payload: unknown; attempts: number };

/** A job that gave up, as an administrator sees it. */
export type FailedJob = { id: number; kind: string; payload: unknown; attempts: number; lastError: string; failedAt: number };

type JobRow = { id: number; kind: string; payload: string; attempts: number };

/** Runners waiting for work, by database, so an enqueue anywhere wakes the one that runs it. */
const wakers = new Map<Database, () => void>();

export function onEnqueue(db: Database, wake: (() => void) | null): void {
  if (wake) wakers.set(db, wake);
  else wakers.delete(db);
}

/**
 * Writes a job. Call it inside the transaction that writes what causes it (the message a webhook
 * announces), so both commit or neither does. The runner is woken on the next turn of the event
 * loop, when that transaction (always synchronous in bun:sqlite) has committed.
 */
export function enqueueJob(db: Database, kind: string, payload: object, opts: { runAt?: number } = {}): void {
  const at = now();
  db.query("INSERT INTO jobs (kind, payload, run_at, created_at) VALUES (?, ?, ?, ?)").run(
    kind,
    JSON.stringify(payload),
    opts.runAt ?? at,
    at,
  );
  const wake = wakers.get(db);
  if (wake) setImmediate(wake);
}

/**
 * Takes the oldest due job of one of `kinds` and leases it until `now + leaseMs`: the lease is also
 * its next `run_at`, so if the process dies while running it, it is simply due again later.
 */
export function claimJob(db: Database, kinds: readonly string[], leaseMs: number): ClaimedJob | null {
  if (kinds.length === 0) return null;
  const at = now();
  const rows = db
    .query(
      `UPDATE jobs SET locked_until = ?1, run_at = ?1, attempts = attempts + 1
       WHERE id = (SELECT id FROM jobs WHERE failed_at IS NULL AND run_at <= ?2 AND kind IN (SELECT value FROM json_each(?3))
                   ORDER BY run_at, id LIMIT 1)
       RETURNING id, kind, payload, attempts`,
    )
    .all(at + leaseMs, at, JSON.stringify(kinds)) as JobRow[];
  const row = rows[0];
  return row ? { ...row, payload: JSON.parse(row.payload) } : null;
}

/** When the next job of `kinds` is due (a leased one's lease end), or null when none waits. */
export function nextRunAt(db: Database, kinds: readonly string[]): number | null {
  if (kinds.length === 0) return null;
  const row = db
    .query("SELECT min(run_at) AS at FROM jobs WHERE failed_at IS NULL AND kind IN (SELECT value FROM json_each(?))")
    .get(JSON.stringify(kinds)) as { at: number | null };
  return row.at;
}

/** Done: the row goes, there is nothing left to know about it. */
export function completeJob(db: Database, id: number): void {
  db.query("DELETE FROM jobs WHERE id = ?").run(id);
}

/** Runs again at `runAt`; the error is kept so a job that keeps failing says why. */
export function retryJob(db: Database, id: number, runAt: number, error: string): void {
  db.query("UPDATE jobs SET run_at = ?, locked_until = NULL, last_error = ? WHERE id = ?").run(runAt, error, id);
}

/** Gives up for good, keeping the row and the reason for an administrator. */
export function failJob(db: Database, id: number, error: string): void {
  db.query("UPDATE jobs SET failed_at = ?, locked_until = NULL, last_error = ? WHERE id = ?").run(now(), error, id);
}

/**
 * Makes every leased job due now. Only for the start of the server: one server runs per data
 * directory, so no lease can belong to a live runner then, and a job the last process was running
 * when it died runs again at once rather than when its lease would have ended.
 */
export function releaseLeases(db: Database): number {
  const at = now();
  return db.query("UPDATE jobs SET run_at = ?, locked_until = NULL WHERE locked_until IS NOT NULL AND failed_at IS NULL").run(at).changes;
}

/** The jobs of a kind that gave up, newest first, whose payload has `field` = `value` (e.g. a bot's id). */
export function failedJobs(db: Database, kind: string, field: string, value: number | string, limit = 20): FailedJob[] {
  const rows = db
    .query(
      `SELECT id, kind, payload, attempts, last_error AS lastError, failed_at AS failedAt FROM jobs
       WHERE kind = ? AND failed_at IS NOT NULL AND json_extract(payload, '$.' || ?) = ?
       ORDER BY failed_at DESC, id DESC LIMIT ?`,
    )
    .all(kind, field, value, limit) as (Omit<FailedJob, "payload"> & { payload: string })[];
  return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) }));
}
