-- A boost may be 16 characters as a person sees them (grapheme clusters: 👍🏽 or a flag is one),
-- which the server counts (messages/boosts.ts). SQLite's length() counts code points, so the
-- old CHECK of 16 refused boosts the server allows ("🇫🇷🇩🇪…" is 2 code points a flag). The
-- table is rebuilt with a bound in code points that 16 such characters fit, which still stops
-- one "character" carrying hundreds of combining marks.
-- The rebuild keeps the highest id ever handed out (ids are never reused), not only the
-- highest left: boosts_new takes over the old table's sqlite_sequence row before the rename.

CREATE TABLE boosts_new (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  booster_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  content    TEXT    NOT NULL CHECK (length(content) BETWEEN 1 AND 64),
  created_at INTEGER NOT NULL
);
INSERT INTO boosts_new (id, message_id, booster_id, content, created_at)
  SELECT id, message_id, booster_id, content, created_at FROM boosts;
DELETE FROM sqlite_sequence WHERE name = 'boosts_new';
UPDATE sqlite_sequence SET name = 'boosts_new' WHERE name = 'boosts';
DROP TABLE boosts;
ALTER TABLE boosts_new RENAME TO boosts;
CREATE INDEX boosts_by_message ON boosts (message_id, booster_id);
