import type { Database } from "bun:sqlite";
import { unlink } from "node:fs/promises";
import { join } from "node:path";
import { now } from "../db/time.ts";
import type { ReceivedFile } from "../http/multipart.ts";

export type Attachment = {
  id: number;
  fileKey: string;
  previewKey: string | null;
  filename: string;
  contentType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
};
/** A file written to disk whose row is not stored yet: the message's transaction stores both. */
export type StoredFile = Omit<Attachment, "id">;

// The original's thumbnail limits (resize_to_limit 1200×800).
const PREVIEW_WIDTH = 1200;
const PREVIEW_HEIGHT = 800;
// 50 megapixels (an 8K photo is 33): a 30000×30000 PNG of 2.6 MB would want 3.6 GB to decode.
const MAX_PIXELS = 50_000_000;
const PREVIEWED_TYPES = new Set(["image/jpeg", "image/png", "image/webp", "image/gif"]);
// What browsers play in a <video> or <audio> element (and serve-file.ts sends inline).
const VIDEO_TYPES = new Set(["video/mp4", "video/webm"]);
const AUDIO_TYPES = new Set(["audio/mpeg", "audio/ogg", "audio/wav", "audio/webm", "audio/mp4"]);

/** How a message shows a file: a player for what browsers play, otherwise a picture or a download. */
export const playerFor = (contentType: string): "video" | "audio" | null =>
  VIDEO_TYPES.has(contentType) ? "video" : AUDIO_TYPES.has(contentType) ? "audio" : null;

/** A video's frame size as the sender's browser read it from the file: only a layout hint, so the page doesn't jump. */
export type FrameSize = { width: number; height: number };
const MAX_FILENAME = 255;

export const filesDir = (dataDir: string): string => join(dataDir, "files");
const pathOf = (dataDir: string, key: string): string => join(filesDir(dataDir), key);

/** A type as the browser sent it, if it looks like one; anything else is an opaque byte stream. */
const cleanType = (type: string): string => (/^[\w.+-]+\/[\w.+-]+$/.test(type) ? type.toLowerCase() : "application/octet-stream");
/** Only the last path segment, no control characters: the name is shown and offered on download, never used on disk. */
const cleanName = (name: string): string =>
  (name.split(/[\\/]/).pop() ?? "")
    .replace(/[\p{Cc}"]/gu, "")
    .trim()
    .slice(0, MAX_FILENAME) || "file";

/**
 * Writes an upload under a random key (never its own name) and, for a JPEG/PNG/WebP/GIF, a WebP
 * preview of at most 1200×800 next to it. Bun.Image decodes on another thread (a 4000×4000 PNG
 * took 258 ms while the event loop kept ticking), so the server goes on meanwhile. An image it
 * cannot read (corrupt, too many pixels) is kept as a plain file; a video keeps the frame size its
 * sender's browser measured, if any. The upload is already on disk
 * (http/multipart.ts): it is renamed into place, never copied or held in memory, pictures aside.
 */
export async function storeFile(dataDir: string, file: ReceivedFile, frame?: FrameSize): Promise<StoredFile> {
  const fileKey = crypto.randomUUID().replaceAll("-", "");
  const contentType = cleanType(file.type);
  await file.moveTo(pathOf(dataDir, fileKey));
  const stored: StoredFile = {
    fileKey,
    previewKey: null,
    filename: cleanName(file.name),
    contentType,
    byteSize: file.size,
    width: null,
    height: null,
  };
  if (VIDEO_TYPES.has(contentType) && frame) return { ...stored, ...frame };
  if (!PREVIEWED_TYPES.has(contentType)) return stored;
  try {
    const preview = await new Bun.Image(fileOnDisk(dataDir, fileKey), { maxPixels: MAX_PIXELS })
      .resize(PREVIEW_WIDTH, PREVIEW_HEIGHT, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .bytes();
    const { width, height } = await new Bun.Image(preview).metadata();
    const previewKey = `${fileKey}-preview`;
    await Bun.write(pathOf(dataDir, previewKey), preview);
    return { ...stored, previewKey, width, height };
  } catch {
    return stored; // ERR_IMAGE_UNKNOWN_FORMAT, ERR_IMAGE_TOO_MANY_PIXELS…: a download, not a picture
  }
}

/** Called inside the message's transaction, so a message and its file row are written together or not at all. */
export function insertAttachment(db: Database, file: StoredFile): number {
  const { lastInsertRowid } = db
    .query(
      `INSERT INTO attachments (file_key, preview_key, filename, content_type, byte_size, width, height, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(file.fileKey, file.previewKey, file.filename, file.contentType, file.byteSize, file.width, file.height, now());
  return Number(lastInsertRowid);
}

export function deleteAttachmentRow(db: Database, id: number): void {
  db.query("DELETE FROM attachments WHERE id = ?").run(id);
}

/**
 * Forgets the files of a room's messages, inside the transaction that deletes the room (its
 * messages go by cascade, which would leave these rows and files behind); returns them so the
 * caller removes them from disk after the commit.
 */
export function forgetRoomFiles(db: Database, roomId: number): Pick<Attachment, "fileKey" | "previewKey">[] {
  return db
    .query<Pick<Attachment, "fileKey" | "previewKey">, [number]>(
      `DELETE FROM attachments WHERE id IN (SELECT attachment_id FROM messages WHERE room_id = ? AND attachment_id IS NOT NULL)
       RETURNING file_key AS fileKey, preview_key AS previewKey`,
    )
    .all(roomId);
}

/** After the commit that forgot them: a file already gone is fine. */
export async function removeFiles(dataDir: string, file: Pick<Attachment, "fileKey" | "previewKey">): Promise<void> {
  const keys = file.previewKey ? [file.fileKey, file.previewKey] : [file.fileKey];
  await Promise.all(keys.map((key) => unlink(pathOf(dataDir, key)).catch(() => undefined)));
}

const ATTACHMENT_COLUMNS = `attachments.id, attachments.file_key AS fileKey, attachments.preview_key AS previewKey,
  attachments.filename, attachments.content_type AS contentType, attachments.byte_size AS byteSize, attachments.width, attachments.height`;

/** The files of a page of messages, in one query, by attachment id. */
export function attachmentsById(db: Database, ids: number[]): Map<number, Attachment> {
  const rows = db
    .query<Attachment, [string]>(`SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids));
  return new Map(rows.map((row) => [row.id, row]));
}

/** A file and the room of the message carrying it, whoever asks: the caller checks that they may see that room. */
export function findAttachment(db: Database, fileKey: string): (Attachment & { roomId: number }) | null {
  return db
    .query<Attachment & { roomId: number }, [string]>(
      `SELECT ${ATTACHMENT_COLUMNS}, messages.room_id AS roomId FROM attachments
       JOIN messages ON messages.attachment_id = attachments.id WHERE attachments.file_key = ?`,
    )
    .get(fileKey);
}

export const fileOnDisk = (dataDir: string, key: string) => Bun.file(pathOf(dataDir, key));
