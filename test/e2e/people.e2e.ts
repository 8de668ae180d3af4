import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { findUserByEmail } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { ADMIN, addMember, createRoom, MEMBER, postMessage, startSetUpServer } from "../helpers/fixtures.ts";
import { pngOf } from "../helpers/images.ts";
import type { TestServer } from "../helpers/server.ts";
import { messageIdFrom } from "../helpers/socket.ts";
import { expectCleanAndClose, launchBrowser, signedInPage, step, watchCsp, watchPage } from "./browser.ts";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server } = await startSetUpServer());
  await addMember(server);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const personAt = (email: string, password: string, path?: string) => signedInPage(browser, server, { email, password }, { path });

test("on the profile page a rename shows at once on someone else's screen: author, mention chip, boost, direct room and face", async () => {
  const milo = await personAt(MEMBER.email, MEMBER.password, "/users/me/profile");
  const miloClient = new Client(server.url);
  await miloClient.post("/session", { email_address: MEMBER.email, password: MEMBER.password });
  await postMessage(miloClient, 1, "Milo's message");
  const adaClient = new Client(server.url);
  await adaClient.post("/session", { email_address: ADMIN.email, password: ADMIN.password });
  const thanks = await postMessage(adaClient, 1, `Thanks @${MEMBER.name}`);
  await miloClient.post(`/messages/${messageIdFrom(thanks)}/boosts`, { content: "👍" });
  const miloId = findUserByEmail(server.db, MEMBER.email)!.id;
  await createRoom(adaClient, "directs", { user_ids: [miloId] });
  const ada = await personAt(ADMIN.email, ADMIN.password, "/rooms/1");
  await step(ada.page, ada.problems, "seeing Milo's message", () =>
    ada.page.locator(".message__author", { hasText: MEMBER.name }).waitFor(),
  );

  await step(milo.page, milo.problems, "renaming", async () => {
    await milo.page.locator('#profile_form input[name="name"]').fill("Milo Renamed");
    await milo.page.locator("#profile_form textarea[name=bio]").fill("Bakes bread.");
    await milo.page.locator("#profile_form button[type=submit]").click();
    await milo.page.locator('#profile_form input[name="name"][value="Milo Renamed"]').waitFor();
  });
  await step(ada.page, ada.problems, "seeing the new name without reloading", async () => {
    await ada.page.locator(".message__author", { hasText: "Milo Renamed" }).waitFor();
    await ada.page.locator(".mention", { hasText: "@Milo Renamed" }).waitFor();
    await ada.page.locator(`.direct-names__name[data-user-id="${miloId}"]`, { hasText: "Milo Renamed" }).waitFor();
    await ada.page.locator(`[data-avatar-of="${miloId}"]`, { hasText: "MR" }).first().waitFor();
    await ada.page.locator('.boost[title="Milo Renamed"]').waitFor();
  });
  expect(await ada.page.locator(".message__author", { hasText: MEMBER.name }).count()).toBe(0);
  // The profile page lists this device and the rooms, and broke no CSP rule.
  expect(await milo.page.locator(".profile__this-device").count()).toBe(1);
  expect(await milo.page.locator("#profile_notification_devices").count()).toBe(1);
  expect(await milo.cspViolations()).toEqual([]);
  expect(milo.problems).toEqual([]);
  // Put the name back for the other tests.
  server.db.query("UPDATE users SET name = ? WHERE email_address = ?").run(MEMBER.name, MEMBER.email);
  server.ctx.cache.personChanged(findUserByEmail(server.db, MEMBER.email)!.id);
  await milo.context.close();
  await ada.context.close();
}, 60_000);

test("on the account page an administrator sees the join QR code, changes the logo and the custom CSS, with the CSP intact", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password, "/account");
  await step(ada.page, ada.problems, "showing the QR code", async () => {
    await ada.page.locator(".account__qr summary").click();
    await ada.page.locator("svg.qr-code").waitFor({ state: "visible" });
  });
  const box = await ada.page.locator("svg.qr-code").boundingBox();
  expect(box!.width).toBeGreaterThan(100);

  await step(ada.page, ada.problems, "uploading a logo", async () => {
    await ada.page
      .locator('input[name="logo"]')
      .setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from(pngOf(600, 600)) });
    await ada.page.locator('form[action="/account/logo"] button[type=submit]').click();
    await ada.page.locator('link[rel="icon"][type="image/png"]').waitFor({ state: "attached" });
  });
  await ada.page.waitForFunction(() => document.querySelector<HTMLImageElement>(".account__logo")?.naturalWidth === 192);

  await step(ada.page, ada.problems, "saving custom CSS", async () => {
    await ada.page.goto(`${server.url}/account/custom_styles`);
    await ada.page.locator('textarea[name="custom_styles"]').fill(".panel__title { color: rgb(1, 2, 3); }");
    await ada.page.locator('button[value="save"]').click();
    await ada.page.waitForURL(/\/account\/custom_styles$/);
  });
  await ada.page.goto(`${server.url}/account`);
  expect(await ada.page.locator(".panel__title").evaluate((title) => getComputedStyle(title).color)).toBe("rgb(1, 2, 3)");
  await expectCleanAndClose(ada);
}, 60_000);

test("a ban removes the person's messages from everyone's screen, signs them out and refuses their posts", async () => {
  const address = "203.0.113.7";
  // Milo comes from a public address, as a reverse proxy on this machine would tell.
  const miloClient = new Client(server.url);
  await miloClient.post("/session", { email_address: MEMBER.email, password: MEMBER.password }, { "x-forwarded-for": address });
  await postMessage(miloClient, 1, "buy cheap watches");
  const miloContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": address } });
  await miloContext.addCookies([...miloClient.cookies].map(([name, value]) => ({ name, value, url: server.url })));
  const miloPage = await miloContext.newPage();
  const miloProblems = watchPage(miloPage);
  await watchCsp(miloPage);
  await miloPage.goto(`${server.url}/rooms/1`);

  const watcher = await personAt(ADMIN.email, ADMIN.password, "/rooms/1");
  await step(watcher.page, watcher.problems, "seeing the spam", () => watcher.page.getByText("buy cheap watches").waitFor());
  await step(watcher.page, watcher.problems, "connecting", () =>
    watcher.page.locator("#room_1_presence .avatar[title='Milo Member']").waitFor(),
  );

  const admin = await personAt(ADMIN.email, ADMIN.password, `/users/${findUserByEmail(server.db, MEMBER.email)!.id}`);
  await step(admin.page, admin.problems, "confirming the ban", async () => {
    await admin.page.getByRole("link", { name: "Ban…" }).click();
    await admin.page.getByText(address).waitFor();
    await admin.page.getByRole("button", { name: `Ban ${MEMBER.name}` }).click();
    await admin.page.getByText(`${MEMBER.name} is banned.`).waitFor();
  });

  await step(watcher.page, watcher.problems, "seeing the spam disappear", () =>
    watcher.page.getByText("buy cheap watches").waitFor({ state: "detached" }),
  );
  await step(miloPage, miloProblems, "being signed out", () => miloPage.waitForURL(/\/session\/new/));
  const refused = await miloPage.evaluate(
    async () =>
      (await fetch("/session", { method: "POST", body: new URLSearchParams({ email_address: "x@example.com", password: "x" }) })).status,
  );
  expect(refused).toBe(429);
  await miloContext.close();
  await watcher.context.close();
  await admin.context.close();
}, 60_000);
