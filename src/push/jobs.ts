import type { Database } from "bun:sqlite";
import { z } from "zod";
import { enqueueJob, RetryableJobError, registerJobKind } from "../jobs/runner.ts";
import { type Delivery, deliver, messageDeliveries } from "./deliveries.ts";
import { PushNotDelivered } from "./notifications.ts";

// Two kinds: a message's job decides who is told (one query) and queues one push per device; each
// push then succeeds, retries or gives up on its own, so one push service that is down delays
// nobody else and a retry never notifies anyone twice.
const MESSAGE_JOB = "push_message";
const DELIVERY_JOB = "push";

/** Queues the pushes a new message may cause; call it in the transaction that stores the message. */
export function enqueueMessagePush(db: Database, messageId: number): void {
  enqueueJob(db, MESSAGE_JOB, { messageId });
}

const messageJob = z.object({ messageId: z.number().int().positive() });
const deliveryJob: z.ZodType<Delivery> = z.object({
  subscriptionId: z.number().int().positive(),
  endpoint: z.string(),
  notification: z.object({
    title: z.string(),
    options: z.object({
      body: z.string(),
      icon: z.string(),
      // Pushes queued by a version before tags have none; to the browser "" is no tag.
      tag: z.string().default(""),
      data: z.object({ path: z.string(), badge: z.number().int().nonnegative() }),
    }),
  }),
});

registerJobKind(MESSAGE_JOB, {
  async run(payload, { db }) {
    const deliveries = messageDeliveries(db, messageJob.parse(payload).messageId);
    db.transaction(() => {
      for (const delivery of deliveries) enqueueJob(db, DELIVERY_JOB, delivery);
    })();
  },
  // Only the database can fail here, and it won't by trying again soon.
  maxAttempts: 3,
  concurrency: 1,
});

registerJobKind(DELIVERY_JOB, {
  async run(payload, { db, log, push }) {
    try {
      await deliver({ db, log, ...push }, deliveryJob.parse(payload));
    } catch (error) {
      if (error instanceof PushNotDelivered) throw new RetryableJobError(error.message);
      throw error;
    }
  },
  // Push services answer in tens of milliseconds: four at once send hundreds a second, and a burst
  // (a message to a big room) leaves room in the runner for webhooks.
  concurrency: 4,
});
