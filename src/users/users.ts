import type { Database } from "bun:sqlite";
import type { Reads } from "../cache/read-cache.ts";
import { now } from "../db/time.ts";
import { grantOpenRoomsTo } from "../rooms/memberships.ts";

export type Role = "member" | "admin" | "bot";
export type UserStatus = "active" | "deactivated" | "banned";
export type User = {
  id: number;
  name: string;
  emailAddress: string | null;
  role: Role;
  status: UserStatus;
  bio: string;
  soundsMuted: 0 | 1;
  /** The uploaded picture's file key; null shows initials. */
  avatarKey: string | null;
};

const BCRYPT_COST = 10;
export const USER_COLUMNS =
  "users.id, users.name, users.email_address AS emailAddress, users.role, users.status, users.bio, users.sounds_muted = 1 AS soundsMuted, users.avatar_key AS avatarKey";

export const isAdministrator = (user: User): boolean => user.role === "admin";

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: "bcrypt", cost: BCRYPT_COST });
}

export function anyUsers(db: Database): boolean {
  return db.query<{ present: number }, []>("SELECT EXISTS (SELECT 1 FROM users) AS present").get()!.present === 1;
}

export function findUser(db: Database, id: number): User | null {
  return db.query<User, [number]>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id);
}

/**
 * People's current names by id, whatever their status (a mention outlives an active account); a
 * deactivated person's is marked so, as their messages are.
 */
export function namesOf(db: Database, ids: number[]): Record<string, string> {
  const rows = db
    .query<{ id: number; name: string }, [string]>(
      `SELECT id, CASE status WHEN 'deactivated' THEN name || ' (deactivated)' ELSE name END AS name
       FROM users WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids));
  return Object.fromEntries(rows.map((row) => [row.id, row.name]));
}

/** People's names as their messages show them (as namesOf), kept in the read cache until they change. */
export function shownNamesOf({ db, cache }: Reads, ids: number[]): ReadonlyMap<number, string> {
  return cache.shownNamesOf(ids, (missing) => new Map(Object.entries(namesOf(db, missing)).map(([id, name]) => [Number(id), name])));
}

export function findUserByEmail(db: Database, emailAddress: string): User | null {
  return db.query<User, [string]>(`SELECT ${USER_COLUMNS} FROM users WHERE email_address = ?`).get(emailAddress);
}

/** The person the sign-in page names for help: the first administrator still active. */
export function firstAdministrator(db: Database): User | null {
  return db.query<User, []>(`SELECT ${USER_COLUMNS} FROM users WHERE role = 'admin' AND status = 'active' ORDER BY id LIMIT 1`).get();
}

/** Adds a person to the account; they join every open room at once. */
export function createUser(
  db: Database,
  input: { name: string; emailAddress: string; passwordDigest: string; role: Exclude<Role, "bot"> },
): User {
  const at = now();
  return db.transaction(() => {
    const { lastInsertRowid } = db
      .query(
        `INSERT INTO users (name, email_address, password_digest, role, created_at, updated_at)
         VALUES ($name, $emailAddress, $passwordDigest, $role, $at, $at)`,
      )
      .run({ ...input, at });
    const userId = Number(lastInsertRowid);
    grantOpenRoomsTo(db, userId);
    return findUser(db, userId)!;
  })();
}

/** Signs up a person unless their email address is taken (in any case); null means they already have an account. */
export function createUserUnlessEmailTaken(db: Database, input: Parameters<typeof createUser>[1]): User | null {
  return db.transaction(() => (findUserByEmail(db, input.emailAddress) ? null : createUser(db, input))).immediate();
}

/** The people on the account page: active humans, administrators first, then by name. */
export function activePeople(db: Database): User[] {
  return db
    .query<User, []>(
      `SELECT ${USER_COLUMNS} FROM users WHERE status = 'active' AND role != 'bot'
       ORDER BY role = 'admin' DESC, name COLLATE NOCASE, id`,
    )
    .all();
}

/** Whether anyone but this person (bots aside) is on the Campfire: a fresh install has only its first administrator. */
export function isAlone(db: Database, userId: number): boolean {
  return db.query("SELECT 1 FROM users WHERE status = 'active' AND role != 'bot' AND id != ? LIMIT 1").get(userId) === null;
}

export type UserMatch = Pick<User, "id" | "name" | "avatarKey">;

/**
 * Active people and bots whose name contains `query` (ASCII case-insensitively, as SQLite's LIKE is),
 * optionally only the members of one room; for @mentions and people pickers.
 */
export function searchUsers(db: Database, search: { query: string; roomId?: number; limit: number }): UserMatch[] {
  // The query is literal text: %, _ and \ in a name match themselves, not as wildcards.
  const pattern = `%${search.query.replace(/[\\%_]/g, "\\$&")}%`;
  return db
    .query<UserMatch, { pattern: string; roomId: number | null; limit: number }>(
      `SELECT id, name, avatar_key AS avatarKey FROM users
       WHERE status = 'active' AND name LIKE $pattern ESCAPE '\\'
         AND ($roomId IS NULL OR EXISTS (SELECT 1 FROM memberships WHERE room_id = $roomId AND user_id = users.id))
       ORDER BY name COLLATE NOCASE, id
       LIMIT $limit`,
    )
    .all({ pattern, roomId: search.roomId ?? null, limit: search.limit });
}

/** Checks a password against an active person's account; bots, deactivated and banned users never sign in. */
export async function authenticate(db: Database, emailAddress: string, password: string): Promise<User | null> {
  const row = db
    .query<{ id: number; digest: string | null }, [string]>(
      "SELECT id, password_digest AS digest FROM users WHERE email_address = ? AND status = 'active' AND role != 'bot'",
    )
    .get(emailAddress);
  if (!row?.digest) {
    // Check anyway so a missing account takes as long as a wrong password.
    await Bun.password.verify(password, UNKNOWN_ACCOUNT_DIGEST);
    return null;
  }
  return (await Bun.password.verify(password, row.digest)) ? findUser(db, row.id) : null;
}

// A digest of a random password at BCRYPT_COST, fixed so that even the first unknown address costs
// one check and no hashing (making it on first need made that attempt twice as slow).
const UNKNOWN_ACCOUNT_DIGEST = "$2b$10$DhnfYIYzeVCQDzIddH6DOOWzzJSoqe2/boMIW9uydyQkbvrDOzuUO";

export function setPasswordDigest(db: Database, userId: number, passwordDigest: string): void {
  db.query("UPDATE users SET password_digest = ?, updated_at = ? WHERE id = ?").run(passwordDigest, now(), userId);
}

/** Renames a person; the caller tells the read cache (`personChanged`) once this has committed. */
export function renameUser(db: Database, userId: number, name: string): void {
  db.query("UPDATE users SET name = ?, updated_at = ? WHERE id = ?").run(name, now(), userId);
}

/** The active people among these ids, by name (a people picker's chosen list). */
export function activeUsersById(db: Database, ids: number[]): { id: number; name: string }[] {
  return db
    .query<{ id: number; name: string }, [string]>(
      "SELECT id, name FROM users WHERE status = 'active' AND id IN (SELECT value FROM json_each(?)) ORDER BY name COLLATE NOCASE, id",
    )
    .all(JSON.stringify(ids));
}

/** Switches /play sounds off (or back on) for the person; the caller tells the read cache (`personChanged`). */
export function setSoundsMuted(db: Database, userId: number, muted: boolean): void {
  db.query("UPDATE users SET sounds_muted = ?, updated_at = ? WHERE id = ?").run(muted ? 1 : 0, now(), userId);
}

/**
 * The people (any status: a departed author's messages are still theirs) called `name`, whole name
 * or first name, case-insensitively: `from:ada` and `from:"Ada Lovelace"` both find Ada Lovelace.
 */
export function peopleNamed(db: Database, name: string): number[] {
  const first = `${name.replace(/[\\%_]/g, "\\$&")} %`;
  return db
    .query<{ id: number }, [string, string]>("SELECT id FROM users WHERE name = ? COLLATE NOCASE OR name LIKE ? ESCAPE '\\'")
    .all(name, first)
    .map((row) => row.id);
}

/** Everyone who can sign in, for the demo's one-click buttons: administrators first. */
export function demoPeople(db: Database): { id: number; name: string; role: string }[] {
  return db
    .query<{ id: number; name: string; role: string }, []>(
      "SELECT id, name, role FROM users WHERE status = 'active' AND role != 'bot' ORDER BY role = 'admin' DESC, id",
    )
    .all();
}
