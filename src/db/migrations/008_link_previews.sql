-- Link previews (cards) a person attached to a message. A row is made when someone pastes a URL,
-- and is shared by everyone who pastes the same URL within an hour (the cache); `token` is what the
-- composer sends back with the message, so preview ids can't be guessed and walked.
CREATE TABLE link_previews (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  image_key TEXT,
  image_width INTEGER,
  image_height INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX link_previews_by_url ON link_previews (url, created_at);

ALTER TABLE messages ADD COLUMN link_preview_id INTEGER REFERENCES link_previews (id);
