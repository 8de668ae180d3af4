-- Ids that leave the server (in URLs, permalinks, socket cursors) are never handed out twice.
-- Without AUTOINCREMENT SQLite gives a new row the largest id + 1, so deleting the newest message
-- let the next one take its id: a tab catching up from that id missed it, and an old permalink
-- showed another message. SQLite cannot ALTER a table into AUTOINCREMENT, so each table is rebuilt
-- (create, copy, drop, rename), with foreign keys off around it (see migrate()). Copying the rows
-- in sets sqlite_sequence to each table's largest id.
--
-- The same rebuild adds what catch-up after a reconnect needs: a per-room change sequence. Every
-- new, edited or deleted message takes the room's next number, so a tab that comes back with the
-- highest number it saw gets every change it missed, not only newer messages. Deletions leave a
-- tombstone holding their number.
--
-- And a client_message_id is one author's retry key: Bob reusing Alice's must not get her message.

CREATE TABLE users_new (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  email_address   TEXT    UNIQUE COLLATE NOCASE,
  password_digest TEXT,
  role            TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin', 'bot')),
  status          TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated', 'banned')),
  bio             TEXT    NOT NULL DEFAULT '' CHECK (length(bio) <= 200),
  bot_token       TEXT    UNIQUE,
  avatar_key      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  CHECK ((role = 'bot') = (bot_token IS NOT NULL))
);
INSERT INTO users_new (id, name, email_address, password_digest, role, status, bio, bot_token, avatar_key, created_at, updated_at)
  SELECT id, name, email_address, password_digest, role, status, bio, bot_token, avatar_key, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_by_status_name ON users (status, name COLLATE NOCASE);

CREATE TABLE rooms_new (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  kind            TEXT    NOT NULL CHECK (kind IN ('open', 'closed', 'direct')),
  name            TEXT    CHECK (name IS NULL OR length(name) BETWEEN 1 AND 100),
  creator_id      INTEGER NOT NULL REFERENCES users (id),
  direct_key      TEXT    UNIQUE,
  last_message_at INTEGER,
  change_seq      INTEGER NOT NULL DEFAULT 0,               -- the number of the room's latest message change
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  CHECK ((kind = 'direct') = (direct_key IS NOT NULL)),
  CHECK (kind = 'direct' OR name IS NOT NULL)
);
-- Existing messages are numbered by their ids, which already grow within a room.
INSERT INTO rooms_new (id, kind, name, creator_id, direct_key, last_message_at, change_seq, created_at, updated_at)
  SELECT id, kind, name, creator_id, direct_key, last_message_at,
         coalesce((SELECT max(messages.id) FROM messages WHERE messages.room_id = rooms.id), 0), created_at, updated_at
  FROM rooms;
DROP TABLE rooms;
ALTER TABLE rooms_new RENAME TO rooms;

CREATE TABLE attachments_new (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  file_key       TEXT    NOT NULL UNIQUE,
  preview_key    TEXT,
  filename       TEXT    NOT NULL,
  content_type   TEXT    NOT NULL,
  byte_size      INTEGER NOT NULL CHECK (byte_size >= 0),
  width          INTEGER,
  height         INTEGER,
  created_at     INTEGER NOT NULL
);
INSERT INTO attachments_new (id, file_key, preview_key, filename, content_type, byte_size, width, height, created_at)
  SELECT id, file_key, preview_key, filename, content_type, byte_size, width, height, created_at FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_new RENAME TO attachments;

CREATE TABLE messages_new (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  room_id           INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  creator_id        INTEGER NOT NULL REFERENCES users (id),
  client_message_id TEXT    NOT NULL CHECK (length(client_message_id) BETWEEN 1 AND 64),
  body_html         TEXT    NOT NULL DEFAULT '',
  body_plain        TEXT    NOT NULL DEFAULT '',
  attachment_id     INTEGER REFERENCES attachments (id) ON DELETE SET NULL,
  change_seq        INTEGER NOT NULL,                       -- the room's change number of its latest insert or edit
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  UNIQUE (room_id, creator_id, client_message_id)           -- a retried post never duplicates
);
INSERT INTO messages_new (id, room_id, creator_id, client_message_id, body_html, body_plain, attachment_id, change_seq, created_at, updated_at)
  SELECT id, room_id, creator_id, client_message_id, body_html, body_plain, attachment_id, id, created_at, updated_at FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
CREATE INDEX messages_by_room ON messages (room_id);
CREATE INDEX messages_by_creator ON messages (creator_id);
-- Catch-up after a reconnect: a room's changes after a number.
CREATE INDEX messages_by_room_change ON messages (room_id, change_seq);

-- The search triggers went with the old table. Ids are never reused now, so deleting the newest
-- message no longer steps the cursor back (that step back lost messages when several were deleted).
CREATE TRIGGER messages_search_update AFTER UPDATE OF body_plain ON messages
WHEN old.id <= (SELECT indexed_through FROM search_cursor) BEGIN
  INSERT INTO message_search_index (message_search_index, rowid, body_plain) VALUES ('delete', old.id, old.body_plain);
  INSERT INTO message_search_index (rowid, body_plain) VALUES (new.id, new.body_plain);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages
WHEN old.id <= (SELECT indexed_through FROM search_cursor) BEGIN
  INSERT INTO message_search_index (message_search_index, rowid, body_plain) VALUES ('delete', old.id, old.body_plain);
END;

CREATE TABLE boosts_new (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  booster_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  content    TEXT    NOT NULL CHECK (length(content) BETWEEN 1 AND 16),
  created_at INTEGER NOT NULL
);
INSERT INTO boosts_new (id, message_id, booster_id, content, created_at)
  SELECT id, message_id, booster_id, content, created_at FROM boosts;
DROP TABLE boosts;
ALTER TABLE boosts_new RENAME TO boosts;
CREATE INDEX boosts_by_message ON boosts (message_id);

-- A deleted message's change number, so a tab that was away removes it too. Gone with its room.
CREATE TABLE message_tombstones (
  message_id INTEGER PRIMARY KEY,
  room_id    INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  change_seq INTEGER NOT NULL
);
CREATE INDEX message_tombstones_by_room_change ON message_tombstones (room_id, change_seq);
