import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";
import { grantOpenRoomsTo } from "../rooms/memberships.ts";
import { USER_COLUMNS, type User } from "../users/users.ts";

export type Bot = User & { key: string; webhookUrl: string | null; webhookSecret: string | null };

// 20 characters from 62: 119 bits, beyond guessing; letters and digits only, so a key needs no
// quoting in a URL or a shell line.
const TOKEN_LENGTH = 20;
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** What a bot key looks like in a path: `<bot user id>-<token>`. */
export const BOT_KEY_PATTERN = "[0-9]+-[A-Za-z0-9]+";

function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  let token = "";
  // Bytes of 248 and above are skipped so every character is equally likely (248 = 4 × 62).
  for (const byte of bytes) if (byte < 248 && token.length < length) token += ALPHANUMERIC[byte % 62];
  return token.length === length ? token : randomToken(length);
}

const webhookSecret = (): string => `whsec_${randomToken(32)}`;

const BOT_COLUMNS = `${USER_COLUMNS}, users.id || '-' || users.bot_token AS key, webhooks.url AS webhookUrl, webhooks.secret AS webhookSecret`;
const FROM_BOTS = "FROM users LEFT JOIN webhooks ON webhooks.user_id = users.id";

/** The active bots, by name, for the administrators' list. */
export function activeBots(db: Database): Bot[] {
  return db
    .query<Bot, []>(
      `SELECT ${BOT_COLUMNS} ${FROM_BOTS} WHERE users.role = 'bot' AND users.status = 'active' ORDER BY users.name COLLATE NOCASE, users.id`,
    )
    .all();
}

export function findBot(db: Database, id: number): Bot | null {
  return db
    .query<Bot, [number]>(`SELECT ${BOT_COLUMNS} ${FROM_BOTS} WHERE users.id = ? AND users.role = 'bot' AND users.status = 'active'`)
    .get(id);
}

/**
 * The active bot a key belongs to, or null. A key is `<id>-<token>`, as the original's, so bots
 * written for it work unchanged; surrounding spaces (a pasted line) are forgiven.
 */
export function findBotByKey(db: Database, key: string): User | null {
  const match = key.trim().match(/^([1-9][0-9]{0,15})-([A-Za-z0-9]+)$/);
  if (!match) return null;
  return db
    .query<User, [number, string]>(
      `SELECT ${USER_COLUMNS} FROM users WHERE id = ? AND bot_token = ? AND role = 'bot' AND status = 'active'`,
    )
    .get(Number(match[1]), match[2]!);
}

/** Adds a bot: it joins every open room at once, as people do. */
export function createBot(db: Database, input: { name: string; webhookUrl: string | null }): Bot {
  return db.transaction(() => {
    const at = now();
    const { lastInsertRowid } = db
      .query("INSERT INTO users (name, role, bot_token, created_at, updated_at) VALUES (?, 'bot', ?, ?, ?)")
      .run(input.name, randomToken(TOKEN_LENGTH), at, at);
    const id = Number(lastInsertRowid);
    grantOpenRoomsTo(db, id);
    setWebhook(db, id, input.webhookUrl);
    return findBot(db, id)!;
  })();
}

/** Renames a bot and sets its webhook (null removes it); the caller tells the read cache (`personChanged`). */
export function updateBot(db: Database, id: number, input: { name: string; webhookUrl: string | null }): Bot {
  return db.transaction(() => {
    db.query("UPDATE users SET name = ?, updated_at = ? WHERE id = ?").run(input.name, now(), id);
    setWebhook(db, id, input.webhookUrl);
    return findBot(db, id)!;
  })();
}

/** A new key (and webhook secret): the old ones stop working at once, as a leaked key should. */
export function renewBotKey(db: Database, id: number): Bot {
  return db.transaction(() => {
    db.query("UPDATE users SET bot_token = ?, updated_at = ? WHERE id = ?").run(randomToken(TOKEN_LENGTH), now(), id);
    db.query("UPDATE webhooks SET secret = ? WHERE user_id = ?").run(webhookSecret(), id);
    return findBot(db, id)!;
  })();
}

/**
 * Deactivates a bot: its key stops working and it leaves every room but its direct ones (whose
 * history stays readable, as for a person who leaves). Returns the rooms it left.
 */
export function deactivateBot(db: Database, id: number): number[] {
  return db.transaction(() => {
    const left = db
      .query<{ roomId: number }, [number]>(
        `DELETE FROM memberships WHERE user_id = ? AND room_id IN (SELECT id FROM rooms WHERE kind != 'direct') RETURNING room_id AS roomId`,
      )
      .all(id)
      .map((row) => row.roomId);
    db.query("UPDATE users SET status = 'deactivated', updated_at = ? WHERE id = ? AND role = 'bot'").run(now(), id);
    return left;
  })();
}

/** Keeps the secret when only the address changes, so a receiver already set up keeps verifying. */
function setWebhook(db: Database, botId: number, url: string | null): void {
  if (url === null) {
    db.query("DELETE FROM webhooks WHERE user_id = ?").run(botId);
    return;
  }
  db.query(
    `INSERT INTO webhooks (user_id, url, secret, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET url = excluded.url`,
  ).run(botId, url, webhookSecret(), now());
}

/** The rooms a bot is in, by name, for its page's curl lines (direct rooms are named by their people). */
export function botRooms(db: Database, botId: number): { id: number; kind: string; name: string | null }[] {
  return db
    .query<{ id: number; kind: string; name: string | null }, [number]>(
      `SELECT rooms.id, rooms.kind, rooms.name FROM memberships JOIN rooms ON rooms.id = memberships.room_id
       WHERE memberships.user_id = ? ORDER BY rooms.kind = 'direct', rooms.name COLLATE NOCASE, rooms.id`,
    )
    .all(botId);
}

export const isBot = (user: Pick<User, "role">): boolean => user.role === "bot";
