import type { Database } from "bun:sqlite";
import { fileOnDisk, removeFiles } from "../attachments/attachments.ts";
import { type Actor, recordAdminAction } from "../audit/audit-log.ts";
import { now } from "../db/time.ts";
import type { ReceivedFile } from "../http/multipart.ts";
import type { IconSize } from "./branding.ts";

export const ICON_SIZES: readonly IconSize[] = [512, 192];
// A logo is a picture, not a decompression bomb.
const MAX_PIXELS = 50_000_000;

export const logoFileKey = (key: string, size: IconSize): string => `${key}-${size}.png`;

/**
 * A new logo: each icon size made with Bun.Image (fitted inside the square, as the original's
 * resize_to_limit) → written under a new key → the account points at it → the old files go.
 * Returns a reason when the file can't be read as a picture. The caller tells the read cache.
 */
export async function setLogo(db: Database, dataDir: string, actor: Actor, file: ReceivedFile): Promise<string | null> {
  const bytes = await file.bytes();
  const key = `logo-${crypto.randomUUID().replaceAll("-", "")}`;
  try {
    for (const size of ICON_SIZES) {
      const png = await new Bun.Image(bytes, { maxPixels: MAX_PIXELS }).resize(size, size, { fit: "inside" }).png().bytes();
      await Bun.write(fileOnDisk(dataDir, logoFileKey(key, size)), png);
    }
  } catch {
    await removeLogoFiles(dataDir, key);
    return "That logo couldn't be read: please choose a JPEG, PNG or WebP image.";
  }
  await replaceLogo(db, dataDir, actor, key);
  return null;
}

export function removeLogo(db: Database, dataDir: string, actor: Actor): Promise<void> {
  return replaceLogo(db, dataDir, actor, null);
}

async function replaceLogo(db: Database, dataDir: string, actor: Actor, key: string | null): Promise<void> {
  const old = db.transaction(() => {
    const previous = db.query<{ key: string | null }, []>("SELECT logo_key AS key FROM accounts WHERE id = 1").get()?.key ?? null;
    db.query("UPDATE accounts SET logo_key = ?, updated_at = ? WHERE id = 1").run(key, now());
    recordAdminAction(db, { actorId: actor.user.id, action: key ? "logo_changed" : "logo_removed", ip: actor.ip });
    return previous;
  })();
  if (old) await removeLogoFiles(dataDir, old);
}

async function removeLogoFiles(dataDir: string, key: string): Promise<void> {
  for (const size of ICON_SIZES) await removeFiles(dataDir, { fileKey: logoFileKey(key, size), previewKey: null });
}
