import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type CDPSession, chromium, type Page } from "playwright-core";
import { subscriptionsOf } from "../../src/push/subscriptions.ts";
import type { Client } from "../helpers/client.ts";
import { ADMIN, addSignedInMember, postMessage, signIn, startQuickSetUpServer } from "../helpers/fixtures.ts";
import { PushEndpoint } from "../helpers/push-endpoint.ts";
import { makeDataDir, startConfiguredTestServer, type TestServer } from "../helpers/server.ts";
import { BROWSER_ARGS, CHROMIUM_PATH, launchBrowser, signedInPage, step, watchCsp, watchPage } from "./browser.ts";

// signedInPage blocks service workers unless asked: here they are what is tested.
const WITH_WORKER = { serviceWorkers: "allow" } as const;
let server: TestServer;
let browser: Browser;
let endpoint: PushEndpoint;
let milo: Client;

beforeAll(async () => {
  endpoint = await PushEndpoint.start();
  ({ server } = await startQuickSetUpServer(startConfiguredTestServer({}, makeDataDir(), { networkGuard: endpoint.guard })));
  ({ client: milo } = await addSignedInMember(server));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await endpoint?.stop();
});

/**
 * The registration id of the worker controlling this page, which CDP needs to hand it a push. (The
 * browser is shared by the file's tests; other contexts have registrations for the same scope.)
 */
async function workerRegistrationId(cdp: CDPSession): Promise<string> {
  const { targetInfo } = await cdp.send("Target.getTargetInfo");
  let found: string | null = null;
  cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
    const mine = versions.find((version) => version.status === "activated" && version.controlledClients?.includes(targetInfo.targetId));
    if (mine) found = mine.registrationId;
  });
  // Enabling reports the versions as they are then; one reported before the page counted as
  // controlled never comes again unless something changes, so it is asked again until it says so.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    await cdp.send("ServiceWorker.enable");
    for (let i = 0; i < 20 && found === null; i++) await Bun.sleep(50);
    if (found !== null) return found;
    await cdp.send("ServiceWorker.disable");
  }
  throw new Error("no activated service worker controls the page");
}

/** Hands a push to the page's worker, as the push service would. */
const deliverPush = (cdp: CDPSession, registrationId: string, payload: unknown) =>
  cdp.send("ServiceWorker.deliverPushMessage", { origin: server.url, registrationId, data: JSON.stringify(payload) });

/**
 * Hands a push to the page's worker until `count` notifications are shown (polled: waitForFunction
 * would take an async predicate's promise as true). Handed again after 3 s without one: once in CI (stop 20) a second push never showed, while
 * Chromium reported nothing. The notification's tag makes a push that arrives twice replace itself,
 * so handing it again cannot stack a copy.
 */
async function deliverUntilShown(cdp: CDPSession, page: Page, registrationId: string, payload: unknown, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    await deliverPush(cdp, registrationId, payload);
    const handedAt = Date.now();
    while (Date.now() - handedAt < 3_000) {
      if ((await notificationsShown(page)).length >= count) return;
      await Bun.sleep(50);
    }
  }
  throw new Error(`expected ${count} notifications, saw ${JSON.stringify(await notificationsShown(page))}`);
}

const notificationsShown = (page: Page) =>
  page.evaluate(async () =>
    (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      data: n.data,
      tag: n.tag,
    })),
  );

test("the app installs: the manifest loads with its icons, the service worker registers at /, and Chromium finds nothing missing", async () => {
  // Installing needs a profile of its own: every other context Playwright makes is incognito, where Chromium never offers it.
  const profile = mkdtempSync(join(tmpdir(), "campfire-profile-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: BROWSER_ARGS });
  try {
    const { client } = await signIn(server, ADMIN.email, ADMIN.password);
    await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: server.url })));
    const page = await context.newPage();
    const problems = watchPage(page);
    const cspViolations = await watchCsp(page);
    await page.goto(`${server.url}/rooms/1`);
    const scope = await step(page, problems, "registering the service worker", () =>
      page.evaluate(async () => (await navigator.serviceWorker.ready).scope),
    );
    expect(scope).toBe(`${server.url}/`);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send("Page.getAppManifest");
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data!)).toMatchObject({ name: "Acme Chat", display: "standalone", start_url: "/" });
    expect((await cdp.send("Page.getInstallabilityErrors")).installabilityErrors).toEqual([]);
    for (const icon of JSON.parse(manifest.data!).icons as { src: string }[])
      expect((await page.request.get(`${server.url}${icon.src}`)).status()).toBe(200);
    expect(await cspViolations()).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test("offline, a page visit shows Campfire's offline page, styled from the cached shell", async () => {
  const { page, problems, context } = await signedInPage(browser, server, ADMIN, { contextOptions: WITH_WORKER });
  await step(page, problems, "the worker taking control", () => page.waitForFunction(() => navigator.serviceWorker.controller !== null));
  await context.setOffline(true);
  await page.goto(`${server.url}/rooms/1`);
  await page.getByRole("heading", { name: "You're offline" }).waitFor();
  // The stylesheet came from the worker's cache: the page is laid out, not bare HTML.
  expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).not.toBe("");
  expect(await page.evaluate(() => document.styleSheets.length)).toBeGreaterThan(0);
  await context.setOffline(false);
  await context.close();
});

test("the notifications page explains and shows the state; a test push and a message from another person are shown by the service worker", async () => {
  const { page, problems, context } = await signedInPage(browser, server, ADMIN, {
    path: "/users/me/push_subscriptions",
    permissions: ["notifications"],
    contextOptions: WITH_WORKER,
  });
  const state = page.locator("[data-notifications-state]");
  await step(page, problems, "showing the state", () => page.locator("[data-notifications-state='off']").waitFor());
  expect(await state.textContent()).toBe("Notifications are off for this browser.");
  expect(await page.locator("[data-notifications-enable]").isVisible()).toBe(true);

  // Headless Chromium has no push service to subscribe with, so this browser's subscription points
  // at the test's push service (as FCM's would point at Google), saved the way the page saves one.
  const keys = await endpoint.subscribe("/browser/ada");
  const saved = await page.evaluate(
    async (form) => (await fetch("/users/me/push_subscriptions", { method: "POST", body: new URLSearchParams(form) })).status,
    {
      "push_subscription[endpoint]": keys.endpoint,
      "push_subscription[p256dh_key]": keys.p256dhKey,
      "push_subscription[auth_key]": keys.authKey,
    },
  );
  expect(saved).toBe(200);
  // Reloaded only once the worker is active: a page that starts loading while the first worker is
  // still installing stays uncontrolled (its claim() can come before the new page exists).
  await step(page, problems, "the worker becoming active", () => page.evaluate(async () => void (await navigator.serviceWorker.ready)));
  await page.reload();
  await page.getByRole("button", { name: "Send me a test notification" }).click();
  await step(page, problems, "confirming the test push", () => page.getByText("Sent.").waitFor());
  const [push] = await step(page, problems, "the push service receiving it", () => endpoint.waitFor(1));
  expect(endpoint.rejected).toEqual([]);

  // The push service hands the (decrypted) message to the browser's worker, which shows it.
  const cdp = await context.newCDPSession(page);
  await step(page, problems, "the worker controlling the page", () =>
    page.waitForFunction(() => navigator.serviceWorker.controller !== null),
  );
  const registrationId = await workerRegistrationId(cdp);
  await step(page, problems, "the worker showing the notification", () => deliverUntilShown(cdp, page, registrationId, push!.payload, 1));
  expect(await notificationsShown(page)).toEqual([
    {
      title: "Campfire Test",
      body: push!.payload.options.body,
      data: { path: "/users/me/push_subscriptions", badge: 0 },
      tag: "campfire-test",
    },
  ]);
  expect(subscriptionsOf(server.db, 1)).toHaveLength(1);

  // Milo writes in a room Ada follows in full, while she is on this page and not in the room: the
  // server pushes it, and her worker shows it, titled by the room.
  await page.evaluate(() =>
    fetch("/rooms/1/involvement", {
      method: "PATCH",
      body: new URLSearchParams({ involvement: "everything" }),
      headers: { "HX-Request": "true" },
    }),
  );
  expect((await postMessage(milo, 1, "The build is green")).status).toBe(201);
  const [, message] = await endpoint.waitFor(2);
  expect(endpoint.rejected).toEqual([]);
  await step(page, problems, "the worker showing the message", () => deliverUntilShown(cdp, page, registrationId, message!.payload, 2));
  expect((await notificationsShown(page)).map((shown) => [shown.title, shown.body, shown.data.path])).toContainEqual([
    "All Talk",
    "Milo Member: The build is green",
    message!.payload.options.data.path,
  ]);

  // The same push arriving again (a push service redelivering) replaces its notification: still two.
  await deliverPush(cdp, registrationId, message!.payload);
  await deliverPush(cdp, registrationId, push!.payload);
  await Bun.sleep(1_000);
  expect((await notificationsShown(page)).map((shown) => shown.tag).sort()).toEqual(["campfire-test", message!.payload.options.tag]);
  expect(problems).toEqual([]);
  await context.close();
});

test("where the browser blocks notifications, the page says so and offers no button that can't work", async () => {
  const { page, problems, context } = await signedInPage(browser, server, ADMIN, {
    path: "/users/me/push_subscriptions",
    contextOptions: WITH_WORKER,
  });
  // Playwright only grants; the browser's own protocol can deny, for this context alone.
  const { targetInfo } = await (await context.newCDPSession(page)).send("Target.getTargetInfo");
  await (await browser.newBrowserCDPSession()).send("Browser.setPermission", {
    permission: { name: "notifications" },
    setting: "denied",
    origin: server.url,
    browserContextId: targetInfo.browserContextId,
  });
  await page.reload();
  await step(page, problems, "showing blocked", () => page.locator("[data-notifications-state='blocked']").waitFor());
  expect(await page.locator("[data-notifications-enable]").isHidden()).toBe(true);
  await context.close();
});
