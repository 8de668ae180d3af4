import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";
import type { User } from "../users/users.ts";
import { grantMembershipsToActiveUsers } from "./memberships.ts";

export type RoomKind = "open" | "closed" | "direct";
export type Room = { id: number; kind: RoomKind; name: string | null; creatorId: number; lastMessageAt: number | null };

export const roomName = (room: Room): string => room.name ?? "Direct message";

const ROOM_COLUMNS = "rooms.id, rooms.kind, rooms.name, rooms.creator_id AS creatorId, rooms.last_message_at AS lastMessageAt";

/** An open room: everyone active is a member, now and when they join later. */
export function createOpenRoom(db: Database, creator: User, name: string): Room {
  const at = now();
  const { lastInsertRowid } = db
    .query("INSERT INTO rooms (kind, name, creator_id, created_at, updated_at) VALUES ('open', ?, ?, ?, ?)")
    .run(name, creator.id, at, at);
  const roomId = Number(lastInsertRowid);
  grantMembershipsToActiveUsers(db, roomId);
  return findRoom(db, roomId)!;
}

function findRoom(db: Database, id: number): Room | null {
  return db.query<Room, [number]>(`SELECT ${ROOM_COLUMNS} FROM rooms WHERE id = ?`).get(id);
}

/** The only way to look a room up for a person: through their membership, so a stranger gets null. */
export function findRoomFor(db: Database, user: User, id: number): Room | null {
  return db
    .query<Room, [number, number]>(
      `SELECT ${ROOM_COLUMNS} FROM rooms JOIN memberships ON memberships.room_id = rooms.id
       WHERE rooms.id = ? AND memberships.user_id = ?`,
    )
    .get(id, user.id);
}

/** The rooms a person sees in the sidebar, shared rooms by name. */
export function visibleRoomsFor(db: Database, user: User): Room[] {
  return db
    .query<Room, [number]>(
      `SELECT ${ROOM_COLUMNS} FROM rooms JOIN memberships ON memberships.room_id = rooms.id
       WHERE memberships.user_id = ? AND memberships.involvement != 'invisible'
       ORDER BY rooms.kind = 'direct', lower(rooms.name), rooms.id`,
    )
    .all(user.id);
}

/** The room a person lands in when they have no recent one: the oldest they belong to. */
export function firstRoomFor(db: Database, user: User): Room | null {
  return db
    .query<Room, [number]>(
      `SELECT ${ROOM_COLUMNS} FROM rooms JOIN memberships ON memberships.room_id = rooms.id
       WHERE memberships.user_id = ? ORDER BY rooms.id LIMIT 1`,
    )
    .get(user.id);
}
