import type { Database } from "bun:sqlite";
import type { Member } from "./memberships.ts";
import type { Room } from "./rooms.ts";

/** What a sidebar shows of a room, the same for everyone in it. */
export type RoomEntry = Room & { createdAt: number; members: Member[] };

// Every room-scoped request and every sidebar needs the same few facts about a room, so each
// room's entry (name, kind, last message time, a direct room's people) is read once and kept:
// renaming or deleting a room forgets it, and a new message moves its time along. A sidebar then
// costs one small query of the person's memberships. (Direct rooms' people never change; renaming
// a person must forget their direct rooms.)
const entriesByDatabase = new WeakMap<Database, Map<number, RoomEntry>>();

export function forgetRoomEntry(db: Database, roomId: number): void {
  entriesByDatabase.get(db)?.delete(roomId);
}

/** A message was posted: the kept entry moves along with `rooms.last_message_at`. */
export function noteRoomMessage(db: Database, roomId: number, at: number): void {
  const entry = entriesByDatabase.get(db)?.get(roomId);
  if (entry) entry.lastMessageAt = at;
}

export function roomEntry(db: Database, roomId: number): RoomEntry | null {
  return roomEntries(db, [roomId])[0] ?? null;
}

/** The entries of these rooms, in the order given; rooms that no longer exist are left out. */
export function roomEntries(db: Database, roomIds: number[]): RoomEntry[] {
  let entries = entriesByDatabase.get(db);
  if (!entries) entriesByDatabase.set(db, (entries = new Map()));
  const missing = roomIds.filter((id) => !entries.has(id));
  if (missing.length > 0) {
    const rows = db
      .query<Room & { createdAt: number; people: string | null }, [string]>(
        `SELECT rooms.id, rooms.kind, rooms.name, rooms.creator_id AS creatorId, rooms.last_message_at AS lastMessageAt,
           rooms.created_at AS createdAt,
           CASE WHEN rooms.kind = 'direct' THEN (
             SELECT json_group_array(json_array(id, name)) FROM (
               SELECT users.id, users.name FROM memberships JOIN users ON users.id = memberships.user_id
               WHERE memberships.room_id = rooms.id ORDER BY lower(users.name), users.id)
           ) END AS people
         FROM rooms WHERE rooms.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(missing));
    for (const { people, ...room } of rows)
      entries.set(room.id, {
        ...room,
        members: people ? (JSON.parse(people) as [number, string][]).map(([id, name]) => ({ id, name })) : [],
      });
  }
  return roomIds.flatMap((id) => entries.get(id) ?? []);
}
