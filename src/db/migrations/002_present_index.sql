-- Who is in a room right now is read on every room page and after every arrival; without this
-- the query reads every membership of the room to find the few that are connected.
CREATE INDEX memberships_present ON memberships (room_id) WHERE connections > 0;
