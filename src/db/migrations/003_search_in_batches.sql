-- Posts no longer index themselves for search: FTS5 was most of a post's cost, and indexing many
-- messages at once costs a fraction per message. src/search/indexer.ts indexes the messages above
-- this cursor in batches (and a search catches up first). Edits and deletions of messages already
-- indexed still update the index at once.
CREATE TABLE search_cursor (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_through INTEGER NOT NULL                          -- every message id up to this one is indexed
);
INSERT INTO search_cursor (id, indexed_through) VALUES (1, coalesce((SELECT max(id) FROM messages), 0));

DROP TRIGGER messages_search_insert;
DROP TRIGGER messages_search_update;
DROP TRIGGER messages_search_delete;

CREATE TRIGGER messages_search_update AFTER UPDATE OF body_plain ON messages
WHEN old.id <= (SELECT indexed_through FROM search_cursor) BEGIN
  INSERT INTO message_search_index (message_search_index, rowid, body_plain) VALUES ('delete', old.id, old.body_plain);
  INSERT INTO message_search_index (rowid, body_plain) VALUES (new.id, new.body_plain);
END;

-- SQLite gives a new row the largest id + 1, so deleting the newest message lets its id come back:
-- the cursor steps back below it, or the message reusing the id would never be indexed.
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
  INSERT INTO message_search_index (message_search_index, rowid, body_plain)
    SELECT 'delete', old.id, old.body_plain WHERE old.id <= (SELECT indexed_through FROM search_cursor);
  UPDATE search_cursor SET indexed_through = old.id - 1
    WHERE indexed_through >= old.id AND old.id > coalesce((SELECT max(id) FROM messages), 0);
END;
