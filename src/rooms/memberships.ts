import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";

/** Makes every active person (bots included) a member of the room; existing members are left as they are. */
export function grantMembershipsToActiveUsers(db: Database, roomId: number): void {
  db.query(
    `INSERT INTO memberships (room_id, user_id, created_at)
     SELECT ?, id, ? FROM users WHERE status = 'active'
     ON CONFLICT (room_id, user_id) DO NOTHING`,
  ).run(roomId, now());
}

/** Puts a newcomer in every open room, as open rooms promise. */
export function grantOpenRoomsTo(db: Database, userId: number): void {
  db.query(
    `INSERT INTO memberships (room_id, user_id, created_at)
     SELECT id, ?, ? FROM rooms WHERE kind = 'open'
     ON CONFLICT (room_id, user_id) DO NOTHING`,
  ).run(userId, now());
}

export type Involvement = "invisible" | "nothing" | "mentions" | "everything";
export const INVOLVEMENTS: readonly Involvement[] = ["mentions", "everything", "nothing", "invisible"];

export type Member = { id: number; name: string; avatarKey?: string | null };

/** Adds people to a room (existing members keep their settings). */
export function grantMemberships(db: Database, roomId: number, userIds: number[], involvement: Involvement = "mentions"): void {
  db.query(
    `INSERT INTO memberships (room_id, user_id, involvement, created_at)
     SELECT ?, users.id, ?, ? FROM users WHERE users.id IN (SELECT value FROM json_each(?))
     ON CONFLICT (room_id, user_id) DO NOTHING`,
  ).run(roomId, involvement, now(), JSON.stringify(userIds));
}

export function revokeMemberships(db: Database, roomId: number, userIds: number[]): void {
  db.query("DELETE FROM memberships WHERE room_id = ? AND user_id IN (SELECT value FROM json_each(?))").run(
    roomId,
    JSON.stringify(userIds),
  );
}

export function memberIds(db: Database, roomId: number): number[] {
  return db
    .query<{ userId: number }, [number]>("SELECT user_id AS userId FROM memberships WHERE room_id = ? ORDER BY user_id")
    .all(roomId)
    .map((row) => row.userId);
}

/** Members who have the room in their sidebar. */
export function visibleMemberIds(db: Database, roomId: number): number[] {
  return db
    .query<{ userId: number }, [number]>("SELECT user_id AS userId FROM memberships WHERE room_id = ? AND involvement != 'invisible'")
    .all(roomId)
    .map((row) => row.userId);
}

/** Active members by name: for mentions and the people shown in a room's settings. */
export function activeMembers(db: Database, roomId: number): Member[] {
  return db
    .query<Member, [number]>(
      `SELECT users.id, users.name FROM memberships JOIN users ON users.id = memberships.user_id
       WHERE memberships.room_id = ? AND users.status = 'active' ORDER BY lower(users.name), users.id`,
    )
    .all(roomId);
}

export function involvementOf(db: Database, userId: number, roomId: number): Involvement | null {
  return (
    db
      .query<{ involvement: Involvement }, [number, number]>("SELECT involvement FROM memberships WHERE user_id = ? AND room_id = ?")
      .get(userId, roomId)?.involvement ?? null
  );
}

/** How many rooms a person hid from their sidebar. */
export function hiddenRoomCount(db: Database, userId: number): number {
  return db
    .query<{ n: number }, [number]>("SELECT count(*) AS n FROM memberships WHERE user_id = ? AND involvement = 'invisible'")
    .get(userId)!.n;
}

export function setInvolvement(db: Database, userId: number, roomId: number, involvement: Involvement): void {
  db.query(
    "UPDATE memberships SET involvement = ?, unread_at = CASE WHEN ? = 'invisible' THEN NULL ELSE unread_at END WHERE user_id = ? AND room_id = ?",
  ).run(involvement, involvement, userId, roomId);
}

/**
 * A new message marks the room unread for members who would see the mark: not its author, not
 * those who hid the room, not those looking at it right now.
 */
export function markUnread(db: Database, roomId: number, creatorId: number, presentSince: number): void {
  db.query(
    `UPDATE memberships SET unread_at = ?
     WHERE room_id = ? AND user_id != ? AND involvement != 'invisible' AND unread_at IS NULL
       AND NOT (connections > 0 AND connected_at >= ?)`,
  ).run(now(), roomId, creatorId, presentSince);
}

export function isMember(db: Database, userId: number, roomId: number): boolean {
  return db.query("SELECT 1 FROM memberships WHERE user_id = ? AND room_id = ?").get(userId, roomId) !== null;
}

/** Every room the person is a member of, hidden ones too: the rooms they may search. */
export function memberRoomIds(db: Database, userId: number): number[] {
  return db
    .query<{ roomId: number }, [number]>("SELECT room_id AS roomId FROM memberships WHERE user_id = ?")
    .all(userId)
    .map((row) => row.roomId);
}

/** The rooms in a person's sidebar, whose activity their tabs follow. */
export function visibleRoomIds(db: Database, userId: number): number[] {
  return db
    .query<{ roomId: number }, [number]>("SELECT room_id AS roomId FROM memberships WHERE user_id = ? AND involvement != 'invisible'")
    .all(userId)
    .map((row) => row.roomId);
}

/** Takes the person out of every room (deactivation); returns the rooms they were in. */
export function leaveAllRooms(db: Database, userId: number): number[] {
  return db
    .query<{ roomId: number }, [number]>("DELETE FROM memberships WHERE user_id = ? RETURNING room_id AS roomId")
    .all(userId)
    .map((row) => row.roomId);
}
