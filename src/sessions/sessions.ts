import type { Database } from "bun:sqlite";
import type { Reads } from "../cache/read-cache.ts";
import { now } from "../db/time.ts";
import { USER_COLUMNS, type User } from "../users/users.ts";

export type Session = { id: number; userId: number; lastActiveAt: number };
export type ClientInfo = { ipAddress: string | null; userAgent: string | null };

const TOKEN_BYTES = 32;
// Refreshing on every request would turn each page view into a write.
export const ACTIVITY_REFRESH_MS = 5 * 60_000;

export function digestToken(token: string): string {
  return new Bun.CryptoHasher("sha256").update(token).digest("hex");
}

/** Starts a session and returns the token for the cookie; only its digest is stored. */
export function startSession(db: Database, user: User, client: ClientInfo): string {
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES))).toString("base64url");
  const at = now();
  db.query(
    `INSERT INTO sessions (user_id, token_digest, ip_address, user_agent, last_active_at, created_at)
     VALUES ($userId, $digest, $ipAddress, $userAgent, $at, $at)`,
  ).run({ userId: user.id, digest: digestToken(token), ...client, at });
  return token;
}

/**
 * The session and its active user for a cookie token, or null; notes activity every few minutes
 * (`client` is asked for the address and browser only then).
 */
export function resumeSession(
  { db, cache }: Reads,
  token: string,
  client: () => ClientInfo,
): { session: Session; user: User; refreshed: boolean } | null {
  const digest = digestToken(token);
  const row = cache.sessionOr(digest, () =>
    db
      .query<SessionRow, [string]>(
        `SELECT sessions.id AS sessionId, sessions.last_active_at AS lastActiveAt, ${USER_COLUMNS}
         FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.token_digest = ? AND users.status = 'active'`,
      )
      .get(digest),
  );
  if (!row) return null;
  const { sessionId, lastActiveAt, ...user } = row;
  const session: Session = { id: sessionId, userId: user.id, lastActiveAt };
  const at = now();
  const refreshed = at - session.lastActiveAt >= ACTIVITY_REFRESH_MS;
  if (refreshed) {
    db.query("UPDATE sessions SET last_active_at = $at, ip_address = $ipAddress, user_agent = $userAgent WHERE id = $id").run({
      at,
      id: session.id,
      ...client(),
    });
    session.lastActiveAt = at;
    row.lastActiveAt = at;
  }
  return { session, user, refreshed };
}

/** A resolved session as the read cache keeps it (for a second, or until `sessionsEnded`). */
export type SessionRow = User & { sessionId: number; lastActiveAt: number };

/** Ends one session; the caller tells the read cache (`sessionsEnded`) and closes its sockets. */
export function endSession(db: Database, sessionId: number): void {
  db.query("DELETE FROM sessions WHERE id = ?").run(sessionId);
}

/** Signs a person out everywhere, e.g. after a password reset (from the CLI: the server notices). */
export function endAllSessions(db: Database, userId: number): void {
  db.query("DELETE FROM sessions WHERE user_id = ?").run(userId);
}

/** Of these sessions, the ones that still exist and belong to an active person. */
export function liveSessionIds(db: Database, sessionIds: number[]): Set<number> {
  const rows = db
    .query<{ id: number }, [string]>(
      `SELECT sessions.id FROM sessions JOIN users ON users.id = sessions.user_id
       WHERE users.status = 'active' AND sessions.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(sessionIds));
  return new Set(rows.map((row) => row.id));
}

export type SessionListing = { id: number; ipAddress: string | null; userAgent: string | null; lastActiveAt: number; createdAt: number };

/** A person's sessions, most recently active first, for "where am I signed in". */
export function sessionsOf(db: Database, userId: number): SessionListing[] {
  return db
    .query<SessionListing, [number]>(
      `SELECT id, ip_address AS ipAddress, user_agent AS userAgent, last_active_at AS lastActiveAt, created_at AS createdAt
       FROM sessions WHERE user_id = ? ORDER BY last_active_at DESC, id DESC`,
    )
    .all(userId);
}

/** Ends one of the person's own sessions; false when they have no such session. */
export function endSessionOf(db: Database, userId: number, sessionId: number): boolean {
  return db.query("DELETE FROM sessions WHERE id = ? AND user_id = ?").run(sessionId, userId).changes > 0;
}

/** Ends every session of the person but this one (after a password change). */
export function endOtherSessions(db: Database, userId: number, keptSessionId: number): void {
  db.query("DELETE FROM sessions WHERE user_id = ? AND id != ?").run(userId, keptSessionId);
}

/** The addresses the person's sessions came from, each with the other active people who have sessions from it too. */
export function sessionAddressesOf(db: Database, userId: number): { ip: string; otherPeople: string[] }[] {
  return db
    .query<{ ip: string; others: string }, [number]>(
      `SELECT mine.ip,
              (SELECT json_group_array(DISTINCT users.name) FROM sessions JOIN users ON users.id = sessions.user_id
               WHERE sessions.ip_address = mine.ip AND sessions.user_id != ?1 AND users.status = 'active') AS others
       FROM (SELECT DISTINCT ip_address AS ip FROM sessions WHERE user_id = ?1 AND ip_address IS NOT NULL) AS mine
       ORDER BY mine.ip`,
    )
    .all(userId)
    .map((row) => ({ ip: row.ip, otherPeople: JSON.parse(row.others) }));
}
