-- Partial indexes for the two membership queries on the hot paths, so each reads only the rows
-- it is looking for instead of every membership of the room.
-- Who is in a room right now: read on every room page and after every arrival.
CREATE INDEX memberships_present ON memberships (room_id) WHERE connections > 0;
-- Who has not yet been told a room has news: every post marks them unread.
CREATE INDEX memberships_unmarked ON memberships (room_id) WHERE unread_at IS NULL;
