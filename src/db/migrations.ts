import type { Database } from "bun:sqlite";
import schema from "./migrations/001_schema.sql" with { type: "text" };
import hotPathIndexes from "./migrations/002_hot_path_indexes.sql" with { type: "text" };
import searchInBatches from "./migrations/003_search_in_batches.sql" with { type: "text" };
import idsNeverReused from "./migrations/004_ids_never_reused.sql" with { type: "text" };
import boostsByGrapheme from "./migrations/005_boosts_by_grapheme.sql" with { type: "text" };
import soundsMuted from "./migrations/006_sounds_muted.sql" with { type: "text" };
import filesByMessage from "./migrations/007_files_by_message.sql" with { type: "text" };
import linkPreviews from "./migrations/008_link_previews.sql" with { type: "text" };
import linkPreviewsByMessage from "./migrations/009_link_previews_by_message.sql" with { type: "text" };
import jobsAndBots from "./migrations/010_jobs_and_bots.sql" with { type: "text" };
import pushRecipients from "./migrations/011_push_recipients.sql" with { type: "text" };
import peopleAndAdministration from "./migrations/012_people_and_administration.sql" with { type: "text" };
import messageFormat from "./migrations/013_message_format.sql" with { type: "text" };
import messagesWithLinks from "./migrations/014_messages_with_links.sql" with { type: "text" };
import recentSearches from "./migrations/015_recent_searches.sql" with { type: "text" };

// Ordered and embedded in the executable; PRAGMA user_version counts how many have been applied.
// Append new files here; never edit one that has shipped.
export const MIGRATIONS: readonly { name: string; sql: string }[] = [
  { name: "001_schema", sql: schema },
  { name: "002_hot_path_indexes", sql: hotPathIndexes },
  { name: "003_search_in_batches", sql: searchInBatches },
  { name: "004_ids_never_reused", sql: idsNeverReused },
  { name: "005_boosts_by_grapheme", sql: boostsByGrapheme },
  { name: "006_sounds_muted", sql: soundsMuted },
  { name: "007_files_by_message", sql: filesByMessage },
  { name: "008_link_previews", sql: linkPreviews },
  { name: "009_link_previews_by_message", sql: linkPreviewsByMessage },
  { name: "010_jobs_and_bots", sql: jobsAndBots },
  { name: "011_push_recipients", sql: pushRecipients },
  { name: "012_people_and_administration", sql: peopleAndAdministration },
  { name: "013_message_format", sql: messageFormat },
  { name: "014_messages_with_links", sql: messagesWithLinks },
  { name: "015_recent_searches", sql: recentSearches },
];

/** Applies the migrations this database has not seen yet; returns their names. */
export function migrate(db: Database): string[] {
  const applied: string[] = [];
  const current = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
  if (current > MIGRATIONS.length) {
    throw new Error(`the database is at schema version ${current}, newer than this Campfire (${MIGRATIONS.length}); upgrade Campfire`);
  }
  // A migration may rebuild a table (create, copy, drop, rename): with foreign keys on, dropping the
  // old table would cascade into every table that refers to it. The pragma is a no-op inside a
  // transaction, so it is switched around each one, and the references are checked before commit.
  const foreignKeys = (db.query("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys;
  db.run("PRAGMA foreign_keys = OFF");
  try {
    for (const [index, migration] of MIGRATIONS.entries()) {
      if (index < current) continue;
      db.transaction(() => {
        db.run(migration.sql);
        const broken = db.query("PRAGMA foreign_key_check").all();
        if (broken.length > 0) throw new Error(`migration ${migration.name} left broken references: ${JSON.stringify(broken.slice(0, 5))}`);
        db.run(`PRAGMA user_version = ${index + 1}`);
      }).immediate();
      applied.push(migration.name);
    }
  } finally {
    db.run(`PRAGMA foreign_keys = ${foreignKeys ? "ON" : "OFF"}`);
  }
  return applied;
}
