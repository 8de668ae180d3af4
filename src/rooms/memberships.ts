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
