import type { Database } from "bun:sqlite";
import { type Actor, recordAdminAction } from "../audit/audit-log.ts";
import { now } from "../db/time.ts";
import { digestToken } from "./sessions.ts";

/** As the original: long enough to walk to another device, short enough that a lost link soon stops mattering. */
export const TRANSFER_VALID_MS = 4 * 60 * 60_000;
// 256 bits: guessing one is out of reach, and only its digest is stored.
const TOKEN_BYTES = 32;

/** A link that signs the person in once on another device; returns its token (never stored as such). */
export function makeTransfer(db: Database, userId: number, createdById: number): string {
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES))).toString("base64url");
  const at = now();
  db.query(
    `INSERT INTO session_transfers (user_id, token_digest, created_by_id, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(userId, digestToken(token), createdById, at + TRANSFER_VALID_MS, at);
  return token;
}

/** An administrator's link for someone locked out (the original's answer to a lost password), logged. */
export function makeTransferFor(db: Database, actor: Actor, userId: number): string {
  return db.transaction(() => {
    const token = makeTransfer(db, userId, actor.user.id);
    recordAdminAction(db, { actorId: actor.user.id, action: "transfer_link_made", subjectId: userId, ip: actor.ip });
    return token;
  })();
}

/**
 * Uses the link up: the person it signs in, if it is unused, unexpired and theirs is an active
 * account; null otherwise. One UPDATE marks it used, so two devices racing for it can't both win.
 */
export function redeemTransfer(db: Database, token: string): number | null {
  const at = now();
  const rows = db
    .query<{ userId: number }, [number, string, number]>(
      `UPDATE session_transfers SET used_at = ?
       WHERE token_digest = ? AND used_at IS NULL AND expires_at > ?
         AND user_id IN (SELECT id FROM users WHERE status = 'active' AND role != 'bot')
       RETURNING user_id AS userId`,
    )
    .all(at, digestToken(token), at);
  return rows[0]?.userId ?? null;
}

/** Whether a link would still work (the page that asks "sign in here?" says so before anyone presses). */
export function transferIsUsable(db: Database, token: string): boolean {
  return (
    db
      .query("SELECT 1 FROM session_transfers WHERE token_digest = ? AND used_at IS NULL AND expires_at > ?")
      .get(digestToken(token), now()) !== null
  );
}

/** The person's unused links stop working (deactivation, ban). */
export function forgetTransfers(db: Database, userId: number): void {
  db.query("UPDATE session_transfers SET expires_at = 0 WHERE user_id = ? AND used_at IS NULL").run(userId);
}
