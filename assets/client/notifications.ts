// Notifications and the installable app, on the page's side: the service worker is registered on
// every page (it keeps the shell offline and shows pushes); the notifications page explains, asks
// the browser only when the button is pressed, subscribes, and shows this browser's state; the
// sidebar's bell and the app icon's badge follow along.
import { flash } from "./flash.ts";
import { onLoad } from "./on-load.ts";

type State = "on" | "off" | "blocked" | "unsupported";

const STATE_WORDS: Record<State, string> = {
  on: "Notifications are on for this browser.",
  off: "Notifications are off for this browser.",
  blocked: "This browser blocks Campfire's notifications. Allow them in the site settings (the icon left of the address), then reload.",
  unsupported: "This browser can't show Campfire's notifications. On an iPhone or iPad, add Campfire to the home screen first.",
};

const supported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

const registration: Promise<ServiceWorkerRegistration | null> =
  "serviceWorker" in navigator
    ? navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(() => null)
    : Promise.resolve(null);

async function currentSubscription(): Promise<PushSubscription | null> {
  const worker = await registration;
  return worker ? worker.pushManager.getSubscription() : null;
}

/** On only when the browser allows, holds a subscription, and the server still has it (it may have removed it). */
async function stateOf(listed: (endpoint: string) => boolean): Promise<State> {
  if (!supported()) return "unsupported";
  if (Notification.permission === "denied") return "blocked";
  if (Notification.permission !== "granted") return "off";
  const subscription = await currentSubscription();
  return subscription && listed(subscription.endpoint) ? "on" : "off";
}

const listedEndpoints = () =>
  new Set([...document.querySelectorAll<HTMLElement>("#push_devices [data-endpoint]")].map((item) => item.dataset.endpoint));

async function showState(section: HTMLElement): Promise<void> {
  const endpoints = listedEndpoints();
  const state = await stateOf((endpoint) => endpoints.has(endpoint));
  const line = section.querySelector<HTMLElement>("[data-notifications-state]")!;
  line.dataset.notificationsState = state;
  line.textContent = STATE_WORDS[state];
  section.querySelector<HTMLElement>("[data-notifications-enable]")!.hidden = state !== "off";
  section.querySelector<HTMLElement>("[data-notifications-disable]")!.hidden = state !== "on";
  const mine = (await currentSubscription())?.endpoint;
  for (const item of document.querySelectorAll<HTMLElement>("#push_devices [data-endpoint]"))
    item.querySelector<HTMLElement>(".push-devices__this")!.hidden = item.dataset.endpoint !== mine;
}

const keyBytes = (base64url: string) => Uint8Array.from(atob(base64url.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));
const base64url = (buffer: ArrayBuffer | null) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer ?? new ArrayBuffer(0))))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

/** Sends a request whose answer is the device list again, and puts it in place. */
async function updateDevices(method: string, path: string, body?: URLSearchParams): Promise<boolean> {
  const response = await fetch(path, { method, body, headers: { "HX-Request": "true" } });
  const html = await response.text();
  if (!response.ok) {
    flash(html);
    return false;
  }
  htmx.swap("#push_devices", html, { swapStyle: "outerHTML", swapDelay: 0, settleDelay: 0 });
  return true;
}

async function enable(section: HTMLElement): Promise<void> {
  // The browser's own question, asked only now that the person has read what it is for and pressed the button.
  if ((await Notification.requestPermission()) !== "granted") return;
  const worker = await navigator.serviceWorker.ready;
  const subscription =
    (await worker.pushManager.getSubscription()) ??
    (await worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(section.dataset.vapidPublicKey!) }));
  const saved = await updateDevices(
    "POST",
    "/users/me/push_subscriptions",
    new URLSearchParams({
      "push_subscription[endpoint]": subscription.endpoint,
      "push_subscription[p256dh_key]": base64url(subscription.getKey("p256dh")),
      "push_subscription[auth_key]": base64url(subscription.getKey("auth")),
    }),
  );
  // A subscription the server doesn't know would only make the browser believe it is on.
  if (!saved) await subscription.unsubscribe();
}

async function disable(): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  const item = [...document.querySelectorAll<HTMLElement>("#push_devices [data-endpoint]")].find(
    (row) => row.dataset.endpoint === subscription.endpoint,
  );
  await subscription.unsubscribe();
  if (item) await updateDevices("DELETE", `/users/me/push_subscriptions/${item.id.replace("push_subscription_", "")}`);
}

onLoad((root) => {
  const section = document.querySelector<HTMLElement>("[data-notifications]");
  if (section && (root === document.body || root.id === "push_devices")) void showState(section);
  for (const bell of root.querySelectorAll<HTMLElement>("[data-notifications-bell]")) void showBell(bell);
});

document.addEventListener("click", (event) => {
  const target = event.target as Element;
  const section = target.closest<HTMLElement>("[data-notifications]");
  if (!section) return;
  let action: Promise<void>;
  if (target.closest("[data-notifications-enable]")) action = enable(section);
  else if (target.closest("[data-notifications-disable]")) action = disable();
  else return;
  void action
    .catch(() => flash("<p>The browser could not turn notifications on or off. Please try again.</p>"))
    .then(() => showState(section));
});

/** The sidebar's bell: it says what the browser allows; the server's list is on the page it links to. */
async function showBell(bell: HTMLElement): Promise<void> {
  const state: State = !supported()
    ? "unsupported"
    : Notification.permission === "denied"
      ? "blocked"
      : Notification.permission === "granted" && (await currentSubscription())
        ? "on"
        : "off";
  bell.dataset.state = state;
  bell.title = STATE_WORDS[state];
}

// The app icon's badge counts unread rooms, as a push sets it while no page is open.
function badgeUnread(): void {
  const badging = navigator as Navigator & { setAppBadge?: (n: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
  if (!badging.setAppBadge) return;
  const unread = document.querySelectorAll(".sidebar__item--unread").length;
  (unread > 0 ? badging.setAppBadge(unread) : badging.clearAppBadge!()).catch(() => {});
}

document.addEventListener("DOMContentLoaded", () => {
  const sidebar = document.querySelector(".sidebar");
  if (!sidebar) return;
  badgeUnread();
  new MutationObserver(badgeUnread).observe(sidebar, { subtree: true, childList: true, attributeFilter: ["class"] });
});
