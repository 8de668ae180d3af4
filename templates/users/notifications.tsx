/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { PushSubscription } from "../../src/push/subscriptions.ts";
import type { User } from "../../src/users/users.ts";
import { Layout } from "../layout.tsx";
import { Flash } from "../shared/flash.tsx";
import { PushDevices } from "./push-devices.tsx";

/**
 * Notifications, explained before anything is asked: the browser's permission prompt comes only
 * from the button. The state line is filled in by assets/client/notifications.ts, which alone can
 * see what this browser allows (on, off, blocked, unsupported).
 */
export const NotificationsPage: FC<{ user: User; vapidPublicKey: string; subscriptions: PushSubscription[] }> = ({
  user,
  vapidPublicKey,
  subscriptions,
}) => (
  <Layout title="Notifications" bodyClass="panel-page" user={user}>
    <main class="panel account">
      <p class="account__back">
        <a href="/">← Back to chat</a>
      </p>
      <h1 class="panel__title">Notifications</h1>
      <section class="account__section notifications" data-notifications data-vapid-public-key={vapidPublicKey}>
        <p>
          Campfire can tell this device when something happens while you are not looking at the room: every message in rooms set to “All
          messages” (direct messages are, unless you change it), and only messages that mention you in rooms set to “Mentions”. Your own
          messages, and rooms you have open right now, never notify you. Each room's bell sets its level.
        </p>
        <p class="notifications__state" data-notifications-state="unknown" aria-live="polite">
          Checking whether this browser can show notifications…
        </p>
        <p class="notifications__actions">
          <button class="button button--primary" type="button" data-notifications-enable hidden>
            Turn on notifications
          </button>
          <button class="button button--quiet" type="button" data-notifications-disable hidden>
            Turn off on this device
          </button>
        </p>
      </section>
      <PushDevices subscriptions={subscriptions} />
    </main>
  </Layout>
);

/** The device list again, with a word on what just happened. */
export const PushDevicesAnswer: FC<{ subscriptions: PushSubscription[]; notice?: string; alert?: string }> = ({
  subscriptions,
  notice,
  alert,
}) => (
  <>
    <PushDevices subscriptions={subscriptions} />
    {notice || alert ? (
      <div id="flash" class="flash" aria-live="polite" hx-swap-oob="true">
        <Flash kind={alert ? "alert" : "notice"} message={(alert ?? notice)!} />
      </div>
    ) : null}
  </>
);
