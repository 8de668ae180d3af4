-- People and administration: the audit log, transfer links ("log in on another device") and the
-- custom CSS being previewed before it is published.

-- Every administrator action, append-only: the triggers refuse edits and deletions, so not even a
-- bug in the app (or a future feature) can rewrite who did what.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  actor_id   INTEGER NOT NULL REFERENCES users (id),
  action     TEXT    NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  subject_id INTEGER REFERENCES users (id),
  details    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
  ip_address TEXT,
  created_at INTEGER NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- A link that signs a person in on another device once, within hours; only its digest is stored.
CREATE TABLE session_transfers (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_digest  TEXT    NOT NULL UNIQUE,
  created_by_id INTEGER NOT NULL REFERENCES users (id),
  expires_at    INTEGER NOT NULL,
  used_at       INTEGER,
  created_at    INTEGER NOT NULL
);
CREATE INDEX session_transfers_by_user ON session_transfers (user_id);

ALTER TABLE accounts ADD COLUMN custom_styles_draft TEXT;
