import type { Reads } from "../cache/read-cache.ts";
import type { Member } from "./memberships.ts";
import type { Room } from "./rooms.ts";

/** What a sidebar shows of a room, the same for everyone in it. */
export type RoomEntry = Room & { createdAt: number; members: Member[] };

// Every room-scoped request and every sidebar needs the same few facts about a room, so each
// room's entry (name, kind, last message time, a direct room's people) is kept in the read cache:
// `roomChanged` forgets it, a new message moves its time along, and renaming a person forgets
// their direct rooms. A sidebar then costs one small query of the person's memberships.

export function roomEntry(reads: Reads, roomId: number): RoomEntry | null {
  return roomEntries(reads, [roomId])[0] ?? null;
}

/** The entries of these rooms, in the order given; rooms that no longer exist are left out. */
export function roomEntries({ db, cache }: Reads, roomIds: number[]): RoomEntry[] {
  return cache.roomEntriesOf(roomIds, (missing) =>
    db
      .query<Room & { createdAt: number; people: string | null }, [string]>(
        `SELECT rooms.id, rooms.kind, rooms.name, rooms.creator_id AS creatorId, rooms.last_message_at AS lastMessageAt,
           rooms.created_at AS createdAt,
           CASE WHEN rooms.kind = 'direct' THEN (
             SELECT json_group_array(json_array(id, name, avatar_key)) FROM (
               SELECT users.id, users.name, users.avatar_key FROM memberships JOIN users ON users.id = memberships.user_id
               WHERE memberships.room_id = rooms.id ORDER BY lower(users.name), users.id)
           ) END AS people
         FROM rooms WHERE rooms.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(missing))
      .map(({ people, ...room }) => ({
        ...room,
        members: people
          ? (JSON.parse(people) as [number, string, string | null][]).map(([id, name, avatarKey]) => ({ id, name, avatarKey }))
          : [],
      })),
  );
}
