/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { PushSubscription } from "../../src/push/subscriptions.ts";
import { domId } from "../../src/realtime/protocol.ts";
import { LocalTime } from "../shared/time.tsx";

/** A device's name from its browser's user agent: enough to tell a phone from a laptop, no more. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return "A browser";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "A browser";
  const system = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Mac OS X/.test(userAgent)
        ? "macOS"
        : /Windows/.test(userAgent)
          ? "Windows"
          : /Linux|CrOS/.test(userAgent)
            ? "Linux"
            : null;
  return system ? `${browser} on ${system}` : browser;
}

/**
 * The person's devices that get notifications, each with a test button and a remove button. Its
 * own file so any settings page can include it; every button answers with this list again. The
 * endpoint rides along so the page's script can tell which row is this browser.
 */
export const PushDevices: FC<{ subscriptions: PushSubscription[] }> = ({ subscriptions }) => (
  <section id="push_devices" class="account__section push-devices" aria-labelledby="push_devices_heading">
    <h2 id="push_devices_heading" class="account__heading">
      Devices that get notifications
    </h2>
    {subscriptions.length === 0 ? (
      <p class="push-devices__none">None yet. Turn notifications on above, on each device where you want them.</p>
    ) : (
      <ul class="push-devices__list">
        {subscriptions.map((subscription) => (
          <li id={domId("push_subscription", subscription.id)} class="push-devices__item" data-endpoint={subscription.endpoint}>
            <span class="push-devices__name">{deviceName(subscription.userAgent)}</span>
            <span class="push-devices__when">
              since <LocalTime at={subscription.createdAt} format="datetime" />
            </span>
            <span class="push-devices__this" hidden>
              (this browser)
            </span>
            <button
              class="button button--quiet"
              type="button"
              hx-post={`/users/me/push_subscriptions/${subscription.id}/test_notifications`}
              hx-target="#push_devices"
              hx-swap="outerHTML"
            >
              Send me a test notification
            </button>
            <button
              class="button button--quiet"
              type="button"
              hx-delete={`/users/me/push_subscriptions/${subscription.id}`}
              hx-target="#push_devices"
              hx-swap="outerHTML"
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
    )}
  </section>
);
