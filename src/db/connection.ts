import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

/** The database's file name inside the data directory (its -wal and -shm files sit beside it). */
export const DATABASE_FILE = "campfire.sqlite3";
export const databasePath = (dataDir: string): string => join(dataDir, DATABASE_FILE);

/** Opens (creating if needed) the SQLite file with the pragmas every connection needs. */
export function openDatabase(path: string): Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { create: true, strict: true });
  db.run("PRAGMA journal_mode = WAL");
  // bun:sqlite leaves WAL at synchronous=FULL (an fsync per commit); NORMAL is still crash-safe for the process.
  db.run("PRAGMA synchronous = NORMAL");
  db.run("PRAGMA foreign_keys = ON");
  db.run("PRAGMA busy_timeout = 5000");
  return db;
}

/** Rows this connection has inserted, changed or deleted since it opened (SQLite's total_changes()). */
export const totalChanges = (db: Database): number => db.query<{ count: number }, []>("SELECT total_changes() AS count").get()!.count;
