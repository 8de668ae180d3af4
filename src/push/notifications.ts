import type { Database } from "bun:sqlite";
import type { Logger } from "../log.ts";
import { appIconPath } from "../pwa/icons.ts";
import { FetchRefused, type GuardOptions, guardedPost } from "../unfurl/guarded-fetch.ts";
import type { PushSubscription } from "./subscriptions.ts";
import { removeSubscription } from "./subscriptions.ts";
import { VAPID_SUBJECT, type VapidKeys } from "./vapid.ts";

/** What the service worker shows: `showNotification(title, options)`, then opens `data.path` on a click and badges the icon. */
export type Notification = { title: string; options: { body: string; icon: string; tag: string; data: { path: string; badge: number } } };

// A push message carries at most 4 KB once encrypted; a long message is cut well before that.
const MAX_BODY_CHARS = 500;
// A push a phone gets a day late is noise, not news.
const TTL_S = 24 * 60 * 60;
// Push services answer in well under a second; one that hangs is retried later, not waited on.
const SEND_TIMEOUT_MS = 10_000;

const shorten = (text: string) => (text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS - 1)}…` : text);

/** A new message as its push tells it, with what the recipients query needs. */
export type MessagePush = { id: number; roomId: number; creatorId: number; title: string; body: string; path: string };

/** The push for a new message (null when it is gone): a direct room's is titled by its author, a shared room's by its name. */
export function messagePush(db: Database, messageId: number): MessagePush | null {
  const row = db
    .query<{ roomId: number; creatorId: number; kind: string; roomName: string | null; creatorName: string; plain: string }, [number]>(
      `SELECT messages.room_id AS roomId, messages.creator_id AS creatorId, rooms.kind, rooms.name AS roomName,
         users.name AS creatorName, messages.body_plain AS plain
       FROM messages JOIN rooms ON rooms.id = messages.room_id JOIN users ON users.id = messages.creator_id WHERE messages.id = ?`,
    )
    .get(messageId);
  if (!row) return null;
  const direct = row.kind === "direct";
  return {
    id: messageId,
    roomId: row.roomId,
    creatorId: row.creatorId,
    title: direct ? row.creatorName : (row.roomName ?? "Campfire"),
    body: shorten(direct ? row.plain : `${row.creatorName}: ${row.plain}`),
    path: `/rooms/${row.roomId}/@${messageId}`,
  };
}

/**
 * `tag` names what the notification is about: the same push arriving twice (a push service may
 * deliver again when its answer to us was lost and the job retried) replaces the first instead of
 * stacking a copy.
 */
export function notification(title: string, body: string, path: string, badge: number, tag: string): Notification {
  return { title, options: { body, icon: appIconPath(192), tag, data: { path, badge } } };
}

/** A push service that may accept the same push later (busy, down, unreachable): the job tries again. */
export class PushNotDelivered extends Error {}

export type PushDeps = { db: Database; vapid: VapidKeys; guard?: GuardOptions; log: Logger };

/**
 * Encrypts a notification for one browser (RFC 8291, aes128gcm), signs the request with the
 * server's VAPID key (RFC 8292) and POSTs it to the browser's push service through the
 * private-network guard (the endpoint is a URL a browser, so anyone, handed us). A subscription
 * the service says is gone (404, 410) is removed. Throws PushNotDelivered when a retry may help.
 */
export async function sendPush(
  { db, vapid, guard, log }: PushDeps,
  subscription: PushSubscription | Omit<PushSubscription, "userAgent" | "createdAt" | "updatedAt">,
  payload: Notification,
): Promise<"sent" | "removed" | "refused"> {
  // Loaded on the first notification, not at start: web-push and its crypto packages are ~1 MB
  // of idle memory in the executable (build.ts splits dynamic imports into their own files).
  const { default: webpush } = await import("web-push");
  const details = webpush.generateRequestDetails(
    { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dhKey, auth: subscription.authKey } },
    JSON.stringify(payload),
    { vapidDetails: { subject: VAPID_SUBJECT, publicKey: vapid.publicKey, privateKey: vapid.privateKey }, TTL: TTL_S, urgency: "high" },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(details.headers)) if (name.toLowerCase() !== "content-length") headers[name] = String(value);
  let status: number;
  try {
    status = await guardedPost(
      details.endpoint,
      { headers, body: details.body as Uint8Array<ArrayBuffer> | null, timeoutMs: SEND_TIMEOUT_MS },
      guard,
    );
  } catch (error) {
    if (error instanceof FetchRefused) {
      // An endpoint on a private network (or not https) will never be sent to: it goes.
      log("warn", "push endpoint refused; subscription removed", { subscription: subscription.id, reason: error.message });
      removeSubscription(db, subscription);
      return "removed";
    }
    throw new PushNotDelivered(`push service unreachable: ${(error as Error).message}`);
  }
  if (status >= 200 && status < 300) return "sent";
  if (status === 404 || status === 410) {
    removeSubscription(db, subscription);
    return "removed";
  }
  if (status === 429 || status >= 500) throw new PushNotDelivered(`push service answered ${status}`);
  // 400, 403, 413: this request will never be accepted as it is; retrying only repeats it.
  log("warn", "push refused by the push service", { subscription: subscription.id, status });
  return "refused";
}
