import type { Database } from "bun:sqlite";
import { totalChanges } from "../db/connection.ts";

/**
 * Keeps the search index in one piece. Each batch the indexer adds becomes a new FTS5 segment, and
 * FTS5 merges them only four at a time, so a long-lived index holds several; every search reads
 * every segment. On 200,000 seeded messages (7 segments) a search for "deploy" read the index in
 * ~60 µs, in ~10 µs once merged into one, and the whole search page took 12–16 % less.
 *
 * Merging rewrites the whole index (~0.4 s of work on those 200,000 messages), so it waits for a
 * quiet spell (nothing new indexed for QUIET_MS), happens at most once per MERGE_EVERY_MS, and goes
 * MERGE_PAGES at a time, one step per indexer tick (~2 ms each; the last, which frees the old
 * segments, ~70 ms), so requests keep being served in between.
 */
export const QUIET_MS = 5_000;
export const MERGE_EVERY_MS = 60 * 60_000;
const MERGE_PAGES = 16;

export class IndexMerger {
  private indexedThrough: number;
  private changedAt: number;
  private lastMergeAt = Number.NEGATIVE_INFINITY;
  private merging = false;

  constructor(
    private readonly db: Database,
    startedAt: number,
  ) {
    this.indexedThrough = this.readIndexedThrough();
    this.changedAt = startedAt;
  }

  /** Called on every indexer tick; does at most one step of merging. Returns whether it merged anything. */
  tick(at: number): boolean {
    const through = this.readIndexedThrough();
    if (through !== this.indexedThrough) {
      this.indexedThrough = through;
      this.changedAt = at;
    }
    if (!this.merging) {
      if (at - this.changedAt < QUIET_MS || at - this.lastMergeAt < MERGE_EVERY_MS) return false;
      this.lastMergeAt = at;
      if (segmentCount(this.db) < 2) return false;
      this.merging = true;
    }
    this.merging = mergeStep(this.db);
    return true;
  }

  private readIndexedThrough(): number {
    return this.db.query<{ through: number }, []>("SELECT indexed_through AS through FROM search_cursor").get()!.through;
  }
}

/** How many segments the index is in (each holds at least one term, so each is in the %_idx table). */
export function segmentCount(db: Database): number {
  return db.query<{ count: number }, []>("SELECT count(DISTINCT segid) AS count FROM message_search_index_idx").get()!.count;
}

/**
 * The whole merge at once, as a running server leaves the index after its first quiet spell: for a
 * database filled by a script (bench/seed.ts), so that what is measured is a server at rest, not
 * its first minute of merging.
 */
export function mergeWholeIndex(db: Database): void {
  while (mergeStep(db));
}

/** Merges up to MERGE_PAGES pages of every segment together; says whether there was anything left to merge. */
function mergeStep(db: Database): boolean {
  const before = totalChanges(db);
  // A negative page count makes every segment a candidate, whatever its level (FTS5's 'merge' command).
  db.run(`INSERT INTO message_search_index (message_search_index, rank) VALUES ('merge', ${-MERGE_PAGES})`);
  // FTS5 documents that a merge that did work changes two or more rows.
  return totalChanges(db) - before >= 2;
}
