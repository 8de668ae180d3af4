import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";
import { PAGE_SIZE } from "../realtime/protocol.ts";
import { noteRoomMessage } from "../rooms/room-entries.ts";
import { isAdministrator, type User } from "../users/users.ts";

export type Message = {
  id: number;
  roomId: number;
  creatorId: number;
  creatorName: string;
  clientMessageId: string;
  bodyHtml: string;
  createdAt: number;
  updatedAt: number;
  /** Space-separated ids of the people it mentions, for the "you were mentioned" highlight. */
  mentions: string;
};

// Every visit to a room opens on its newest page, the same for everyone, so whatever a caller
// builds from it (the rendered page) is kept until the room's messages change. Per connection,
// so servers sharing a process (the tests) never share pages.
const latestPages = new WeakMap<Database, Map<number, unknown>>();
// A page is ~25 KB; beyond this many rooms the one kept longest is dropped (many direct rooms).
const LATEST_PAGES_KEPT = 200;

/** What `build` makes of a room's newest page, built again only after its messages change. */
export function rememberLatestPage<T>(db: Database, roomId: number, build: () => T): T {
  let pages = latestPages.get(db);
  if (!pages) latestPages.set(db, (pages = new Map()));
  if (!pages.has(roomId)) {
    if (pages.size >= LATEST_PAGES_KEPT) pages.delete(pages.keys().next().value!);
    pages.set(roomId, build());
  }
  return pages.get(roomId) as T;
}

/** Called by every write to a room's messages (and by deleting a room, whose id may be reused). */
export function forgetLatestPage(db: Database, roomId: number): void {
  latestPages.get(db)?.delete(roomId);
}

export const MESSAGE_COLUMNS = `messages.id, messages.room_id AS roomId, messages.creator_id AS creatorId,
  users.name AS creatorName, messages.client_message_id AS clientMessageId, messages.body_html AS bodyHtml,
  messages.created_at AS createdAt, messages.updated_at AS updatedAt,
  coalesce((SELECT group_concat(user_id, ' ') FROM mentions WHERE message_id = messages.id), '') AS mentions`;
export const FROM_MESSAGES = "FROM messages JOIN users ON users.id = messages.creator_id";

export type NewMessage = { clientMessageId: string; html: string; plain: string; mentionIds: number[] };

/**
 * Stores a message unless this room already has one with the same client_message_id (a retry):
 * then the original comes back with `created: false`, and nothing is written.
 */
export function insertMessage(db: Database, roomId: number, creator: User, input: NewMessage, at = now()): { message: Message; created: boolean } {
  const { changes, lastInsertRowid } = db
    .query(
      `INSERT INTO messages (room_id, creator_id, client_message_id, body_html, body_plain, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room_id, client_message_id) DO NOTHING`,
    )
    .run(roomId, creator.id, input.clientMessageId, input.html, input.plain, at, at);
  if (changes === 0) return { message: findMessageByClientId(db, roomId, input.clientMessageId)!, created: false };
  const id = Number(lastInsertRowid);
  forgetLatestPage(db, roomId);
  insertMentions(db, id, input.mentionIds);
  db.query("UPDATE rooms SET last_message_at = ? WHERE id = ?").run(at, roomId);
  noteRoomMessage(db, roomId, at);
  // Everything the new row holds is known here, so it is not read back (it is on the hot path).
  const mentions = [...new Set(input.mentionIds)].sort((a, b) => a - b).join(" ");
  const message: Message = {
    id, roomId, creatorId: creator.id, creatorName: creator.name, clientMessageId: input.clientMessageId,
    bodyHtml: input.html, createdAt: at, updatedAt: at, mentions,
  };
  return { message, created: true };
}

export function updateMessageBody(db: Database, message: Message, input: Omit<NewMessage, "clientMessageId">): Message {
  db.query("UPDATE messages SET body_html = ?, body_plain = ?, updated_at = ? WHERE id = ?").run(
    input.html, input.plain, Math.max(now(), message.updatedAt + 1), message.id,
  );
  db.query("DELETE FROM mentions WHERE message_id = ?").run(message.id);
  insertMentions(db, message.id, input.mentionIds);
  forgetLatestPage(db, message.roomId);
  return findMessage(db, message.roomId, message.id)!;
}

export function deleteMessage(db: Database, message: Message): void {
  db.query("DELETE FROM messages WHERE id = ?").run(message.id);
  forgetLatestPage(db, message.roomId);
}

function insertMentions(db: Database, messageId: number, userIds: number[]): void {
  const insert = db.query("INSERT INTO mentions (message_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
  for (const userId of userIds) insert.run(messageId, userId);
}

/** Looks a message up within a room the caller has already authorized. */
export function findMessage(db: Database, roomId: number, id: number): Message | null {
  return db
    .query<Message, [number, number]>(`SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE messages.room_id = ? AND messages.id = ?`)
    .get(roomId, id);
}

function findMessageByClientId(db: Database, roomId: number, clientMessageId: string): Message | null {
  return db
    .query<Message, [number, string]>(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE messages.room_id = ? AND messages.client_message_id = ?`,
    )
    .get(roomId, clientMessageId);
}

/** The newest messages of a room, oldest first. */
export function latestMessages(db: Database, roomId: number, limit = PAGE_SIZE): Message[] {
  return db
    .query<Message, [number, number]>(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE messages.room_id = ? ORDER BY messages.id DESC LIMIT ?`,
    )
    .all(roomId, limit)
    .reverse();
}

/** The messages just older than `beforeId`, oldest first. */
export function messagesBefore(db: Database, roomId: number, beforeId: number, limit = PAGE_SIZE): Message[] {
  return db
    .query<Message, [number, number, number]>(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE messages.room_id = ? AND messages.id < ?
       ORDER BY messages.id DESC LIMIT ?`,
    )
    .all(roomId, beforeId, limit)
    .reverse();
}

/** The messages just newer than `afterId`, oldest first. */
export function messagesAfter(db: Database, roomId: number, afterId: number, limit = PAGE_SIZE): Message[] {
  return db
    .query<Message, [number, number, number]>(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE messages.room_id = ? AND messages.id > ?
       ORDER BY messages.id LIMIT ?`,
    )
    .all(roomId, afterId, limit);
}

/** Who may edit or delete a message: its author and administrators. */
export const canAdministerMessage = (user: User, message: Message): boolean =>
  isAdministrator(user) || user.id === message.creatorId;
