import type { Database } from "bun:sqlite";
import { avatarFrame } from "../../templates/frames.ts";
import { avatarHtml } from "../../templates/shared/avatar.tsx";
import { avatarColour, initials } from "../../templates/shared/avatar-look.ts";
import { fileOnDisk, removeFiles } from "../attachments/attachments.ts";
import type { ReadCache } from "../cache/read-cache.ts";
import { now } from "../db/time.ts";
import type { ReceivedFile } from "../http/multipart.ts";
import type { Publisher } from "../realtime/publish.ts";
import { userTopic } from "../realtime/topics.ts";
import { findUser, type User } from "./users.ts";

type Deps = { db: Database; cache: ReadCache; publisher: Publisher; config: { dataDir: string } };

// Drawn at most 128 px wide in the UI: twice that for sharp screens. "inside", not cropped: CSS crops it round.
const AVATAR_SIZE = 256;
// An avatar is a photo: a 40-megapixel phone picture is fine, a decompression bomb is not.
const MAX_PIXELS = 50_000_000;

/**
 * A new picture, step by step: resize it (a file Bun.Image cannot read is refused with the reason)
 * → write it under a new random key → point the person at it → forget the old file → tell the read
 * cache and everyone who shares a room with them, so their face changes on every screen at once.
 */
export async function setAvatar(deps: Deps, user: User, file: ReceivedFile): Promise<User | string> {
  let picture: Uint8Array;
  try {
    picture = await new Bun.Image(await file.bytes(), { maxPixels: MAX_PIXELS })
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 85 })
      .bytes();
  } catch {
    return "That picture couldn't be read: please choose a JPEG, PNG, WebP or GIF image.";
  }
  const key = `avatar-${crypto.randomUUID().replaceAll("-", "")}`;
  await Bun.write(fileOnDisk(deps.config.dataDir, key), picture);
  return changeAvatar(deps, user, key);
}

export function removeAvatar(deps: Deps, user: User): Promise<User> {
  return changeAvatar(deps, user, null);
}

async function changeAvatar({ db, cache, publisher, config }: Deps, user: User, key: string | null): Promise<User> {
  const old = db.query<{ key: string | null }, [number]>("SELECT avatar_key AS key FROM users WHERE id = ?").get(user.id)?.key;
  db.query("UPDATE users SET avatar_key = ?, updated_at = ? WHERE id = ?").run(key, now(), user.id);
  cache.personChanged(user.id);
  const changed = findUser(db, user.id)!;
  const frame = avatarFrame(changed.id, avatarHtml(changed));
  for (const id of peopleWhoSee(db, user.id)) publisher.publish(userTopic(id), frame);
  if (old) await removeFiles(config.dataDir, { fileKey: old, previewKey: null });
  return changed;
}

/** The person and everyone who shares a room with them: whoever may have their face on screen. */
export function peopleWhoSee(db: Database, userId: number): number[] {
  return db
    .query<{ id: number }, [number, number]>(
      `SELECT DISTINCT others.user_id AS id FROM memberships mine JOIN memberships others ON others.room_id = mine.room_id
       WHERE mine.user_id = ? UNION SELECT ?`,
    )
    .all(userId, userId)
    .map((row) => row.id);
}

/** Initials on the person's colour, for people without a picture (the same look as the page's spans). */
export function initialsSvg(user: Pick<User, "id" | "name">): string {
  const text = initials(user.name).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${avatarColour(user.id)}"/><text x="32" y="32" dy=".35em" text-anchor="middle" font-family="system-ui,sans-serif" font-size="${text.length > 2 ? 20 : 26}" font-weight="600" fill="#fff">${text}</text></svg>`;
}

/** Bots get a small robot face. */
export const BOT_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#334155"/><line x1="32" y1="10" x2="32" y2="18" stroke="#e2e8f0" stroke-width="3"/><circle cx="32" cy="9" r="3" fill="#fbbf24"/><rect x="14" y="18" width="36" height="30" rx="8" fill="#e2e8f0"/><circle cx="25" cy="31" r="4" fill="#334155"/><circle cx="39" cy="31" r="4" fill="#334155"/><rect x="24" y="40" width="16" height="3" rx="1.5" fill="#334155"/></svg>`;
