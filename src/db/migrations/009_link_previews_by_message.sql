-- The hourly sweep of link previews no message carries asks, for each old card, whether a message
-- holds it: without this index that is a scan of every message per card. Partial: most messages carry none.
CREATE INDEX messages_by_link_preview ON messages (link_preview_id) WHERE link_preview_id IS NOT NULL;
