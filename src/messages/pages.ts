import type { Database } from "bun:sqlite";
import { PAGE_SIZE } from "../realtime/protocol.ts";
import { FROM_MESSAGES, MESSAGE_COLUMNS, type Message, type MessageRow, withDetails } from "./messages.ts";

// A room's messages a page at a time, oldest first: the newest, or those older or newer than one.

/** The newest messages of a room, oldest first. */
export const latestMessages = (db: Database, roomId: number, limit = PAGE_SIZE): Message[] =>
  withDetails(db, latest<MessageRow>(db, ROWS, roomId, limit));

/** The messages just older than `beforeId`, oldest first. */
export const messagesBefore = (db: Database, roomId: number, beforeId: number, limit = PAGE_SIZE): Message[] =>
  withDetails(db, before<MessageRow>(db, ROWS, roomId, beforeId, limit));

/** The messages just newer than `afterId`, oldest first. */
export const messagesAfter = (db: Database, roomId: number, afterId: number, limit = PAGE_SIZE): Message[] =>
  withDetails(db, after<MessageRow>(db, ROWS, roomId, afterId, limit));

/**
 * The same pages as which messages at which change, for pages whose messages may already be kept
 * rendered (src/messages/rendered.ts reads the rest of those that are not). Reading every column
 * and each author for a page of 40 took ~84 µs, its ids and change numbers ~27, on 200,000 messages.
 */
export type PageEntry = { id: number; changeSeq: number };

export const latestPageEntries = (db: Database, roomId: number, limit = PAGE_SIZE): PageEntry[] => latest(db, ENTRIES, roomId, limit);
export const pageEntriesBefore = (db: Database, roomId: number, beforeId: number, limit = PAGE_SIZE): PageEntry[] =>
  before(db, ENTRIES, roomId, beforeId, limit);
export const pageEntriesAfter = (db: Database, roomId: number, afterId: number, limit = PAGE_SIZE): PageEntry[] =>
  after(db, ENTRIES, roomId, afterId, limit);

/** These messages as rows, in no particular order. */
export function messageRowsWithIds(db: Database, ids: number[]): MessageRow[] {
  return db.query<MessageRow, [string]>(`SELECT ${ROWS} WHERE messages.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids));
}

const ROWS = `${MESSAGE_COLUMNS} ${FROM_MESSAGES}`;
const ENTRIES = "messages.id, messages.change_seq AS changeSeq FROM messages";

function latest<T>(db: Database, what: string, roomId: number, limit: number): T[] {
  return db
    .query<T, [number, number]>(`SELECT ${what} WHERE messages.room_id = ? ORDER BY messages.id DESC LIMIT ?`)
    .all(roomId, limit)
    .reverse();
}

function before<T>(db: Database, what: string, roomId: number, beforeId: number, limit: number): T[] {
  return db
    .query<T, [number, number, number]>(`SELECT ${what} WHERE messages.room_id = ? AND messages.id < ? ORDER BY messages.id DESC LIMIT ?`)
    .all(roomId, beforeId, limit)
    .reverse();
}

function after<T>(db: Database, what: string, roomId: number, afterId: number, limit: number): T[] {
  return db
    .query<T, [number, number, number]>(`SELECT ${what} WHERE messages.room_id = ? AND messages.id > ? ORDER BY messages.id LIMIT ?`)
    .all(roomId, afterId, limit);
}
