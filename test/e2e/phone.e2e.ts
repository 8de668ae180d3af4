import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { findAccount } from "../../src/accounts/accounts.ts";
import { postMessage } from "../../src/messages/receive.ts";
import { enterRoom } from "../../src/rooms/presence.ts";
import { createOpenRoom, findRoom } from "../../src/rooms/rooms.ts";
import { createUser, findUser } from "../../src/users/users.ts";
import { ADMIN, addMember, MEMBER, signIn, startSetUpServer } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { launchBrowser, step, watchPage } from "./browser.ts";

const PHONE = { width: 390, height: 844 };

let server: TestServer;
let freshServer: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server } = await startSetUpServer());
  freshServer = startTestServer();
  await addMember(server);
  // A busy room with a long name: six people looking at it, a code block, a long word.
  const ada = findUser(server.db, 1)!;
  const room = createOpenRoom(server.db, ada, "Quarterly planning and roadmap discussion");
  for (const name of ["Bea Brown", "Cal Carter", "Dee Dawson", "Eli Evans"])
    createUser(server.db, { name, emailAddress: `${name.split(" ")[0]!.toLowerCase()}@example.com`, passwordDigest: "x", role: "member" });
  server.db.query("INSERT OR IGNORE INTO memberships (room_id, user_id, created_at) SELECT ?, id, 0 FROM users").run(room.id);
  for (const id of [1, 2, 3, 4, 5, 6]) enterRoom(server.db, id, room.id);
  await postMessage(server.ctx, ada, findRoom(server.db, room.id)!, {
    body: "Here is the plan:\n```\nconst quarters = ['Q1', 'Q2', 'Q3', 'Q4'].map((q) => plan(q));\n```\nhttps://example.com/a/very/long/path/that/keeps/going/and/going/without/any/break",
    clientMessageId: "plan",
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await freshServer?.close();
});

/** Nothing on the page reaches past the right edge, so it never pans sideways. */
async function expectNoSidewaysScroll(page: Page, path: string): Promise<void> {
  const widths = await page.evaluate(() => ({
    document: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    // The app column clips its overflow, which hides a too-wide header from scrollWidth: measure each bar too.
    widest: Math.max(
      0,
      ...[...document.querySelectorAll(".room__header, .search__header, main")].map((e) => e.getBoundingClientRect().right),
    ),
  }));
  expect({ path, ...widths }).toEqual({ path, document: PHONE.width, body: PHONE.width, widest: expect.any(Number) });
  expect(widths.widest).toBeLessThanOrEqual(PHONE.width);
}

/** The control is on screen, whole, and shows something (words or an icon), not an empty box. */
async function expectOnScreen(page: Page, selector: string): Promise<void> {
  const control = page.locator(selector).first();
  const box = await control.boundingBox();
  expect({ selector, box }).toEqual({ selector, box: expect.anything() });
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
  expect(box!.width).toBeGreaterThanOrEqual(24);
  const showsText = await control.evaluate((e) =>
    [...e.querySelectorAll("*")].concat(e).some((part) => {
      const style = getComputedStyle(part);
      const words = [...part.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== "");
      return words && style.display !== "none" && style.clip !== "rect(0px, 0px, 0px, 0px)" && part.getBoundingClientRect().width > 1;
    }),
  );
  const showsIcon = (await control.locator("svg").count()) > 0;
  expect({ selector, showsSomething: showsText || showsIcon }).toEqual({ selector, showsSomething: true });
}

test("every page fits a 390 px phone without sideways scrolling, its controls on screen", async () => {
  const joinCode = findAccount(server.ctx)!.joinCode;
  const busyRoom = 2;

  // Signed out: sign-in, join, an expired join link, and the first run of a fresh install.
  const visitor = await browser.newContext({ viewport: PHONE, hasTouch: true });
  const outside = await visitor.newPage();
  const outsideProblems = watchPage(outside);
  for (const path of ["/session/new", `/join/${joinCode}`, "/join/gone-gone-gone"]) {
    await step(outside, outsideProblems, `opening ${path}`, () => outside.goto(server.url + path));
    await expectNoSidewaysScroll(outside, path);
  }
  await outside.goto(`${freshServer.url}/first_run`);
  await expectNoSidewaysScroll(outside, "/first_run");
  await visitor.close();

  const { client } = await signIn(server, ADMIN.email, ADMIN.password);
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true });
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: server.url })));
  const page = await context.newPage();
  const problems = watchPage(page);

  await step(page, problems, "opening the busy room", () => page.goto(`${server.url}/rooms/${busyRoom}`));
  await page.locator(".message", { hasText: "Here is the plan" }).waitFor();
  await expectNoSidewaysScroll(page, "room");
  for (const control of [".room__menu", ".involvement__summary", ".room__search", ".room__settings", ".composer__send"])
    await expectOnScreen(page, control);

  // The sidebar slides in whole: the person's name and Sign out both show.
  await page.getByRole("button", { name: "Show rooms" }).click();
  await page.waitForFunction(() => document.querySelector(".sidebar")!.getBoundingClientRect().x >= 0);
  await expectOnScreen(page, ".sidebar__footer button");
  expect(await page.locator(".sidebar__me").evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);

  const pages = [
    `/rooms/${busyRoom}/edit`,
    "/rooms/1/edit",
    "/rooms/new",
    "/rooms/new?kind=closed",
    "/rooms/directs/new",
    "/account",
    "/searches?q=plan",
    "/rooms/hidden",
    "/users/me/profile",
    "/users/2",
    "/users/2/ban",
    "/account/custom_styles",
    "/account/audit",
  ];
  for (const path of pages) {
    await step(page, problems, `opening ${path}`, () => page.goto(server.url + path));
    await expectNoSidewaysScroll(page, path);
  }
  expect(problems.filter((p) => !p.includes("status of 404"))).toEqual([]);
  await context.close();
}, 90_000);

test("a member's phone shows the room header whole too", async () => {
  const { client } = await signIn(server, MEMBER.email, MEMBER.password);
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true });
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: server.url })));
  const page = await context.newPage();
  await page.goto(`${server.url}/rooms/2`);
  await expectNoSidewaysScroll(page, "room as a member");
  await expectOnScreen(page, ".room__settings");
  // The settings of a room they can't change, and their (empty) hidden rooms.
  for (const path of ["/rooms/2/edit", "/rooms/hidden"]) {
    await page.goto(server.url + path);
    await expectNoSidewaysScroll(page, `${path} as a member`);
  }
  await context.close();
}, 60_000);
