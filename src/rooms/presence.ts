import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";

/** A tab pings every 50 s; a presence not refreshed for this long belongs to a tab that went away unseen. */
export const CONNECTION_TTL_MS = 60_000;

export type PresentUser = { id: number; name: string; avatarKey: string | null };

/**
 * A tab is looking at the room: count it, note the time, and the room is read. A tab entering again
 * (`newTab` false) is not counted twice, since it will leave only once. Answers whether the room was
 * unread until now (only then do the person's other tabs need telling).
 */
export function enterRoom(db: Database, userId: number, roomId: number, newTab = true): boolean {
  const at = now();
  return db.transaction(() => {
    const { changes } = db
      .query("UPDATE memberships SET unread_at = NULL WHERE room_id = ? AND user_id = ? AND unread_at IS NOT NULL")
      .run(roomId, userId);
    db.query(
      `UPDATE memberships
       SET connections = CASE WHEN connected_at IS NULL OR connected_at < $stale THEN 1 ELSE connections + $added END,
           connected_at = $at
       WHERE room_id = $roomId AND user_id = $userId`,
    ).run({ at, stale: at - CONNECTION_TTL_MS, roomId, userId, added: newTab ? 1 : 0 });
    return changes > 0;
  })();
}

export function leaveRoom(db: Database, userId: number, roomId: number): void {
  db.query(
    `UPDATE memberships
     SET connections = MAX(connections - 1, 0),
         connected_at = CASE WHEN connections <= 1 THEN NULL ELSE connected_at END
     WHERE room_id = ? AND user_id = ?`,
  ).run(roomId, userId);
}

/**
 * A ping from a tab keeps its rooms' presence fresh; returns the rooms where the person had lapsed
 * (a throttled background tab, say) and so shows up again.
 */
export function refreshPresence(db: Database, userId: number, roomIds: number[]): number[] {
  if (roomIds.length === 0) return [];
  const at = now();
  const ids = JSON.stringify(roomIds);
  const lapsed = db
    .query<{ roomId: number }, [number, string, number]>(
      `SELECT room_id AS roomId FROM memberships WHERE user_id = ? AND room_id IN (SELECT value FROM json_each(?))
       AND (connections = 0 OR connected_at IS NULL OR connected_at < ?)`,
    )
    .all(userId, ids, at - CONNECTION_TTL_MS)
    .map((row) => row.roomId);
  db.query(
    `UPDATE memberships SET connected_at = ?, connections = MAX(connections, 1)
     WHERE user_id = ? AND room_id IN (SELECT value FROM json_each(?))`,
  ).run(at, userId, ids);
  return lapsed;
}

/** Tabs that stopped pinging without closing (a crash, a lost network) are no longer counted; returns the rooms affected. */
export function expireStalePresence(db: Database): number[] {
  const stale = now() - CONNECTION_TTL_MS;
  return db.transaction(() => {
    const rooms = db
      .query<{ roomId: number }, [number]>("SELECT DISTINCT room_id AS roomId FROM memberships WHERE connections > 0 AND connected_at < ?")
      .all(stale)
      .map((row) => row.roomId);
    db.query("UPDATE memberships SET connections = 0, connected_at = NULL WHERE connections > 0 AND connected_at < ?").run(stale);
    return rooms;
  })();
}

export function presentUsers(db: Database, roomId: number): PresentUser[] {
  // Often nobody is: the partial index answers that in ~3 µs, where the join and sort below cost
  // ~15 µs even when they find nobody (every room page asks).
  const since = now() - CONNECTION_TTL_MS;
  if (!db.query("SELECT 1 FROM memberships WHERE room_id = ? AND connections > 0 AND connected_at >= ? LIMIT 1").get(roomId, since))
    return [];
  return db
    .query<PresentUser, [number, number]>(
      `SELECT users.id, users.name, users.avatar_key AS avatarKey FROM memberships JOIN users ON users.id = memberships.user_id
       WHERE memberships.room_id = ? AND memberships.connections > 0 AND memberships.connected_at >= ?
       ORDER BY lower(users.name), users.id`,
    )
    .all(roomId, since);
}

/** The rooms where the person is shown as here now (their "here now" lists change with their name). */
export function roomsPresentIn(db: Database, userId: number): number[] {
  return db
    .query<{ roomId: number }, [number, number]>(
      "SELECT room_id AS roomId FROM memberships WHERE user_id = ? AND connections > 0 AND connected_at >= ?",
    )
    .all(userId, now() - CONNECTION_TTL_MS)
    .map((row) => row.roomId);
}
