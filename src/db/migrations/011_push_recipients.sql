-- Who may get a push for a room's messages: the members who asked for everything. Few in a big
-- room (most stay on "mentions"), so finding them, while posting and in the push job, reads only
-- them instead of every membership of the room.
CREATE INDEX memberships_everything ON memberships (room_id) WHERE involvement = 'everything';
