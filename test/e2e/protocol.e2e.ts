import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { FRAME, type FrameKind } from "../../src/realtime/protocol.ts";
import { userTopic } from "../../src/realtime/topics.ts";
import {
  activityFrame,
  avatarFrame,
  messageRemovedFrame,
  messagesFrame,
  personFrame,
  readFrame,
  refreshFrame,
  roomRemovedFrame,
  sidebarRemoveFrame,
  sidebarRoomFrame,
  typingFrame,
} from "../../templates/frames.ts";
import { html } from "../../templates/html.ts";
import { ADMIN, signIn, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { launchBrowser, step, watchPage } from "./browser.ts";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server } = await startSetUpServer());
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// One frame of every kind the protocol declares, each from the server's own builder; typed as a
// record of every kind, so a kind added to the protocol doesn't compile here until it is sent too.
// They are about a room nobody is in, so the page has nothing to do but take them.
const NOWHERE = 999_999;
const EVERY_KIND: Record<FrameKind, string> = {
  [FRAME.messages]: messagesFrame(NOWHERE, html``),
  [FRAME.messageRemoved]: messageRemovedFrame(NOWHERE, 1, 1),
  [FRAME.activity]: activityFrame(NOWHERE, 2, ""),
  [FRAME.typing]: typingFrame(NOWHERE, { id: 2, name: "Someone" }, "start"),
  [FRAME.read]: readFrame(NOWHERE),
  [FRAME.refresh]: refreshFrame(NOWHERE),
  [FRAME.roomRemoved]: roomRemovedFrame(NOWHERE, "Gone."),
  [FRAME.sidebarRoom]: sidebarRoomFrame(NOWHERE, html``),
  [FRAME.sidebarRemove]: sidebarRemoveFrame(NOWHERE),
  [FRAME.avatar]: avatarFrame(NOWHERE, html``),
  [FRAME.person]: personFrame(NOWHERE, "Someone", html``),
};

test("the browser code has a handler for every kind of frame the server sends", async () => {
  const { client } = await signIn(server, ADMIN.email, ADMIN.password);
  const context = await browser.newContext();
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: server.url })));
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${server.url}/rooms/1`);
  const userId = Number(await page.locator("body").getAttribute("data-user-id"));
  await step(page, problems, "connecting", () => page.locator("#room_1_presence .avatar[title='Ada Admin']").waitFor());

  for (const frame of Object.values(EVERY_KIND)) server.ctx.publisher.publish(userTopic(userId), frame);
  // Frames arrive in order on the one socket: once this one has been acted on, so have the others.
  server.ctx.publisher.publish(userTopic(userId), sidebarRemoveFrame(1));
  await step(page, problems, "taking every frame", () => page.locator("#sidebar_room_1").waitFor({ state: "detached" }));

  expect(problems).toEqual([]);
  await context.close();
});
