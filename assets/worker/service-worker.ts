// Campfire's service worker (served at /service-worker.js, scope /): shows pushes, opens the room a
// notification is about, badges the app icon with the unread count, keeps the page shell (the
// content-hashed assets) offline, and answers a page visit with the offline page when the network
// is gone. The server puts CAMPFIRE_SHELL in front of this bundle (src/pwa/routes.ts).
export {};

declare const self: ServiceWorkerGlobalScope;
declare const CAMPFIRE_SHELL: { version: string; assets: string[]; offline: string };

type Payload = { title?: string; options?: NotificationOptions & { data?: { path?: string; badge?: number } } };

const CACHE_PREFIX = "campfire-shell-";
// A new set of assets is a new cache; the old one goes once this worker takes over.
const CACHE = `${CACHE_PREFIX}${CAMPFIRE_SHELL.version}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([...CAMPFIRE_SHELL.assets, CAMPFIRE_SHELL.offline]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE).map((name) => caches.delete(name))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Hashed names never change content, so the cached copy is always right.
  if (url.pathname.startsWith("/assets/")) {
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
  } else if (request.mode === "navigate") {
    // Pages are always fresh from the server (they are private, never cached); only a failure falls back.
    event.respondWith(fetch(request).catch(() => caches.match(CAMPFIRE_SHELL.offline).then((page) => page ?? Response.error())));
  }
});

self.addEventListener("push", (event) => {
  const payload: Payload = event.data?.json() ?? {};
  const options = payload.options ?? {};
  event.waitUntil(
    Promise.all([self.registration.showNotification(payload.title ?? "Campfire", options), setBadge(options.data?.badge ?? 0)]),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = (event.notification.data as { path?: string } | null)?.path ?? "/";
  event.waitUntil(openOrFocus(new URL(path, self.location.origin).href));
});

/** The app's window that has focus, else any of its windows, goes to the room; with none open, a new one. */
async function openOrFocus(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const window = windows.find((client) => client.focused) ?? windows[0];
  if (!window) {
    await self.clients.openWindow(url);
    return;
  }
  const focused = await window.focus();
  await focused.navigate(url).catch(() => self.clients.openWindow(url));
}

async function setBadge(count: number): Promise<void> {
  const badging = self.navigator as WorkerNavigator & { setAppBadge?: (n: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
  // Not every browser badges; where it can't, the notification alone has to do.
  try {
    if (count > 0) await badging.setAppBadge?.(count);
    else await badging.clearAppBadge?.();
  } catch {}
}
