import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";
import { MAX_BOOST_CHARS } from "../realtime/protocol.ts";
import type { User } from "../users/users.ts";
import { type Message, touchMessage } from "./messages.ts";
import { isBlank } from "./sanitize.ts";

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

/**
 * Adds the person's boost to the message, which takes the room's next change number; a boost they
 * already gave is not added twice (a double click), and then nothing changes.
 */
export function addBoost(db: Database, message: Message, booster: User, content: string): { id: number; created: boolean } {
  return db.transaction(() => {
    const existing = db
      .query<{ id: number }, [number, number, string]>("SELECT id FROM boosts WHERE message_id = ? AND booster_id = ? AND content = ?")
      .get(message.id, booster.id, content);
    if (existing) return { id: existing.id, created: false };
    const { lastInsertRowid } = db
      .query("INSERT INTO boosts (message_id, booster_id, content, created_at) VALUES (?, ?, ?, ?)")
      .run(message.id, booster.id, content, now());
    touchMessage(db, message);
    return { id: Number(lastInsertRowid), created: true };
  })();
}

/** Removes one of the person's own boosts on the message; false when there is no such boost of theirs. */
export function removeBoost(db: Database, message: Message, booster: User, boostId: number): boolean {
  return db.transaction(() => {
    const { changes } = db.query("DELETE FROM boosts WHERE id = ? AND message_id = ? AND booster_id = ?").run(boostId, message.id, booster.id);
    if (changes === 0) return false;
    touchMessage(db, message);
    return true;
  })();
}
