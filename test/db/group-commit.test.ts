import { Database } from "bun:sqlite";
import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/connection.ts";
import { GroupCommit } from "../../src/db/group-commit.ts";

let dir: string;
let db: Database;
let writer: GroupCommit;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "campfire-group-commit-"));
  db = openDatabase(join(dir, "test.sqlite3"));
  db.run("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)");
  writer = new GroupCommit(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (text: string) => () => Number(db.query("INSERT INTO notes (text) VALUES (?)").run(text).lastInsertRowid);
const texts = (from: Database = db) =>
  from
    .query<{ text: string }, []>("SELECT text FROM notes ORDER BY id")
    .all()
    .map((row) => row.text);

test("writes started together are committed together, in order, and each caller gets its own result", async () => {
  const other = new Database(join(dir, "test.sqlite3"), { readonly: true });
  const writes = ["one", "two", "three"].map((text) => writer.run(insert(text)));
  expect(texts(other)).toEqual([]); // nothing is written before the batch commits
  expect(await Promise.all(writes)).toEqual([1, 2, 3]);
  expect(texts(other)).toEqual(["one", "two", "three"]);
  other.close();
});

test("a failing write is taken back alone: its caller gets the error, the others are committed", async () => {
  const results = await Promise.allSettled([
    writer.run(insert("one")),
    writer.run(() => {
      insert("half-done")();
      insert("one")(); // taken just before, so this write fails after its first insert
    }),
    writer.run(insert("two")),
  ]);
  expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect(texts()).toEqual(["one", "two"]);
});

test("a write that has not been committed yet is committed by flush, as on shutdown", async () => {
  const pending = writer.run(insert("last words"));
  writer.flush();
  expect(texts()).toEqual(["last words"]);
  expect(await pending).toBe(1);
});

test("later writes start a new batch", async () => {
  await writer.run(insert("first"));
  await writer.run(insert("second"));
  expect(texts()).toEqual(["first", "second"]);
});

test("a write alone in its turn that fails leaves nothing behind", async () => {
  await expect(
    writer.run(() => {
      insert("half-done")();
      throw new Error("changed its mind");
    }),
  ).rejects.toThrow("changed its mind");
  expect(texts()).toEqual([]);
});
