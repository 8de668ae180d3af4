-- The whole data model, laid out once so later features add code, not reshuffles.
-- Times are integer milliseconds since the epoch (UTC); enums are text with CHECK constraints.

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY CHECK (id = 1),        -- single tenant: exactly one row
  name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  join_code     TEXT    NOT NULL,
  custom_styles TEXT    NOT NULL DEFAULT '',
  settings      TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  logo_key      TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

-- Server-wide generated secrets (VAPID keys, signing keys), created on first use.
CREATE TABLE secrets (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
  id              INTEGER PRIMARY KEY,
  name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  email_address   TEXT    UNIQUE COLLATE NOCASE,           -- NULL for bots
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
CREATE INDEX users_by_status_name ON users (status, name COLLATE NOCASE);

CREATE TABLE sessions (
  id             INTEGER PRIMARY KEY,
  user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_digest   TEXT    NOT NULL UNIQUE,                   -- sha256 of the cookie token; the token itself is never stored
  ip_address     TEXT,
  user_agent     TEXT,
  last_active_at INTEGER NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE rooms (
  id              INTEGER PRIMARY KEY,
  kind            TEXT    NOT NULL CHECK (kind IN ('open', 'closed', 'direct')),
  name            TEXT    CHECK (name IS NULL OR length(name) BETWEEN 1 AND 100),
  creator_id      INTEGER NOT NULL REFERENCES users (id),
  direct_key      TEXT    UNIQUE,                           -- sorted member ids of a direct room: one room per set of people
  last_message_at INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  CHECK ((kind = 'direct') = (direct_key IS NOT NULL)),
  CHECK (kind = 'direct' OR name IS NOT NULL)
);

CREATE TABLE memberships (
  id           INTEGER PRIMARY KEY,
  room_id      INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  involvement  TEXT    NOT NULL DEFAULT 'mentions'
               CHECK (involvement IN ('invisible', 'nothing', 'mentions', 'everything')),
  unread_at    INTEGER,
  connections  INTEGER NOT NULL DEFAULT 0 CHECK (connections >= 0),
  connected_at INTEGER,                                     -- presence: refreshed by pings, stale after 60 s
  created_at   INTEGER NOT NULL,
  UNIQUE (room_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE attachments (
  id             INTEGER PRIMARY KEY,
  file_key       TEXT    NOT NULL UNIQUE,                   -- file name under <data dir>/files
  preview_key    TEXT,                                      -- downsized image, when one could be made
  filename       TEXT    NOT NULL,
  content_type   TEXT    NOT NULL,
  byte_size      INTEGER NOT NULL CHECK (byte_size >= 0),
  width          INTEGER,
  height         INTEGER,
  created_at     INTEGER NOT NULL
);

CREATE TABLE messages (
  id                INTEGER PRIMARY KEY,
  room_id           INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  creator_id        INTEGER NOT NULL REFERENCES users (id),
  client_message_id TEXT    NOT NULL CHECK (length(client_message_id) BETWEEN 1 AND 64),
  body_html         TEXT    NOT NULL DEFAULT '',
  body_plain        TEXT    NOT NULL DEFAULT '',            -- what search and notifications read
  attachment_id     INTEGER REFERENCES attachments (id) ON DELETE SET NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  UNIQUE (room_id, client_message_id)                       -- a retried post never duplicates
);
-- Pages walk a room by id; the rowid rides along in this index, so it serves "before/after id" too.
CREATE INDEX messages_by_room ON messages (room_id);
CREATE INDEX messages_by_creator ON messages (creator_id);

CREATE TABLE mentions (
  id         INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  UNIQUE (message_id, user_id)
);
CREATE INDEX mentions_by_user ON mentions (user_id);

CREATE TABLE boosts (
  id         INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  booster_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  content    TEXT    NOT NULL CHECK (length(content) BETWEEN 1 AND 16),
  created_at INTEGER NOT NULL
);
CREATE INDEX boosts_by_message ON boosts (message_id);

CREATE TABLE searches (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  query      TEXT    NOT NULL CHECK (length(query) BETWEEN 1 AND 200),
  updated_at INTEGER NOT NULL,
  UNIQUE (user_id, query)
);

CREATE TABLE push_subscriptions (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  endpoint   TEXT    NOT NULL UNIQUE,
  p256dh_key TEXT    NOT NULL,
  auth_key   TEXT    NOT NULL,
  user_agent TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);

CREATE TABLE webhooks (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,   -- the bot
  url        TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE bans (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ip_address TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (user_id, ip_address)
);
CREATE INDEX bans_by_ip ON bans (ip_address);

-- Side effects (web push, webhooks, link previews) are written here in the same transaction as
-- the message that causes them, so a crash or restart loses none.
CREATE TABLE jobs (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL,                              -- push, webhook, unfurl, …: the runner refuses kinds it does not know
  payload    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  run_at     INTEGER NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX jobs_by_run_at ON jobs (run_at);

-- Full-text search over the plain-text projection of messages (never the HTML).
CREATE VIRTUAL TABLE message_search_index USING fts5 (
  body_plain,
  content = 'messages',
  content_rowid = 'id',
  tokenize = 'porter unicode61'
);
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
  INSERT INTO message_search_index (rowid, body_plain) VALUES (new.id, new.body_plain);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
  INSERT INTO message_search_index (message_search_index, rowid, body_plain) VALUES ('delete', old.id, old.body_plain);
END;
CREATE TRIGGER messages_search_update AFTER UPDATE OF body_plain ON messages BEGIN
  INSERT INTO message_search_index (message_search_index, rowid, body_plain) VALUES ('delete', old.id, old.body_plain);
  INSERT INTO message_search_index (rowid, body_plain) VALUES (new.id, new.body_plain);
END;
