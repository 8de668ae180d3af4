import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";
import { endOtherSessions } from "../sessions/sessions.ts";
import { findUser, findUserByEmail, hashPassword, type User } from "./users.ts";

export const MAX_BIO_CHARS = 200;

export type ProfileChange = { name: string; bio: string; emailAddress: string };

export const EMAIL_TAKEN = "That email address belongs to someone else on this Campfire.";

/**
 * Stores the person's name, bio and email address in one step; refused (nothing written) when the
 * address is another person's. The caller announces the change (`announcePersonChange`).
 */
export function updateProfile(db: Database, userId: number, change: ProfileChange): User | string {
  return db
    .transaction(() => {
      const owner = findUserByEmail(db, change.emailAddress);
      if (owner && owner.id !== userId) return EMAIL_TAKEN;
      db.query("UPDATE users SET name = $name, bio = $bio, email_address = $emailAddress, updated_at = $at WHERE id = $id").run({
        ...change,
        at: now(),
        id: userId,
      });
      return findUser(db, userId)!;
    })
    .immediate();
}

/**
 * A new password, given the current one: stored, and every other session of the person ends (a
 * password changed because it leaked must shut the door on whoever used it). The session that
 * asked stays signed in. The caller closes the ended sessions' sockets.
 */
export async function changePassword(
  db: Database,
  user: User,
  keptSessionId: number,
  passwords: { current: string; next: string },
): Promise<string | null> {
  const digest = db
    .query<{ digest: string | null }, [number]>("SELECT password_digest AS digest FROM users WHERE id = ?")
    .get(user.id)?.digest;
  if (!digest || !(await Bun.password.verify(passwords.current, digest))) return "Your current password isn't right.";
  const nextDigest = await hashPassword(passwords.next);
  db.transaction(() => {
    db.query("UPDATE users SET password_digest = ?, updated_at = ? WHERE id = ?").run(nextDigest, now(), user.id);
    endOtherSessions(db, user.id, keptSessionId);
  })();
  return null;
}
