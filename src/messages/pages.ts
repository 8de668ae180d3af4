import type { Database } from "bun:sqlite";
import { PAGE_SIZE } from "../realtime/protocol.ts";
import { FROM_MESSAGES, MESSAGE_COLUMNS, type Message, type MessageRow, withDetails } from "./messages.ts";

// A room's messages a page at a time, oldest first: the newest, or those older or newer than one.

/** The newest messages of a room, oldest first. */
export const latestMessages = (db: Database, roomId: number, limit = PAGE_SIZE): Message[] =>
  withDetails(db, latestMessageRows(db, roomId, limit));

/** The messages just older than `beforeId`, oldest first. */
export const messagesBefore = (db: Database, roomId: number, beforeId: number, limit = PAGE_SIZE): Message[] =>
  withDetails(db, messageRowsBefore(db, roomId, beforeId, limit));

/** The messages just newer than `afterId`, oldest first. */
export const messagesAfter = (db: Database, roomId: number, afterId: number, limit = PAGE_SIZE): Message[] =>
  withDetails(db, messageRowsAfter(db, roomId, afterId, limit));

// The same pages as rows, without what `withDetails` adds: for a page whose messages may already
// be kept rendered, which then need nothing more read (src/messages/rendered.ts).

export function latestMessageRows(db: Database, roomId: number, limit = PAGE_SIZE): MessageRow[] {
  return db
    .query<MessageRow, [number, number]>(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE messages.room_id = ? ORDER BY messages.id DESC LIMIT ?`,
    )
    .all(roomId, limit)
    .reverse();
}

export function messageRowsBefore(db: Database, roomId: number, beforeId: number, limit = PAGE_SIZE): MessageRow[] {
  return db
    .query<MessageRow, [number, number, number]>(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE messages.room_id = ? AND messages.id < ?
       ORDER BY messages.id DESC LIMIT ?`,
    )
    .all(roomId, beforeId, limit)
    .reverse();
}

export function messageRowsAfter(db: Database, roomId: number, afterId: number, limit = PAGE_SIZE): MessageRow[] {
  return db
    .query<MessageRow, [number, number, number]>(
      `SELECT ${MESSAGE_COLUMNS} ${FROM_MESSAGES} WHERE messages.room_id = ? AND messages.id > ?
       ORDER BY messages.id LIMIT ?`,
    )
    .all(roomId, afterId, limit);
}
