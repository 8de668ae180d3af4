import type { Database } from "bun:sqlite";
import { now } from "../db/time.ts";
import { CONNECTION_TTL_MS } from "../rooms/presence.ts";
import { messagePush, type Notification, notification, type PushDeps, sendPush } from "./notifications.ts";
import { findSubscriptionByEndpoint, pushRecipients } from "./subscriptions.ts";

/** One push to one browser, as the `push` job carries it. */
export type Delivery = { subscriptionId: number; endpoint: string; notification: Notification };

/**
 * A new message's pushes, decided when its job runs (so "looking at the room" means now, not when
 * it was posted): one query finds every device to tell, then each gets a delivery of its own, so a
 * push service that is down is retried without repeating the others. Returns the deliveries to enqueue.
 */
export function messageDeliveries(db: Database, messageId: number): Delivery[] {
  const message = messagePush(db, messageId);
  if (!message) return []; // deleted before its turn came
  return pushRecipients(db, message, now() - CONNECTION_TTL_MS).map((recipient) => ({
    subscriptionId: recipient.id,
    endpoint: recipient.endpoint,
    notification: notification(message.title, message.body, message.path, recipient.badge, `message-${message.id}`),
  }));
}

/** Sends one delivery, unless its browser has since been removed; throws PushNotDelivered when a retry may help. */
export async function deliver(deps: PushDeps, delivery: Delivery): Promise<void> {
  const subscription = findSubscriptionByEndpoint(deps.db, delivery.subscriptionId, delivery.endpoint);
  if (subscription) await sendPush(deps, subscription, delivery.notification);
}
