import type { Database } from "bun:sqlite";
import type { Logger } from "../log.ts";

/** SQLite's answer when a write needs a page and there is no room for it (ENOSPC, or max_page_count). */
export const isDiskFull = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === "SQLITE_FULL";

// While writes fail, /up checks again at most this often: the probe is a schema write.
const PROBE_INTERVAL_MS = 1000;

/**
 * Whether the database can be written. A failed write marks it full; /up then reports it and
 * probes for space again, because otherwise a health check that took the server out of rotation
 * would keep it out forever (no write could succeed to clear the mark).
 */
export class DiskSpace {
  private full = false;
  private probedAt = 0;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
  ) {}

  /** A write failed for lack of space (where: a request id, a user); logged once until space is back. */
  markFull(where: Record<string, unknown>, at = Date.now()): void {
    if (this.full) return;
    this.full = true;
    this.probedAt = at;
    this.log("error", "the disk is full: nothing can be saved until space is freed", where);
  }

  /** False while writes fail; true once a real write (one that takes a new page and commits) succeeds again. */
  writable(at = Date.now()): boolean {
    if (!this.full || at - this.probedAt < PROBE_INTERVAL_MS) return !this.full;
    this.probedAt = at;
    try {
      // A new table takes a page, and committing writes it to the WAL: both need space.
      this.db.transaction(() => {
        this.db.run("CREATE TABLE disk_space_probe (x)");
        this.db.run("DROP TABLE disk_space_probe");
      })();
      this.full = false;
      this.log("info", "the disk has space again: writes succeed");
    } catch (error) {
      if (!isDiskFull(error)) throw error;
    }
    return !this.full;
  }
}
