import type { Database } from "bun:sqlite";
import type { Logger } from "../log.ts";
import { totalChanges } from "./connection.ts";

export type CheckpointerRequest = { kind: "start"; path: string; intervalMs: number } | { kind: "stop" };
export type CheckpointerReport = { kind: "failed"; error: string } | { kind: "stopped" };

// How often the thread looks for new commits; a quiet server's thread does one cheap PRAGMA per look.
const LOOK_MS = 100;
// SQLite's own checkpoint stays on at 4,000 pages (16 MB) instead of its default 1,000. Under
// steady posting the thread's checkpoints never quite finish (commits land while each runs), so the
// WAL cannot start over until it reaches this size; SQLite's checkpoint in the COMMIT then copies only
// what the thread has not. 4,000 beat 10,000 (p99 16 vs 16–24 ms at 16 connections, a 41 MB WAL).
export const FALLBACK_PAGES = 4_000;
const DEFAULT_PAGES = 1_000;
const STOP_WAIT_MS = 2_000;

/**
 * Folds the WAL back into the database file on a thread of its own. SQLite does it inside the COMMIT
 * that takes the WAL past 1,000 pages, on the one thread that serves every request: the post that
 * lands on it waits for the pages to be copied and two fsyncs. Measured on a 20,000-message seed,
 * executables side by side, `wrk` posting on one connection: 1,311–1,418 → 1,585–1,966 req/s, p99
 * 18.5–54.7 → 5.3–8.9 ms; in one process with checkpoints off, ~540 → ~405 µs a post.
 *
 * The thread (checkpoint-worker.ts, its own connection) starts at the server's first write, not at
 * start-up: a Bun worker costs ~6 MB of memory, and a server nobody writes to needs no checkpoints.
 */
export class Checkpointer {
  private worker: Worker | null = null;
  private readonly changesAtStart: number;
  private stopped: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly path: string,
    private readonly log: Logger,
  ) {
    this.changesAtStart = totalChanges(this.db);
  }

  /** Called on a timer: starts the thread once this connection has written anything since start-up. */
  tick(): void {
    if (this.worker || this.stopped || totalChanges(this.db) === this.changesAtStart) return;
    const worker = new Worker(new URL("./checkpoint-worker.ts", import.meta.url).href);
    worker.onmessage = ({ data }: MessageEvent<CheckpointerReport>) => {
      if (data.kind === "failed") this.log("error", "the background checkpoint failed", { error: data.error });
    };
    worker.onerror = (event) => {
      this.log("error", "the checkpoint thread stopped; SQLite checkpoints on its own again", { error: event.message });
      this.stopped = Promise.resolve(); // not started again
      this.fallBack();
    };
    worker.postMessage({ kind: "start", path: this.path, intervalMs: LOOK_MS } satisfies CheckpointerRequest);
    this.db.run(`PRAGMA wal_autocheckpoint = ${FALLBACK_PAGES}`);
    this.worker = worker;
  }

  get running(): boolean {
    return this.worker !== null;
  }

  /** Before the database closes: the thread closes its connection, so the final checkpoint finds no one else. */
  stop(): Promise<void> {
    this.stopped ??= this.stopWorker();
    return this.stopped;
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const closed = new Promise<void>((resolve) => {
      worker.onmessage = ({ data }: MessageEvent<CheckpointerReport>) => data.kind === "stopped" && resolve();
    });
    worker.postMessage({ kind: "stop" } satisfies CheckpointerRequest);
    let timeout: Timer | undefined;
    await Promise.race([closed, new Promise((resolve) => (timeout = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timeout);
    this.fallBack();
  }

  private fallBack(): void {
    this.worker?.terminate();
    this.worker = null;
    this.db.run(`PRAGMA wal_autocheckpoint = ${DEFAULT_PAGES}`);
  }
}
