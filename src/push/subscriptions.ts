import type { Database } from "bun:sqlite";
import type { Reads } from "../cache/read-cache.ts";
import { now } from "../db/time.ts";

/** A browser that agreed to receive pushes for a person: where to send them and the keys to encrypt them with. */
export type PushSubscription = {
  id: number;
  userId: number;
  endpoint: string;
  p256dhKey: string;
  authKey: string;
  userAgent: string | null;
  createdAt: number;
  updatedAt: number;
};

export type SubscriptionKeys = { endpoint: string; p256dhKey: string; authKey: string };

const COLUMNS = `push_subscriptions.id, push_subscriptions.user_id AS userId, push_subscriptions.endpoint,
  push_subscriptions.p256dh_key AS p256dhKey, push_subscriptions.auth_key AS authKey, push_subscriptions.user_agent AS userAgent,
  push_subscriptions.created_at AS createdAt, push_subscriptions.updated_at AS updatedAt`;

/**
 * Keeps a browser's subscription for the person: the same one again is only touched; an endpoint
 * seen before belongs from now on to whoever enabled notifications on that browser last (one browser,
 * one person signed in), with the keys it has now.
 */
export function saveSubscription({ db, cache }: Reads, userId: number, keys: SubscriptionKeys, userAgent: string | null): PushSubscription {
  const at = now();
  const saved = db
    .query<PushSubscription, [number, string, string, string, string | null, number, number]>(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh_key, auth_key, user_agent, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh_key = excluded.p256dh_key,
         auth_key = excluded.auth_key, user_agent = coalesce(excluded.user_agent, user_agent), updated_at = excluded.updated_at
       RETURNING ${COLUMNS}`,
    )
    .all(userId, keys.endpoint, keys.p256dhKey, keys.authKey, userAgent, at, at)[0]!;
  cache.pushDeviceAdded();
  return saved;
}

/** The person's devices, the most recently enabled first. */
export function subscriptionsOf(db: Database, userId: number): PushSubscription[] {
  return db
    .query<PushSubscription, [number]>(`SELECT ${COLUMNS} FROM push_subscriptions WHERE user_id = ? ORDER BY updated_at DESC, id DESC`)
    .all(userId);
}

/** One of the person's own subscriptions; someone else's is null, as if it did not exist. */
export function findSubscriptionOf(db: Database, userId: number, id: number): PushSubscription | null {
  return db
    .query<PushSubscription, [number, number]>(`SELECT ${COLUMNS} FROM push_subscriptions WHERE user_id = ? AND id = ?`)
    .get(userId, id);
}

/** A subscription as a queued push named it: the same id and endpoint, or null once it was removed. */
export function findSubscriptionByEndpoint(db: Database, id: number, endpoint: string): PushSubscription | null {
  return db
    .query<PushSubscription, [number, string]>(`SELECT ${COLUMNS} FROM push_subscriptions WHERE id = ? AND endpoint = ?`)
    .get(id, endpoint);
}

/** Removes a subscription; the endpoint must match too, so a late "gone" can't remove a newer row that took the same id. */
export function removeSubscription(db: Database, subscription: Pick<PushSubscription, "id" | "endpoint">): void {
  db.query("DELETE FROM push_subscriptions WHERE id = ? AND endpoint = ?").run(subscription.id, subscription.endpoint);
}

/** The badge a push sets on the app icon: how many rooms in the person's sidebar are unread. */
export const UNREAD_ROOMS_SQL = `(SELECT count(*) FROM memberships unread
  WHERE unread.user_id = memberships.user_id AND unread.unread_at IS NOT NULL AND unread.involvement != 'invisible')`;

/** Every device of a person (deactivated: nothing may wake them any more). */
export function removeSubscriptionsOf(db: Database, userId: number): void {
  db.query("DELETE FROM push_subscriptions WHERE user_id = ?").run(userId);
}

/**
 * Whether a new message could push to anyone at all: someone else in the room has a device and
 * asked for everything, or for mentions and is mentioned. Asked while posting, so that the many
 * messages nobody is to be told about (a room on "mentions" without one, people without devices)
 * queue no job; presence is left to the job, which decides when it runs. It reads only the members
 * on "everything" (a partial index: few in a big room) and the people mentioned, never the whole
 * room: walking a 1,000-member room's memberships took 1-2 ms a post.
 */
export function mayPush({ db, cache }: Reads, roomId: number, creatorId: number, mentionIds: readonly number[]): boolean {
  // Kept in memory: the queries below cost ~30 µs of a post's ~250 even when nobody has a device.
  if (!cache.anyPushDeviceOr(() => db.query("SELECT 1 FROM push_subscriptions LIMIT 1").get() !== null)) return false;
  const everything = db
    .query<{ found: number }, [number, number]>(
      `SELECT 1 AS found FROM memberships INDEXED BY memberships_everything
       JOIN push_subscriptions ON push_subscriptions.user_id = memberships.user_id
       WHERE memberships.room_id = ? AND memberships.involvement = 'everything' AND memberships.user_id != ? LIMIT 1`,
    )
    .get(roomId, creatorId);
  if (everything || mentionIds.length === 0) return everything !== null;
  return (
    db
      .query<{ found: number }, [string, number, number]>(
        `SELECT 1 AS found FROM json_each(?1) AS mentioned
         JOIN memberships ON memberships.room_id = ?2 AND memberships.user_id = mentioned.value
         JOIN push_subscriptions ON push_subscriptions.user_id = mentioned.value
         WHERE memberships.involvement = 'mentions' AND mentioned.value != ?3 LIMIT 1`,
      )
      .get(JSON.stringify(mentionIds), roomId, creatorId) !== null
  );
}

export type Recipient = Pick<PushSubscription, "id" | "userId" | "endpoint" | "p256dhKey" | "authKey"> & { badge: number };

/**
 * Every subscription a new message is pushed to, in one query: FEATURES.md §1.13's rule, which
 * push/rules.ts states in plain code (and the tests hold the two to the same table): members who
 * asked for everything, or for mentions and are mentioned (a hidden room asked for neither), are
 * active, are not its author and are not looking at it now (presence fresher than `presentSince`).
 * Like mayPush it starts from those who asked, never from the whole room.
 */
export function pushRecipients(
  db: Database,
  message: { id: number; roomId: number; creatorId: number },
  presentSince: number,
): Recipient[] {
  return db
    .query<Recipient, [number, number, number, number]>(
      `WITH asked (user_id) AS (
         SELECT user_id FROM memberships INDEXED BY memberships_everything WHERE room_id = ?1 AND involvement = 'everything'
         UNION
         SELECT memberships.user_id FROM mentions
         JOIN memberships ON memberships.room_id = ?1 AND memberships.user_id = mentions.user_id
         WHERE mentions.message_id = ?4 AND memberships.involvement = 'mentions')
       SELECT push_subscriptions.id, push_subscriptions.user_id AS userId, push_subscriptions.endpoint,
         push_subscriptions.p256dh_key AS p256dhKey, push_subscriptions.auth_key AS authKey, ${UNREAD_ROOMS_SQL} AS badge
       FROM asked
       JOIN memberships ON memberships.room_id = ?1 AND memberships.user_id = asked.user_id
       JOIN users ON users.id = memberships.user_id AND users.status = 'active'
       JOIN push_subscriptions ON push_subscriptions.user_id = memberships.user_id
       WHERE memberships.user_id != ?2
         AND NOT (memberships.connections > 0 AND memberships.connected_at >= ?3)
       ORDER BY push_subscriptions.id`,
    )
    .all(message.roomId, message.creatorId, presentSince, message.id);
}

/** A person's unread rooms, for the badge of a push that is not about a message (the test notification). */
export function unreadRoomCount(db: Database, userId: number): number {
  return db
    .query<{ n: number }, [number]>(
      "SELECT count(*) AS n FROM memberships WHERE user_id = ? AND unread_at IS NOT NULL AND involvement != 'invisible'",
    )
    .get(userId)!.n;
}
