import type { Database } from "bun:sqlite";
import { afterEach, expect, test } from "bun:test";
import { existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Checkpointer } from "../../src/db/checkpointer.ts";
import { openDatabase } from "../../src/db/connection.ts";
import type { Logger } from "../../src/log.ts";
import { databasePath } from "../../src/server.ts";
import { completeFirstRun, postMessage } from "../helpers/fixtures.ts";
import { makeDataDir, startTestServer, type TestServer } from "../helpers/server.ts";
import { until } from "../helpers/until.ts";
import { walSequence } from "../helpers/wal.ts";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const autocheckpoint = (db: Database) =>
  db.query<{ wal_autocheckpoint: number }, []>("PRAGMA wal_autocheckpoint").get()!.wal_autocheckpoint;

test("a server nobody writes to starts no checkpoint thread; the first write starts it, and SQLite's own checkpoint steps back", async () => {
  server = startTestServer();
  await Bun.sleep(1_200); // past the first look
  expect(server.checkpointer.running).toBe(false);
  expect(autocheckpoint(server.db)).toBe(1_000);
  await completeFirstRun(server);
  await until(() => server!.checkpointer.running);
  expect(autocheckpoint(server.db)).toBe(4_000);
});

test("the thread folds the WAL back while the server writes, so the WAL starts over without SQLite's checkpoint in a COMMIT", async () => {
  server = startTestServer();
  const admin = await completeFirstRun(server);
  await until(() => server!.checkpointer.running);
  const dbPath = databasePath(server.dataDir);
  const before = walSequence(dbPath);
  // A few posts are far below the 4,000 pages at which SQLite would checkpoint by itself: only the
  // thread can make the WAL start over. Each post after a complete checkpoint starts it over.
  for (let i = 0; i < 5; i++) {
    expect((await postMessage(admin, 1, `Post ${i}`)).status).toBe(201);
    await Bun.sleep(250);
  }
  expect(walSequence(dbPath)).toBeGreaterThan(before);
});

test("the thread's checkpoints are not writes: the read cache keeps what it holds", async () => {
  server = startTestServer();
  const admin = await completeFirstRun(server);
  await until(() => server!.checkpointer.running);
  expect((await postMessage(admin, 1, "Before the checkpoints")).status).toBe(201);
  server.ctx.cache.noticeOutsideWrites();
  const seen = server.ctx.cache.outsideWrites;
  await Bun.sleep(400); // several looks, at least one checkpoint
  server.ctx.cache.noticeOutsideWrites();
  expect(server.ctx.cache.outsideWrites).toBe(seen);
});

test("stopping closes the thread's connection first, so the final checkpoint empties the WAL", async () => {
  const running = startTestServer();
  const admin = await completeFirstRun(running);
  await until(() => running.checkpointer.running);
  expect((await postMessage(admin, 1, "Last words")).status).toBe(201);
  await running.stop();
  const wal = `${databasePath(running.dataDir)}-wal`;
  expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
  expect(running.checkpointer.running).toBe(false);
  rmSync(running.dataDir, { recursive: true, force: true });
});

test("a thread that cannot open the database is logged once, and SQLite checkpoints by itself again", async () => {
  const dir = makeDataDir();
  const db = openDatabase(join(dir, "real.sqlite3"));
  const logs: string[] = [];
  const log: Logger = (level, message) => void logs.push(`${level} ${message}`);
  // The thread is pointed at a file that cannot be opened: a real failure inside it.
  const checkpointer = new Checkpointer(db, join(dir, "missing", "nowhere.sqlite3"), log);
  db.run("CREATE TABLE t (x)");
  db.run("INSERT INTO t VALUES (1)");
  checkpointer.tick();
  expect(checkpointer.running).toBe(true);
  await until(() => !checkpointer.running);
  expect(logs).toEqual(["error the checkpoint thread stopped; SQLite checkpoints on its own again"]);
  expect(autocheckpoint(db)).toBe(1_000);
  checkpointer.tick(); // not started again
  expect(checkpointer.running).toBe(false);
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
