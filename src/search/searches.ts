import type { Database, SQLQueryBindings } from "bun:sqlite";
import type { Reads } from "../cache/read-cache.ts";
import { now } from "../db/time.ts";
import { memberRoomIds } from "../rooms/memberships.ts";
import { roomEntries } from "../rooms/room-entries.ts";
import { hiddenRoomsFor, roomName, sidebarFor } from "../rooms/rooms.ts";
import { peopleNamed, shownNamesOf, type User } from "../users/users.ts";
import { excerpt, phrasesOf } from "./excerpt.ts";
import { indexPendingMessages } from "./indexer.ts";
import type { SearchQuery } from "./query.ts";

/** The longest query anyone may search for or keep (the searches table's CHECK says the same). */
export const MAX_QUERY_CHARS = 200;
/**
 * Results per page; "More results" asks for the next page, older than the last shown. Each excerpt
 * is worked out again from the text, so a page holds about a screenful: measured in one process
 * against main's 100 full messages, a page of 50 took 0.65× main's time, a page of 25 0.37×.
 */
export const RESULT_LIMIT = 25;
const RECENT_SEARCHES = 10;
/**
 * A link is an <a href> the sanitizer kept (typed URLs become one) or a link card. Written as the
 * partial index messages_with_links is (migration 014), so SQLite can walk that index.
 */
const LINKED = "(link_preview_id IS NOT NULL OR instr(body_html, '<a href=') > 0)";
/** Characters of a message shown when a search has only filters (nothing matched to centre on). */
const OPENING_CHARS = 240;

/** A match as the results list shows it: where, who, when, and an excerpt with the matched words fenced (see highlight.ts). */
export type SearchResult = { id: number; roomId: number; roomName: string; creatorName: string; createdAt: number; snippet: string };
export type RecentSearch = { id: number; query: string };
type Row = Omit<SearchResult, "roomName" | "creatorName"> & { creatorId: number };

/** A page of results, or why the search could not run (its filters name a room or person the reader can't search by). */
export type SearchOutcome = { results: SearchResult[]; more: boolean } | { error: string };

/** The reader's rooms (hidden ones too) called `name`, by the name they see, case-insensitively. */
function roomsNamed(reads: Reads, user: User, name: string): number[] {
  const wanted = name.toLowerCase();
  const { shared, directs } = sidebarFor(reads, user);
  const named = [
    ...shared.map((room) => ({ id: room.id, name: room.name! })),
    ...directs.map((room) => ({ id: room.id, name: roomName(room, room.members, user.id) })),
    ...hiddenRoomsFor(reads, user).map(({ room, name }) => ({ id: room.id, name })),
  ];
  return named.filter((room) => room.name.toLowerCase() === wanted).map((room) => room.id);
}

/**
 * The newest messages matching the query in the rooms the person is a member of (hidden ones too),
 * newest first, older than `before` (a message id) when paging on. Those rooms are read from the
 * database on every search, not from the kept sidebar (which would save ~20 µs): they decide what
 * the person may read, and a stale cache must never show a room they have left.
 * With words, FTS5 hands rowids out in descending order and SQLite stops at the limit, so a common
 * word costs about as much as a rare one; the rooms are the reader's memberships, read first and
 * checked as a list (joining memberships and rooms to every row took ~95 µs for a page on
 * 200,000 messages, the list ~65). The list is a string, ",1,2,5,", each row's room looked for in
 * it with instr(): the query took ~68 µs against ~86 with the list as json_each() (a table SQLite
 * builds for every search). With only filters, messages are walked newest first.
 * Only what the page shows is read: an excerpt, the room, the author, the time (reading each
 * result's boosts, files and cards, and marking its whole body, halved search's speed). Authors'
 * names come from the read cache: joining users took ~22 of the query's ~120 µs.
 */
export function searchMessages(
  reads: Reads,
  user: User,
  query: SearchQuery,
  { before, limit = RESULT_LIMIT }: { before?: number; limit?: number } = {},
): SearchOutcome {
  const { db } = reads;
  const where: string[] = [];
  // With only filters, the membership join's reader comes first.
  const binds: SQLQueryBindings[] = query.match === null ? [user.id] : [];
  const condition = (sql: string, value: SQLQueryBindings) => {
    where.push(sql);
    binds.push(value);
  };
  if (query.match !== null) {
    reads.cache.searchIndexCaughtUp(() => indexPendingMessages(db)); // whatever was posted a moment ago is found too
    condition("instr(?, ',' || messages.room_id || ',') > 0", `,${memberRoomIds(db, user.id).join(",")},`);
    condition("message_search_index MATCH ?", query.match);
  }
  if (query.room !== undefined) {
    const rooms = roomsNamed(reads, user, query.room);
    if (rooms.length === 0) return { error: `You are not in a room called “${query.room}”.` };
    condition("messages.room_id IN (SELECT value FROM json_each(?))", JSON.stringify(rooms));
  }
  if (query.from !== undefined) {
    const people = peopleNamed(db, query.from);
    if (people.length === 0) return { error: `Nobody here is called “${query.from}”.` };
    condition("messages.creator_id IN (SELECT value FROM json_each(?))", JSON.stringify(people));
  }
  if (query.before !== undefined) condition("messages.created_at < ?", query.before);
  if (query.after !== undefined) condition("messages.created_at >= ?", query.after);
  if (query.hasFile) where.push("messages.attachment_id IS NOT NULL");
  if (query.hasLink) where.push(LINKED);
  // FTS5 jumps straight to rowids under the bound; a bound on messages.id would be checked row by row.
  if (before !== undefined) condition(`${query.match !== null ? "message_search_index.rowid" : "messages.id"} < ?`, before);
  // The limit is written into the SQL, not bound. SQLite hands a bare `LIMIT ?` to FTS5's planner as
  // a value the plan may read, and such a statement is evidently prepared again whenever a value is
  // bound, as every search does: the FTS5 scan alone took 23.2 µs with `LIMIT ?` against 15.6 with a
  // number (and 15.9 with `LIMIT ?+0`, which is not handed over), and the page's whole query ~27 µs
  // more. Tables that are not virtual show no difference, so other queries keep their bound limits.
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`a search's limit is a whole number of results, not ${limit}`);
  const columns = `messages.id, messages.room_id AS roomId, messages.creator_id AS creatorId, messages.created_at AS createdAt`;
  const conditions = where.length ? `WHERE ${where.join(" AND ")}` : "";
  // Without words or a room or person to start from, CROSS JOIN keeps messages as the outer loop,
  // walked newest first and stopped at the limit, rather than gathering every message of the
  // reader's rooms to sort them. A room or a person is a better start: their own index, then a sort.
  const walk = query.room === undefined && query.from === undefined ? "CROSS JOIN" : "JOIN";
  const sql =
    query.match !== null
      ? `SELECT ${columns}, messages.body_plain AS snippet
         FROM message_search_index
         JOIN messages ON messages.id = message_search_index.rowid
         ${conditions}
         ORDER BY message_search_index.rowid DESC LIMIT ${limit + 1}`
      : `SELECT ${columns}, substr(messages.body_plain, 1, ${OPENING_CHARS + 1}) AS snippet
         FROM messages
         ${walk} memberships ON memberships.room_id = messages.room_id AND memberships.user_id = ?
         ${conditions}
         ORDER BY messages.id DESC LIMIT ${limit + 1}`;
  const rows = db.query<Row, SQLQueryBindings[]>(sql).all(...binds);
  const more = rows.length > limit;
  if (more) rows.pop();
  // The excerpts are made here, not by FTS5's snippet(): see excerpt.ts.
  const phrases = query.match === null ? [] : phrasesOf(query.match);
  // Rooms are named as the sidebar names them (a direct room after its people), from their kept entries.
  const names = new Map(
    roomEntries(reads, [...new Set(rows.map((row) => row.roomId))]).map((entry) => [entry.id, roomName(entry, entry.members, user.id)]),
  );
  const creators = shownNamesOf(reads, [...new Set(rows.map((row) => row.creatorId))]);
  const results = rows.map(({ id, roomId, creatorId, createdAt, snippet }) => ({
    id,
    roomId,
    roomName: names.get(roomId) ?? "",
    creatorName: creators.get(creatorId) ?? "",
    createdAt,
    snippet:
      query.match !== null ? excerpt(snippet, phrases) : snippet.length > OPENING_CHARS ? `${snippet.slice(0, OPENING_CHARS)}…` : snippet,
  }));
  return { results, more };
}

/** The person's last searches, most recent first, for the chips above the search box. */
export function recentSearches({ db, cache }: Reads, userId: number): RecentSearch[] {
  return cache.recentSearchesOr(userId, () =>
    db
      .query<RecentSearch, [number, number]>("SELECT id, query FROM searches WHERE user_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?")
      .all(userId, RECENT_SEARCHES),
  );
}

/**
 * Remembers a search (a repeat moves to the top rather than appearing twice) and forgets all but
 * the last ten. The time is kept strictly after the person's latest search, so two searches in the
 * same millisecond still come back in the order they were made.
 */
export function recordSearch({ db, cache }: Reads, userId: number, query: string): void {
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
  cache.searchesChanged(userId);
}

/** Forgets a person's searches; inside a larger transaction (deactivation), whose caller says personChanged after it commits. */
export function deleteSearches(db: Database, userId: number): void {
  db.query("DELETE FROM searches WHERE user_id = ?").run(userId);
}

/** The person's Clear button. */
export function clearSearches({ db, cache }: Reads, userId: number): void {
  deleteSearches(db, userId);
  cache.searchesChanged(userId);
}
