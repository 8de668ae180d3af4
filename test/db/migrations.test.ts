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
  "accounts",
  "secrets",
  "users",
  "sessions",
  "rooms",
  "memberships",
  "attachments",
  "messages",
  "mentions",
  "boosts",
  "searches",
  "push_subscriptions",
  "webhooks",
  "bans",
  "jobs",
  "message_search_index",
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
    db.run(`INSERT INTO messages (id, room_id, creator_id, client_message_id, body_html, body_plain, change_seq, created_at, updated_at)
            VALUES (${id}, 1, 1, 'c${id}', '<p>${text}</p>', '${text}', ${id}, 0, 0)`);
  const find = (q: string) =>
    (db.query("SELECT rowid FROM message_search_index WHERE message_search_index MATCH ?").all(q) as { rowid: number }[]).map(
      (r) => r.rowid,
    );

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

  /** A message as a post stores it: the id is SQLite's to choose. */
  const post = (room: number, text: string): number =>
    Number(
      db.run(`INSERT INTO messages (room_id, creator_id, client_message_id, body_html, body_plain, change_seq, created_at, updated_at)
              VALUES (${room}, 1, '${crypto.randomUUID()}', '${text}', '${text}', 0, 0, 0)`).lastInsertRowid,
    );

  test("after the newest messages are deleted, in either order, the next ones are still indexed", () => {
    for (const [order, word] of [
      ["oldest first", "phoenix"],
      ["newest first", "lazarus"],
    ] as const) {
      post(1, "kept");
      const doomed = [post(1, "doomed"), post(1, "doomed"), post(1, "doomed")];
      indexPendingMessages(db);
      for (const id of order === "oldest first" ? doomed : doomed.toReversed()) db.run(`DELETE FROM messages WHERE id = ${id}`);
      const next = post(1, word);
      expect(next).toBeGreaterThan(Math.max(...doomed)); // never a deleted message's id
      expect(indexPendingMessages(db)).toBe(1);
      expect(find(word)).toEqual([next]);
    }
    expect(find("doomed")).toEqual([]);
  });

  test("after a whole room is deleted, the next messages are still indexed", () => {
    db.run("INSERT INTO rooms (id, kind, name, creator_id, created_at, updated_at) VALUES (2, 'open', 'Doomed', 1, 0, 0)");
    post(1, "kept");
    const doomed = [post(2, "doomed"), post(2, "doomed")];
    indexPendingMessages(db);
    db.run("DELETE FROM rooms WHERE id = 2");
    expect(find("doomed")).toEqual([]);
    const next = post(1, "survivor");
    expect(next).toBeGreaterThan(Math.max(...doomed));
    expect(indexPendingMessages(db)).toBe(1);
    expect(find("survivor")).toEqual([next]);
  });

  test("indexes a long backlog in batches, none missed", () => {
    for (let id = 1; id <= INDEX_BATCH * 2 + 7; id++) insert(id, `word${id} common`);
    expect(indexPendingMessages(db, INDEX_BATCH)).toBe(INDEX_BATCH);
    expect(indexPendingMessages(db)).toBe(INDEX_BATCH + 7);
    expect(find("common")).toHaveLength(INDEX_BATCH * 2 + 7);
  });
});

test("a database built before ids were kept unique is migrated with every row, reference and search entry intact", () => {
  const db = openDatabase(databasePath(freshDir()));
  // The schema as it shipped before 004, with some of everything in it.
  db.run("PRAGMA foreign_keys = OFF");
  for (const migration of MIGRATIONS.slice(0, 3)) db.run(migration.sql);
  db.run("PRAGMA user_version = 3");
  db.run("PRAGMA foreign_keys = ON");
  db.run(`INSERT INTO users (id, name, email_address, role, created_at, updated_at) VALUES
          (1, 'Ada', 'ada@x.io', 'admin', 0, 0), (2, 'Bob', 'bob@x.io', 'member', 0, 0)`);
  db.run("INSERT INTO sessions (user_id, token_digest, last_active_at, created_at) VALUES (1, 'digest', 0, 0)");
  db.run(`INSERT INTO rooms (id, kind, name, creator_id, created_at, updated_at) VALUES
          (1, 'open', 'One', 1, 0, 0), (2, 'open', 'Two', 1, 0, 0)`);
  db.run("INSERT INTO memberships (room_id, user_id, created_at) VALUES (1, 1, 0), (1, 2, 0), (2, 1, 0)");
  db.run(
    "INSERT INTO attachments (id, file_key, filename, content_type, byte_size, created_at) VALUES (1, 'k', 'a.png', 'image/png', 3, 0)",
  );
  const old = (id: number, room: number, creator: number, key: string, text: string, attachment = "NULL") =>
    db.run(`INSERT INTO messages (id, room_id, creator_id, client_message_id, body_html, body_plain, attachment_id, created_at, updated_at)
            VALUES (${id}, ${room}, ${creator}, '${key}', '<p>${text}</p>', '${text}', ${attachment}, ${id}, ${id})`);
  old(1, 1, 1, "a", "alpha words", "1");
  old(2, 2, 1, "b", "bravo words");
  old(3, 1, 2, "c", "charlie words");
  old(4, 1, 2, "d", "delta words");
  db.run("INSERT INTO mentions (message_id, user_id) VALUES (3, 1)");
  db.run("INSERT INTO boosts (id, message_id, booster_id, content, created_at) VALUES (1, 3, 1, '👍', 0)");
  indexPendingMessages(db);
  const tables = ["users", "sessions", "rooms", "memberships", "attachments", "messages", "mentions", "boosts"];
  type Row = Record<string, unknown>;
  const snapshot = () => Object.fromEntries(tables.map((table) => [table, db.query<Row, []>(`SELECT * FROM ${table} ORDER BY id`).all()]));
  const before = snapshot();

  expect(migrate(db)).toEqual(MIGRATIONS.slice(3).map((m) => m.name));

  // Every row is still there as it was, apart from columns added since (change numbers, link
  // previews); nothing cascaded away.
  const after = snapshot();
  const oldColumns = (rows: Row[], table: string) => {
    const kept = Object.keys(before[table]![0] ?? {});
    return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => kept.includes(k))));
  };
  for (const table of tables) expect(oldColumns(after[table]!, table)).toEqual(before[table]!);
  expect(db.query("PRAGMA foreign_key_check").all()).toEqual([]);
  expect(db.query("PRAGMA foreign_keys").get()).toEqual({ foreign_keys: 1 });
  // Existing messages are numbered by id; each room's counter is its newest message.
  expect(db.query("SELECT id, change_seq AS seq FROM messages ORDER BY id").all()).toEqual([1, 2, 3, 4].map((id) => ({ id, seq: id })));
  expect(db.query("SELECT id, change_seq AS seq FROM rooms ORDER BY id").all()).toEqual([
    { id: 1, seq: 4 },
    { id: 2, seq: 2 },
  ]);
  // Search still finds the old messages and follows their edits and deletions.
  const find = (q: string) =>
    (db.query("SELECT rowid FROM message_search_index WHERE message_search_index MATCH ?").all(q) as { rowid: number }[]).map(
      (r) => r.rowid,
    );
  expect(find("words")).toEqual([1, 2, 3, 4]);
  db.run("UPDATE messages SET body_plain = 'echo' WHERE id = 3");
  expect(find("charlie")).toEqual([]);
  expect(find("echo")).toEqual([3]);
  // The newest message deleted, its id is not handed out again, in any of the rebuilt tables.
  db.run("DELETE FROM messages WHERE id = 4");
  expect(find("delta")).toEqual([]);
  const insert = (sql: string) => Number(db.run(sql).lastInsertRowid);
  expect(
    insert(`INSERT INTO messages (room_id, creator_id, client_message_id, body_plain, change_seq, created_at, updated_at)
                 VALUES (1, 1, 'e', 'foxtrot', 5, 0, 0)`),
  ).toBe(5);
  db.run("DELETE FROM rooms WHERE id = 2");
  expect(insert("INSERT INTO rooms (kind, name, creator_id, created_at, updated_at) VALUES ('open', 'Three', 1, 0, 0)")).toBe(3);
  db.run("DELETE FROM messages WHERE creator_id = 2");
  db.run("DELETE FROM users WHERE id = 2");
  expect(insert("INSERT INTO users (name, email_address, role, created_at, updated_at) VALUES ('Cy', 'cy@x.io', 'member', 0, 0)")).toBe(3);
  db.run("DELETE FROM boosts WHERE id = 1");
  expect(insert("INSERT INTO boosts (message_id, booster_id, content, created_at) VALUES (1, 1, 'x', 0)")).toBe(2);
  db.run("DELETE FROM attachments WHERE id = 1");
  expect(
    insert("INSERT INTO attachments (file_key, filename, content_type, byte_size, created_at) VALUES ('k2', 'b', 'text/plain', 1, 0)"),
  ).toBe(2);
  // A client_message_id is unique per author within a room, not per room.
  expect(
    insert(`INSERT INTO messages (room_id, creator_id, client_message_id, body_plain, change_seq, created_at, updated_at)
                 VALUES (1, 3, 'a', 'same key, other author', 6, 0, 0)`),
  ).toBe(6);
  expect(() =>
    db.run(`INSERT INTO messages (room_id, creator_id, client_message_id, change_seq, created_at, updated_at) VALUES (1, 1, 'a', 7, 0, 0)`),
  ).toThrow(/UNIQUE/);
  indexPendingMessages(db);
  db.run("INSERT INTO message_search_index (message_search_index) VALUES ('integrity-check')");
  db.close();
});

test("boosts are rebuilt to hold 16 characters of any kind, keeping every row and the highest id ever handed out", () => {
  const db = openDatabase(databasePath(freshDir()));
  db.run("PRAGMA foreign_keys = OFF");
  for (const migration of MIGRATIONS.slice(0, 4)) db.run(migration.sql);
  db.run("PRAGMA user_version = 4");
  db.run("PRAGMA foreign_keys = ON");
  db.run("INSERT INTO users (id, name, email_address, role, created_at, updated_at) VALUES (1, 'Ada', 'ada@x.io', 'admin', 0, 0)");
  db.run("INSERT INTO rooms (id, kind, name, creator_id, created_at, updated_at) VALUES (1, 'open', 'One', 1, 0, 0)");
  db.run(
    "INSERT INTO messages (id, room_id, creator_id, client_message_id, change_seq, created_at, updated_at) VALUES (1, 1, 1, 'a', 1, 0, 0)",
  );
  db.run("INSERT INTO boosts (message_id, booster_id, content, created_at) VALUES (1, 1, '👍', 1), (1, 1, 'yes', 2), (1, 1, '🎉', 3)");
  db.run("DELETE FROM boosts WHERE id = 3");
  // Sixteen flags are sixteen characters to a reader but 32 to SQLite's length(): the old table refused them.
  const flags = "🇫🇷".repeat(16);
  expect(() => db.run("INSERT INTO boosts (message_id, booster_id, content, created_at) VALUES (1, 1, ?, 0)", [flags])).toThrow(/CHECK/);

  expect(migrate(db)).toEqual(MIGRATIONS.slice(4).map((m) => m.name));
  expect(db.query("SELECT id, content FROM boosts ORDER BY id").all()).toEqual([
    { id: 1, content: "👍" },
    { id: 2, content: "yes" },
  ]);
  db.run("INSERT INTO boosts (message_id, booster_id, content, created_at) VALUES (1, 1, ?, 0)", [flags]);
  expect(db.query("SELECT max(id) AS id FROM boosts").get()).toEqual({ id: 4 });
  expect(() => db.run("INSERT INTO boosts (message_id, booster_id, content, created_at) VALUES (1, 1, ?, 0)", ["x".repeat(65)])).toThrow(
    /CHECK/,
  );
  db.run("DELETE FROM messages");
  expect(db.query("SELECT count(*) AS n FROM boosts").get()).toEqual({ n: 0 });
  db.close();
});

test("constraints reject bad rows instead of storing them", () => {
  const db = openDatabase(databasePath(freshDir()));
  migrate(db);
  expect(() => db.run("INSERT INTO users (name, role, created_at, updated_at) VALUES ('x', 'overlord', 0, 0)")).toThrow();
  expect(() => db.run("INSERT INTO memberships (room_id, user_id, created_at) VALUES (99, 99, 0)")).toThrow(/FOREIGN KEY/);
  expect(() => db.run("INSERT INTO jobs (kind, payload, run_at, created_at) VALUES ('push', 'not json', 0, 0)")).toThrow();
  db.close();
});

test("people already there hear /play sounds after the migration, and the setting holds only on or off", () => {
  const db = openDatabase(databasePath(freshDir()));
  db.transaction(() => {
    for (const migration of MIGRATIONS.slice(0, 5)) db.run(migration.sql);
    db.run("PRAGMA user_version = 5");
  })();
  db.run(
    "INSERT INTO users (id, name, email_address, password_digest, created_at, updated_at) VALUES (1, 'Ann', 'ann@example.com', 'x', 0, 0)",
  );
  expect(migrate(db)).toEqual(MIGRATIONS.slice(5).map((m) => m.name));
  expect(db.query("SELECT sounds_muted FROM users").all()).toEqual([{ sounds_muted: 0 }]);
  expect(() => db.run("UPDATE users SET sounds_muted = 2")).toThrow(/CHECK constraint failed/);
  db.close();
});

/** How SQLite would run `sql` on a freshly migrated database: its query plan's lines, joined. */
function planOnFreshDatabase(sql: string): string {
  const dir = makeDataDir();
  const db = openDatabase(databasePath(dir));
  migrate(db);
  const plan = db
    .query<{ detail: string }, []>(`EXPLAIN QUERY PLAN ${sql}`)
    .all()
    .map((row) => row.detail)
    .join("\n");
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return plan;
}

test("serving a file finds its message through an index, not a scan of every message", () => {
  const plan = planOnFreshDatabase(
    "SELECT messages.room_id FROM attachments JOIN messages ON messages.attachment_id = attachments.id WHERE attachments.file_key = 'k'",
  );
  expect(plan).toContain("messages_by_attachment");
  expect(plan).not.toMatch(/SCAN messages/);
});

test("a person's recent searches are read in the index's order, not sorted on every search page", () => {
  const plan = planOnFreshDatabase("SELECT id, query FROM searches WHERE user_id = 1 ORDER BY updated_at DESC, id DESC LIMIT 10");
  expect(plan).toContain("searches_by_recency");
  expect(plan).not.toContain("TEMP B-TREE");
});

test("messages written before their format was stored are marked rich when their HTML can only have come from the toolbar", () => {
  const db = openDatabase(databasePath(freshDir()));
  const before = MIGRATIONS.findIndex((migration) => migration.name === "013_message_format");
  for (const migration of MIGRATIONS.slice(0, before)) db.run(migration.sql);
  db.run(`PRAGMA user_version = ${before}`);
  db.run("INSERT INTO users (id, name, email_address, role, created_at, updated_at) VALUES (1, 'Ada', 'ada@x.io', 'admin', 0, 0)");
  db.run("INSERT INTO rooms (id, kind, name, creator_id, created_at, updated_at) VALUES (1, 'open', 'One', 1, 0, 0)");
  const bodies = {
    typed: 'a &lt;div&gt; b<br><code>x</code> <a href="https://x.io">https://x.io</a>',
    fenced: '<pre><code class="language-ts"><span class="hljs-keyword">let</span> a</code></pre>',
    sound: '<div class="sound" data-sound="tada">🎉</div>',
    mention: '<span class="mention" data-user-id="1"></span> hi',
    toolbar: "<div><strong>x</strong></div>",
    quote: "<blockquote>q</blockquote>",
    list: "<ul><li>a</li></ul>",
    codeBlock: "<pre>let a</pre>",
    typedAndCodeBlock: '<pre><code>a</code></pre><pre><span class="hljs-keyword">let</span></pre>',
  };
  for (const [index, [key, html]] of Object.entries(bodies).entries())
    db.query(
      "INSERT INTO messages (id, room_id, creator_id, client_message_id, body_html, body_plain, created_at, updated_at, change_seq) VALUES (?1, 1, 1, ?2, ?3, '', 0, 0, ?1)",
    ).run(index + 1, key, html);

  migrate(db);

  const formats = Object.fromEntries(
    db
      .query<{ key: string; format: string }, []>("SELECT client_message_id AS key, format FROM messages")
      .all()
      .map((r) => [r.key, r.format]),
  );
  expect(formats).toEqual({
    typed: "text",
    fenced: "text",
    sound: "text",
    mention: "text",
    toolbar: "rich",
    quote: "rich",
    list: "rich",
    codeBlock: "rich",
    typedAndCodeBlock: "rich",
  });
  db.close();
});
