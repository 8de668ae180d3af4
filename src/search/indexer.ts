import type { Database } from "bun:sqlite";

/** How many messages one transaction indexes: big enough to be cheap per message, small enough not to stall the server. */
export const INDEX_BATCH = 500;

const PENDING = "SELECT (SELECT max(id) FROM messages) > (SELECT indexed_through FROM search_cursor) AS pending";

/**
 * Adds the messages posted since the last run to the search index, in batches, and returns how
 * many it indexed. Posting leaves this to a timer (and to searches, which call it first), because
 * FTS5 costs far less per message when it takes many at once.
 */
export function indexPendingMessages(db: Database, limit = Number.POSITIVE_INFINITY): number {
  // Most calls (every search, the timer 20 times a second) find nothing to do: one query says so,
  // where the transaction below takes three statements (~60 µs inside a busy server).
  if (!db.query<{ pending: number | null }, []>(PENDING).get()!.pending) return 0;
  let indexed = 0;
  while (indexed < limit) {
    const batch = Math.min(INDEX_BATCH, limit - indexed);
    const count = db.transaction(() => {
      const { through } = db.query<{ through: number }, []>("SELECT indexed_through AS through FROM search_cursor").get()!;
      const last = db
        .query<{ last: number | null; count: number }, [number, number]>(
          "SELECT max(id) AS last, count(*) AS count FROM (SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ?)",
        )
        .get(through, batch)!;
      if (last.last === null) return 0;
      db.query(
        `INSERT INTO message_search_index (rowid, body_plain)
         SELECT id, body_plain FROM messages WHERE id > ? AND id <= ? ORDER BY id`,
      ).run(through, last.last);
      db.query("UPDATE search_cursor SET indexed_through = ?").run(last.last);
      return last.count;
    })();
    indexed += count;
    if (count < batch) break;
  }
  return indexed;
}
