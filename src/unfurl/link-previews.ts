import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";

/** A card shown under a message: what a page said about itself when someone pasted its URL. */
export type LinkPreview = {
  id: number;
  token: string;
  url: string;
  title: string;
  description: string;
  /** Our copy of the page's image (under /unfurls/), never the page's own URL. */
  imageKey: string | null;
  imageWidth: number | null;
  imageHeight: number | null;
};

export type NewLinkPreview = Omit<LinkPreview, "id" | "token">;

const COLUMNS = `id, token, url, title, description, image_key AS imageKey, image_width AS imageWidth, image_height AS imageHeight`;
// 16 random bytes: a token can't be guessed, so a message can only carry a card someone was given.
const TOKEN_BYTES = 16;

export function insertLinkPreview(db: Database, preview: NewLinkPreview): LinkPreview {
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES))).toString("base64url");
  const { lastInsertRowid } = db
    .query(
      `INSERT INTO link_previews (token, url, title, description, image_key, image_width, image_height, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(token, preview.url, preview.title, preview.description, preview.imageKey, preview.imageWidth, preview.imageHeight, now());
  return { ...preview, id: Number(lastInsertRowid), token };
}

/** The newest preview of this URL made since `since`: pasting a popular link fetches it once an hour at most. */
export function recentLinkPreview(db: Database, url: string, since: number): LinkPreview | null {
  return db
    .query<LinkPreview, [string, number]>(
      `SELECT ${COLUMNS} FROM link_previews WHERE url = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1`,
    )
    .get(url, since);
}

export function findLinkPreviewByToken(db: Database, token: string): LinkPreview | null {
  return db.query<LinkPreview, [string]>(`SELECT ${COLUMNS} FROM link_previews WHERE token = ?`).get(token);
}

/** The previews of a page of messages, in one query. */
export function linkPreviewsOf(db: Database, ids: number[]): Map<number, LinkPreview> {
  const rows = db
    .query<LinkPreview, [string]>(`SELECT ${COLUMNS} FROM link_previews WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids));
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Forgets up to `limit` cards made before `before` that no message carries (offered in a composer and
 * never sent, or their message deleted); returns the image keys of those that had a picture.
 */
export function forgetUnusedLinkPreviews(db: Database, before: number, limit: number): string[] {
  return db
    .query<{ imageKey: string | null }, [number, number]>(
      `DELETE FROM link_previews WHERE id IN (
         SELECT id FROM link_previews WHERE created_at < ?
           AND NOT EXISTS (SELECT 1 FROM messages WHERE messages.link_preview_id = link_previews.id)
         LIMIT ?)
       RETURNING image_key AS imageKey`,
    )
    .all(before, limit)
    .flatMap((row) => (row.imageKey ? [row.imageKey] : []));
}

/** Of these image keys, the ones some card still shows. */
export function imageKeysInUse(db: Database, keys: string[]): Set<string> {
  const rows = db
    .query<{ key: string }, [string]>("SELECT image_key AS key FROM link_previews WHERE image_key IN (SELECT value FROM json_each(?))")
    .all(JSON.stringify(keys));
  return new Set(rows.map((row) => row.key));
}
