import type { Database } from "bun:sqlite";
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
  db: Database,
  token: string,
  client: () => ClientInfo,
): { session: Session; user: User; refreshed: boolean } | null {
  const digest = digestToken(token);
  let row = rememberedSession(db, digest);
  if (!row) {
    row = db
      .query<SessionRow, [string]>(
        `SELECT sessions.id AS sessionId, sessions.last_active_at AS lastActiveAt, ${USER_COLUMNS}
         FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.token_digest = ? AND users.status = 'active'`,
      )
      .get(digest);
    if (!row) return null;
    rememberSession(db, digest, row);
  }
  const { sessionId, lastActiveAt, ...user } = row;
  const session: Session = { id: sessionId, userId: user.id, lastActiveAt };
  const at = now();
  const refreshed = at - session.lastActiveAt >= ACTIVITY_REFRESH_MS;
  if (refreshed) {
    db.query("UPDATE sessions SET last_active_at = $at, ip_address = $ipAddress, user_agent = $userAgent WHERE id = $id").run(
      { at, id: session.id, ...client() },
    );
    session.lastActiveAt = at;
    row.lastActiveAt = at;
  }
  return { session, user, refreshed };
}

// Every request resolves its session, so the answer is kept for a second: that saves a query per
// request. Ending sessions forgets them at once; anything else about a person (a new name or
// role) shows within the second. A second of the process's own time, not `now()`: a test that
// holds the clock still must not keep a session alive forever.
export const SESSION_MEMORY_MS = 1000;
const SESSION_MEMORY_LIMIT = 10_000;
type SessionRow = User & { sessionId: number; lastActiveAt: number };
const sessionMemory = new WeakMap<Database, Map<string, { row: SessionRow; until: number }>>();

function rememberedSession(db: Database, digest: string): SessionRow | null {
  const kept = sessionMemory.get(db)?.get(digest);
  return kept && kept.until > performance.now() ? kept.row : null;
}

function rememberSession(db: Database, digest: string, row: SessionRow): void {
  let memory = sessionMemory.get(db);
  if (!memory) sessionMemory.set(db, (memory = new Map()));
  if (memory.size >= SESSION_MEMORY_LIMIT) memory.clear();
  memory.set(digest, { row, until: performance.now() + SESSION_MEMORY_MS });
}

export function endSession(db: Database, sessionId: number): void {
  db.query("DELETE FROM sessions WHERE id = ?").run(sessionId);
  sessionMemory.delete(db);
}

/** Signs a person out everywhere, e.g. after a password reset. */
export function endAllSessions(db: Database, userId: number): void {
  db.query("DELETE FROM sessions WHERE user_id = ?").run(userId);
  sessionMemory.delete(db);
}
