/** @jsxImportSource hono/jsx */
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { NotificationsPage, PushDevicesAnswer } from "../../templates/users/notifications.tsx";
import { clientInfo, currentUser, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { orNotFound } from "../http/errors.tsx";
import { isHtmx, redirectTo } from "../http/request.ts";
import { idParam, refuseWith } from "../http/validate.tsx";
import { notification, PushNotDelivered, sendPush } from "./notifications.ts";
import { findSubscriptionOf, removeSubscription, saveSubscription, subscriptionsOf, unreadRoomCount } from "./subscriptions.ts";

const INDEX = "/users/me/push_subscriptions";

const base64url = (name: string, bytes: number) =>
  z
    .string(`${name} is missing.`)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `${name} must be base64url.`)
    .refine((key) => Buffer.from(key, "base64url").length === bytes, `${name} must be ${bytes} bytes.`);

// The field names are the original's (push_subscription[endpoint] …), so its browsers' code posts here as it did.
const subscriptionForm = z.object({
  "push_subscription[endpoint]": z
    .url({ protocol: /^https$/, error: "The endpoint must be an https:// URL." })
    .max(2000, "The endpoint is too long."),
  "push_subscription[p256dh_key]": base64url("The p256dh key", 65),
  "push_subscription[auth_key]": base64url("The auth key", 16),
});

/** A person's browsers that get notifications: the page, enabling one, removing one, and a test push. */
export function pushRoutes(ctx: AppContext) {
  const { db } = ctx;
  const answer = (c: Context<AppEnv>, words: { notice?: string; alert?: string } = {}) =>
    c.html(<PushDevicesAnswer subscriptions={subscriptionsOf(db, currentUser(c).id)} {...words} />);
  return new Hono<AppEnv>()
    .use(INDEX, requireUser)
    .use(`${INDEX}/*`, requireUser)
    .get(INDEX, (c) =>
      c.html(
        <NotificationsPage
          user={currentUser(c)}
          vapidPublicKey={ctx.push.vapid.publicKey}
          subscriptions={subscriptionsOf(db, currentUser(c).id)}
        />,
      ),
    )
    .post(INDEX, zValidator("form", subscriptionForm, refuseWith(422)), (c) => {
      const form = c.req.valid("form");
      saveSubscription(
        ctx,
        currentUser(c).id,
        {
          endpoint: form["push_subscription[endpoint]"],
          p256dhKey: form["push_subscription[p256dh_key]"],
          authKey: form["push_subscription[auth_key]"],
        },
        clientInfo(c).userAgent,
      );
      return answer(c);
    })
    .delete(`${INDEX}/:id`, idParam, (c) => {
      const subscription = orNotFound(findSubscriptionOf(db, currentUser(c).id, c.req.valid("param").id));
      removeSubscription(db, subscription);
      return isHtmx(c) ? answer(c, { notice: "That device won't get notifications any more." }) : redirectTo(c, INDEX);
    })
    .post(`${INDEX}/:id/test_notifications`, idParam, async (c) => {
      const user = currentUser(c);
      const subscription = orNotFound(findSubscriptionOf(db, user.id, c.req.valid("param").id));
      // Sent now rather than queued: the person is waiting to see whether it works, and says so if not.
      const payload = notification(
        "Campfire Test",
        `If you can read this, notifications work (${crypto.randomUUID().slice(0, 8)}).`,
        INDEX,
        unreadRoomCount(db, user.id),
        "campfire-test",
      );
      let outcome: Awaited<ReturnType<typeof sendPush>>;
      try {
        outcome = await sendPush({ db, log: ctx.log, ...ctx.push }, subscription, payload);
      } catch (error) {
        if (!(error instanceof PushNotDelivered)) throw error;
        return answer(c, { alert: "The browser's push service didn't answer. Please try again in a moment." });
      }
      if (outcome === "sent") return answer(c, { notice: "Sent. It should appear on that device in a few seconds." });
      if (outcome === "removed")
        return answer(c, {
          alert: "That device's push service no longer takes notifications for it, so it was removed. Turn them on again there.",
        });
      return answer(c, { alert: "The browser's push service refused the notification." });
    });
}
