import type { Database } from "bun:sqlite";
import schema from "./migrations/001_schema.sql" with { type: "text" };
import hotPathIndexes from "./migrations/002_hot_path_indexes.sql" with { type: "text" };
import searchInBatches from "./migrations/003_search_in_batches.sql" with { type: "text" };

// Ordered and embedded in the executable; PRAGMA user_version counts how many have been applied.
// Append new files here; never edit one that has shipped.
export const MIGRATIONS: readonly { name: string; sql: string }[] = [
  { name: "001_schema", sql: schema },
  { name: "002_hot_path_indexes", sql: hotPathIndexes },
  { name: "003_search_in_batches", sql: searchInBatches },
];

/** Applies the migrations this database has not seen yet; returns their names. */
export function migrate(db: Database): string[] {
  const applied: string[] = [];
  const current = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
  if (current > MIGRATIONS.length) {
    throw new Error(`the database is at schema version ${current}, newer than this Campfire (${MIGRATIONS.length}); upgrade Campfire`);
  }
  for (const [index, migration] of MIGRATIONS.entries()) {
    if (index < current) continue;
    db.transaction(() => {
      db.run(migration.sql);
      db.run(`PRAGMA user_version = ${index + 1}`);
    }).immediate();
    applied.push(migration.name);
  }
  return applied;
}
