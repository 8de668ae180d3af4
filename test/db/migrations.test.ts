import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { openDatabase } from "../../src/db/connection.ts";
import { MIGRATIONS, migrate } from "../../src/db/migrations.ts";
import { INDEX_BATCH, indexPendingMessages } from "../../src/search/indexer.ts";
import { databasePath } from "../../src/server.ts";
import { makeDataDir, startTestServer } from "../helpers/server.ts";

const dirs: string[] = [];
const freshDir = () => {
  const dir = makeDataDir();
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const TABLES = [
  "accounts", "secrets", "users", "sessions", "rooms", "memberships", "attachments", "messages", "mentions",
  "boosts", "searches", "push_subscriptions", "webhooks", "bans", "jobs", "message_search_index",
];

test("a new database gets every migration, in order, and every table of the design", () => {
  const db = openDatabase(databasePath(freshDir()));
  expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.name));
  expect((db.query("PRAGMA user_version").get() as { user_version: number }).user_version).toBe(MIGRATIONS.length);
  const names = (db.query("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
  for (const table of TABLES) expect(names).toContain(table);
  db.close();
});

test("a second start applies nothing and keeps the data", async () => {
  const dir = freshDir();
  const first = startTestServer(dir);
  expect(first.logs.some((l) => l.includes("database migrated"))).toBe(true);
  first.db.query("INSERT INTO secrets (name, value, created_at) VALUES ('probe', 'kept', 0)").run();
  await first.stop();

  const second = startTestServer(dir);
  expect(second.logs.some((l) => l.includes("database migrated"))).toBe(false);
  expect(migrate(second.db)).toEqual([]);
  expect(second.db.query("SELECT value FROM secrets WHERE name = 'probe'").get()).toEqual({ value: "kept" });
  await second.stop();
});

test("a database from a newer Campfire is refused rather than damaged", () => {
  const db = openDatabase(databasePath(freshDir()));
  db.run(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
  expect(() => migrate(db)).toThrow(/newer than this Campfire/);
  db.close();
});

test("connections use WAL, synchronous=NORMAL, foreign keys and a busy timeout", () => {
  const db = openDatabase(databasePath(freshDir()));
  expect(db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
  expect(db.query("PRAGMA synchronous").get()).toEqual({ synchronous: 1 });
  expect(db.query("PRAGMA foreign_keys").get()).toEqual({ foreign_keys: 1 });
  expect(db.query("PRAGMA busy_timeout").get()).toEqual({ timeout: 5000 });
  db.close();
});

describe("the search index", () => {
  let db: Database;
  beforeEach(() => {
    db = openDatabase(databasePath(freshDir()));
    migrate(db);
    db.run("INSERT INTO users (id, name, email_address, role, created_at, updated_at) VALUES (1, 'A', 'a@x.io', 'admin', 0, 0)");
    db.run("INSERT INTO rooms (id, kind, name, creator_id, created_at, updated_at) VALUES (1, 'open', 'R', 1, 0, 0)");
  });
  afterEach(() => {
    db.run("INSERT INTO message_search_index (message_search_index) VALUES ('integrity-check')");
    db.close();
  });
  const insert = (id: number, text: string) =>
    db.run(`INSERT INTO messages (id, room_id, creator_id, client_message_id, body_html, body_plain, created_at, updated_at)
            VALUES (${id}, 1, 1, 'c${id}', '<p>${text}</p>', '${text}', 0, 0)`);
  const find = (q: string) => (db.query("SELECT rowid FROM message_search_index WHERE message_search_index MATCH ?").all(q) as { rowid: number }[]).map((r) => r.rowid);

  test("takes new messages in batches, then follows their edits and deletions at once", () => {
    insert(1, "running late");
    expect(find("run")).toEqual([]); // not indexed until the indexer runs
    expect(indexPendingMessages(db)).toBe(1);
    expect(find("run")).toEqual([1]); // porter stemming: "run" finds "running"
    db.run("UPDATE messages SET body_plain = 'on my way' WHERE id = 1");
    expect(find("running")).toEqual([]);
    expect(find("way")).toEqual([1]);
    db.run("DELETE FROM messages WHERE id = 1");
    expect(find("way")).toEqual([]);
    expect(indexPendingMessages(db)).toBe(0);
  });

  test("a message edited or deleted before it was indexed is indexed as it ends up, or not at all", () => {
    insert(1, "first draft");
    insert(2, "doomed words");
    db.run("UPDATE messages SET body_plain = 'final version' WHERE id = 1");
    db.run("DELETE FROM messages WHERE id = 2");
    expect(indexPendingMessages(db)).toBe(1);
    expect(find("draft")).toEqual([]);
    expect(find("final")).toEqual([1]);
    expect(find("doomed")).toEqual([]);
  });

  test("a new message that reuses the id of a deleted newest one is still indexed", () => {
    insert(1, "keep this");
    insert(2, "soon deleted");
    indexPendingMessages(db);
    db.run("DELETE FROM messages WHERE id = 2");
    db.run(`INSERT INTO messages (room_id, creator_id, client_message_id, body_html, body_plain, created_at, updated_at)
            VALUES (1, 1, 'again', 'reborn', 'reborn', 0, 0)`);
    expect(db.query("SELECT max(id) AS id FROM messages").get()).toEqual({ id: 2 });
    expect(indexPendingMessages(db)).toBe(1);
    expect(find("reborn")).toEqual([2]);
    expect(find("deleted")).toEqual([]);
  });

  test("indexes a long backlog in batches, none missed", () => {
    for (let id = 1; id <= INDEX_BATCH * 2 + 7; id++) insert(id, `word${id} common`);
    expect(indexPendingMessages(db, INDEX_BATCH)).toBe(INDEX_BATCH);
    expect(indexPendingMessages(db)).toBe(INDEX_BATCH + 7);
    expect(find("common")).toHaveLength(INDEX_BATCH * 2 + 7);
  });
});

test("constraints reject bad rows instead of storing them", () => {
  const db = openDatabase(databasePath(freshDir()));
  migrate(db);
  expect(() => db.run("INSERT INTO users (name, role, created_at, updated_at) VALUES ('x', 'overlord', 0, 0)")).toThrow();
  expect(() => db.run("INSERT INTO memberships (room_id, user_id, created_at) VALUES (99, 99, 0)")).toThrow(/FOREIGN KEY/);
  expect(() => db.run("INSERT INTO jobs (kind, payload, run_at, created_at) VALUES ('push', 'not json', 0, 0)")).toThrow();
  db.close();
});
