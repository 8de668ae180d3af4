import type { Database } from "bun:sqlite";
import type { Reads } from "../cache/read-cache.ts";
import { now } from "../db/time.ts";
import { FROM_MESSAGES, MESSAGE_COLUMNS, type Message, type MessageRow, withDetails } from "../messages/messages.ts";
import { findRoomFor, roomNameFor } from "../rooms/rooms.ts";
import type { User } from "../users/users.ts";
import { MARKED_TEXT, matchedWords } from "./highlight.ts";
import { indexPendingMessages } from "./indexer.ts";

/** The longest query anyone may search for or keep (the searches table's CHECK says the same). */
export const MAX_QUERY_CHARS = 200;
export const RESULT_LIMIT = 100;
const RECENT_SEARCHES = 10;

/** A match, with the words FTS5 matched in it so the page can mark them. */
export type SearchResult = Message & { roomName: string; words: string[] };
export type RecentSearch = { id: number; query: string };

/**
 * The FTS5 expression for what someone typed: like the original, everything but word characters
 * becomes a space, and each word left is quoted as an FTS5 string, so nothing typed (quotes, `*`,
 * `-`, `:`, parentheses, AND/OR/NOT/NEAR) is ever FTS5 syntax. Null when no word is left.
 */
export function matchExpression(query: string): string | null {
  const words = query.replace(/[^\p{L}\p{M}\p{N}\p{Pc}]+/gu, " ").trim();
  return words
    ? words
        .split(" ")
        .map((word) => `"${word}"`)
        .join(" ")
    : null;
}

/**
 * The newest messages matching the query in the rooms the person is a member of, newest first, and
 * whether there are more. FTS5 hands rowids (message ids) out in descending order and SQLite stops
 * at the limit, so a common word costs about as much as a rare one: the matches are never all read
 * and sorted.
 */
export function searchMessages(reads: Reads, user: User, query: string, limit = RESULT_LIMIT): { results: SearchResult[]; more: boolean } {
  const { db } = reads;
  const match = matchExpression(query);
  if (match === null) return { results: [], more: false };
  indexPendingMessages(db); // whatever was posted a moment ago is found too
  const rows = db
    .query<MessageRow & { roomName: string | null; marked: string }, [number, string, number]>(
      `SELECT ${MESSAGE_COLUMNS}, rooms.name AS roomName, ${MARKED_TEXT} AS marked
       ${FROM_MESSAGES}
       JOIN message_search_index ON message_search_index.rowid = messages.id
       JOIN memberships ON memberships.room_id = messages.room_id AND memberships.user_id = ?
       JOIN rooms ON rooms.id = messages.room_id
       WHERE message_search_index MATCH ?
       ORDER BY message_search_index.rowid DESC LIMIT ?`,
    )
    .all(user.id, match, limit + 1);
  const more = rows.length > limit;
  if (more) rows.pop();
  const messages = withDetails(db, rows);
  // Direct rooms are named after their people, as the sidebar names them: looked up once per room.
  const directNames = new Map<number, string>();
  for (const row of messages)
    if (row.roomName === null && !directNames.has(row.roomId))
      directNames.set(row.roomId, roomNameFor(reads, findRoomFor(reads, user, row.roomId)!, user.id));
  return {
    results: messages.map(({ marked, ...row }) => ({
      ...row,
      roomName: row.roomName ?? directNames.get(row.roomId)!,
      words: matchedWords(marked),
    })),
    more,
  };
}

/** The person's last searches, most recent first, for the chips above the search box. */
export function recentSearches(db: Database, userId: number): RecentSearch[] {
  return db
    .query<RecentSearch, [number, number]>("SELECT id, query FROM searches WHERE user_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?")
    .all(userId, RECENT_SEARCHES);
}

/**
 * Remembers a search (a repeat moves to the top rather than appearing twice) and forgets all but
 * the last ten. The time is kept strictly after the person's latest search, so two searches in the
 * same millisecond still come back in the order they were made.
 */
export function recordSearch(db: Database, userId: number, query: string): void {
  db.transaction(() => {
    db.query(
      `INSERT INTO searches (user_id, query, updated_at)
       VALUES (?1, ?2, max(?3, coalesce((SELECT max(updated_at) FROM searches WHERE user_id = ?1), 0) + 1))
       ON CONFLICT (user_id, query) DO UPDATE SET updated_at = excluded.updated_at`,
    ).run(userId, query, now());
    db.query(
      `DELETE FROM searches WHERE user_id = ?1 AND id NOT IN
         (SELECT id FROM searches WHERE user_id = ?1 ORDER BY updated_at DESC, id DESC LIMIT ?2)`,
    ).run(userId, RECENT_SEARCHES);
  })();
}

export function clearSearches(db: Database, userId: number): void {
  db.query("DELETE FROM searches WHERE user_id = ?").run(userId);
}
