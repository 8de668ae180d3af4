import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";
import { MAX_BOOST_CHARS } from "../realtime/protocol.ts";
import type { User } from "../users/users.ts";
import type { Message } from "./messages.ts";
import { isBlank } from "./sanitize.ts";

export type Boost = { id: number; boosterId: number; boosterName: string; content: string };

/** The reactions offered with one click; any other text up to MAX_BOOST_CHARS may be typed. */
export const QUICK_BOOSTS = ["👍", "👏", "👋", "💪", "❤️", "😂", "🎉", "🔥"] as const;

// The table's CHECK, in code points: 16 flags or toned thumbs (2 each) fit; one "character" made of
// hundreds of combining marks does not.
const MAX_BOOST_CODE_POINTS = 64;
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
const CONTROL = /\p{Cc}/gu;

/** The boost as stored (trimmed, runs of spaces as one), or why it is refused. */
export function boostContent(input: string): { content: string } | string {
  const content = input.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
  if (isBlank(content)) return "A boost needs some text.";
  let count = 0;
  for (const _ of graphemes.segment(content)) count++;
  if (count > MAX_BOOST_CHARS || [...content].length > MAX_BOOST_CODE_POINTS)
    return `A boost can be at most ${MAX_BOOST_CHARS} characters (this one has ${count}).`;
  return { content };
}

/** Adds the person's boost to the message; one they already gave is not added twice (a double click). */
export function addBoost(db: Database, message: Message, booster: User, content: string): { id: number; created: boolean } {
  const existing = db
    .query<{ id: number }, [number, number, string]>("SELECT id FROM boosts WHERE message_id = ? AND booster_id = ? AND content = ?")
    .get(message.id, booster.id, content);
  if (existing) return { id: existing.id, created: false };
  const { lastInsertRowid } = db
    .query("INSERT INTO boosts (message_id, booster_id, content, created_at) VALUES (?, ?, ?, ?)")
    .run(message.id, booster.id, content, now());
  return { id: Number(lastInsertRowid), created: true };
}

/** Removes one of the person's own boosts on the message; false when there is no such boost of theirs. */
export function removeBoost(db: Database, message: Message, booster: User, boostId: number): boolean {
  return db.query("DELETE FROM boosts WHERE id = ? AND message_id = ? AND booster_id = ?").run(boostId, message.id, booster.id).changes > 0;
}

const BOOST_COLUMNS = `boosts.message_id AS messageId, boosts.id, boosts.booster_id AS boosterId, boosters.name AS boosterName, boosts.content
  FROM boosts JOIN users AS boosters ON boosters.id = boosts.booster_id`;
// A page whose ids spread wider than this many times its length is looked up id by id.
const DENSE_PAGE = 4;

/**
 * The rows `select` reads (from a table with a `message_id` column) for these messages, in one
 * query. A busy room's page holds nearly consecutive ids, and scanning that stretch of the index is
 * cheapest (measured for boosts on 40 messages: +6 µs, against +26 µs looking each id up); a quiet
 * room's page or search results spread over other rooms' messages, so their ids are looked up one
 * by one and the cost stays bounded. A range may hold other messages' rows too: callers ask by id.
 */
export function rowsForMessages<T>(db: Database, select: string, order: string, messageIds: number[]): T[] {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const id of messageIds) {
    if (id < first) first = id;
    if (id > last) last = id;
  }
  return last - first < DENSE_PAGE * messageIds.length
    ? db.query<T, [number, number]>(`${select} WHERE message_id BETWEEN ? AND ? ORDER BY ${order}`).all(first, last)
    : db
        .query<T, [string]>(`${select} WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY ${order}`)
        .all(JSON.stringify(messageIds));
}

/** The boosts of these messages, oldest first, in one query. */
export function boostsOf(db: Database, messageIds: number[]): Map<number, Boost[]> {
  const rows = rowsForMessages<Boost & { messageId: number }>(db, `SELECT ${BOOST_COLUMNS}`, "boosts.id", messageIds);
  // A range may hold other rooms' messages too; their boosts are never asked for.
  const byMessage = new Map<number, Boost[]>();
  for (const { messageId, ...boost } of rows) {
    const boosts = byMessage.get(messageId);
    if (boosts) boosts.push(boost);
    else byMessage.set(messageId, [boost]);
  }
  return byMessage;
}
