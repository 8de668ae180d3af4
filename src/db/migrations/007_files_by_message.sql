-- Serving a file looks up the message that carries it (for its room, then membership): without this
-- index that is a scan of every message. Partial: most messages carry no file.
CREATE INDEX messages_by_attachment ON messages (attachment_id) WHERE attachment_id IS NOT NULL;
