import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { editMessage, postMessage, removeMessage } from "../../src/messages/receive.ts";
import { announceRoom } from "../../src/rooms/broadcasts.ts";
import { createOpenRoom, findRoom } from "../../src/rooms/rooms.ts";
import { findUser } from "../../src/users/users.ts";
import { ADMIN, addMember, MEMBER, signIn, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { launchBrowser, signedInPage, step, watchPage } from "./browser.ts";

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

const personAt = (email: string, password: string) => signedInPage(browser, server, { email, password });

const messages = (page: Page) => page.locator("#room_1_messages .message[data-message-id]");

test("two people chat live, see each other typing and unread rooms, and the talk survives a reload", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const milo = await personAt(MEMBER.email, MEMBER.password);

  // Both sockets are in: each sees the other in the room's presence list.
  await step(ada.page, ada.problems, "seeing Milo arrive", () =>
    ada.page.locator("#room_1_presence .avatar[title='Milo Member']").waitFor(),
  );

  // Ada types; Milo sees it. Enter sends, and the message shows for both without a reload.
  await ada.page.locator("#composer_body").pressSequentially("Morning, Milo!");
  await step(milo.page, milo.problems, "seeing Ada type", () => milo.page.getByText("Ada Admin is typing…").waitFor());
  await ada.page.locator("#composer_body").press("Enter");
  await step(milo.page, milo.problems, "receiving Ada's message", () =>
    messages(milo.page).filter({ hasText: "Morning, Milo!" }).waitFor(),
  );
  expect(await messages(ada.page).filter({ hasText: "Morning, Milo!" }).getAttribute("class")).toContain("message--me");
  await milo.page.getByText("Ada Admin is typing…").waitFor({ state: "detached" });

  // Shift+Enter makes a second line; Milo's answer reaches Ada.
  await milo.page.locator("#composer_body").pressSequentially("Hi Ada");
  await milo.page.locator("#composer_body").press("Shift+Enter");
  await milo.page.locator("#composer_body").pressSequentially("coffee?");
  expect(await milo.page.locator("#composer_body").inputValue()).toBe("Hi Ada\ncoffee?");
  await milo.page.locator("#composer_body").press("Enter");
  await step(ada.page, ada.problems, "receiving Milo's reply", () => messages(ada.page).filter({ hasText: "coffee?" }).waitFor());
  expect(await messages(ada.page).count()).toBe(2);
  expect(await messages(milo.page).count()).toBe(2);

  // Up arrow edits my last message; the edit reaches the other person.
  await milo.page.locator("#composer_body").press("ArrowUp");
  const editor = milo.page.locator(".message--editing textarea");
  await editor.fill("Hi Ada, tea?");
  await editor.press("Enter");
  await step(ada.page, ada.problems, "seeing Milo's edit", () => messages(ada.page).filter({ hasText: "Hi Ada, tea?" }).waitFor());

  // Ada opens a new room; it appears in Milo's sidebar live, and turns unread when Ada writes there.
  await ada.page.goto(`${server.url}/rooms/new`);
  await ada.page.getByLabel("Room name").fill("Coffee corner");
  await Promise.all([ada.page.waitForURL(/\/rooms\/2$/), ada.page.getByRole("button", { name: "Create room" }).click()]);
  const miloSidebarItem = milo.page.locator("#sidebar_room_2");
  await step(milo.page, milo.problems, "seeing the new room", () => miloSidebarItem.waitFor());
  await ada.page.locator("#composer_body").fill("Beans are in.");
  await ada.page.locator("#composer_body").press("Enter");
  await step(milo.page, milo.problems, "seeing the room turn unread", () =>
    milo.page.locator("#sidebar_room_2.sidebar__item--unread").waitFor(),
  );
  expect(await milo.page.locator("#sidebar_room_1").getAttribute("class")).not.toContain("unread");

  // Opening it clears the mark; the conversation in All Talk survives a reload.
  await milo.page.locator("#sidebar_room_2 a").click();
  await milo.page.getByText("Beans are in.").waitFor();
  expect(await milo.page.locator("#sidebar_room_2").getAttribute("class")).not.toContain("unread");
  await milo.page.goto(`${server.url}/rooms/1`);
  await milo.page.reload();
  expect(await messages(milo.page).allTextContents()).toEqual([
    expect.stringContaining("Morning, Milo!"),
    expect.stringContaining("Hi Ada, tea?"),
  ]);

  const ignorable = (problem: string) => problem.includes("status of 4");
  expect(ada.problems.filter((p) => !ignorable(p))).toEqual([]);
  expect(milo.problems.filter((p) => !ignorable(p))).toEqual([]);
  await ada.context.close();
  await milo.context.close();
}, 90_000);

test("a message that fails to post is marked, and Retry sends it exactly once", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  let refusals = 0;
  await ada.page.route("**/rooms/1/messages", (route) => (refusals++ === 0 ? route.abort("connectionrefused") : route.continue()));
  await ada.page.locator("#composer_body").fill("This one fights the network");
  await ada.page.locator("#composer_body").press("Enter");
  const pending = ada.page.locator(".message--failed").filter({ hasText: "This one fights the network" });
  await step(ada.page, ada.problems, "seeing the failure", () => pending.waitFor());
  expect(await pending.locator(".message__status").textContent()).toContain("Not sent");

  await pending.getByRole("button", { name: "Retry" }).click();
  await step(ada.page, ada.problems, "seeing the retry confirmed", () =>
    messages(ada.page).filter({ hasText: "This one fights the network" }).waitFor(),
  );
  expect(await ada.page.locator(".message--pending").count()).toBe(0);
  const rows = server.db.query("SELECT count(*) AS n FROM messages WHERE body_plain = 'This one fights the network'").get() as {
    n: number;
  };
  expect(rows.n).toBe(1);
  await ada.context.close();
}, 60_000);

test("scrolling up loads older pages in order, and Jump to latest appears when new messages arrive out of sight", async () => {
  const room = findRoom(server.db, 1)!;
  const milo = findUser(server.db, 2)!;
  const before = (server.db.query("SELECT count(*) AS n FROM messages WHERE room_id = 1").get() as { n: number }).n;
  for (let i = 1; i <= 100; i++) void postMessage(server.ctx, milo, room, { body: `History line ${i}`, clientMessageId: `history-${i}` });
  const ada = await personAt(ADMIN.email, ADMIN.password);
  expect(await messages(ada.page).count()).toBe(40);

  // Keep scrolling to the top, as a reader would, until every page has arrived.
  await step(ada.page, ada.problems, "loading every older page", () =>
    ada.page.waitForFunction(
      (total) => {
        const list = document.querySelector("#room_1_messages")!;
        list.scrollTo(0, 0);
        return list.querySelectorAll(".message[data-message-id]").length === total;
      },
      before + 100,
      { polling: 100 },
    ),
  );
  const ids = await messages(ada.page).evaluateAll((elements) =>
    elements.map((element) => Number((element as HTMLElement).dataset.messageId)),
  );
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(new Set(ids).size).toBe(ids.length);

  // Scrolled away from the bottom, a new message does not yank the view; a button offers it.
  void postMessage(server.ctx, milo, room, { body: "Fresh news", clientMessageId: "fresh-news" });
  const jump = ada.page.getByRole("button", { name: "Jump to latest ↓" });
  await step(ada.page, ada.problems, "being offered the latest", () => jump.waitFor());
  await jump.click();
  await ada.page.waitForFunction(() => {
    const list = document.querySelector("#room_1_messages")!;
    return list.scrollHeight - list.scrollTop - list.clientHeight < 5;
  });
  expect(await jump.isHidden()).toBe(true);
  await ada.context.close();
}, 60_000);

test("after the connection drops, the page reconnects by itself and receives exactly what it missed, sidebar included", async () => {
  const room = findRoom(server.db, 1)!;
  const milo = findUser(server.db, 2)!;
  const ada = await personAt(ADMIN.email, ADMIN.password);
  await ada.page.locator("#room_1_presence .avatar[title='Ada Admin']").waitFor();
  const shown = await messages(ada.page).count();

  for (const socket of server.ctx.connections.socketsOf(1)) socket.terminate();
  for (let i = 1; i <= 3; i++) void postMessage(server.ctx, milo, room, { body: `While you were away ${i}`, clientMessageId: `away-${i}` });
  // A room that appears while the socket is down: its sidebar frame reaches nobody.
  const appeared = createOpenRoom(server.db, milo, "Appeared meanwhile");
  announceRoom(server.ctx, appeared, [1, 2]);

  await step(ada.page, ada.problems, "catching up after reconnecting", () =>
    messages(ada.page).filter({ hasText: "While you were away 3" }).waitFor(),
  );
  expect(await messages(ada.page).count()).toBe(shown + 3);
  expect(await ada.page.locator("[data-connection-status]").isHidden()).toBe(true);
  await step(ada.page, ada.problems, "the sidebar fetched again shows the room that appeared", () =>
    ada.page.locator(`#sidebar_room_${appeared.id}`, { hasText: "Appeared meanwhile" }).waitFor(),
  );
  await ada.context.close();
}, 60_000);

test("edits and deletions made while the connection was down are replayed when it comes back", async () => {
  const room = findRoom(server.db, 1)!;
  const milo = findUser(server.db, 2)!;
  const posted = [];
  for (const body of ["Soon to be reworded", "Soon to be gone"]) {
    const result = await postMessage(server.ctx, milo, room, { body, clientMessageId: crypto.randomUUID() });
    if (typeof result === "string") throw new Error(result);
    posted.push(result.message);
  }
  const [toEdit, toDelete] = posted as [(typeof posted)[0], (typeof posted)[0]];
  const ada = await personAt(ADMIN.email, ADMIN.password);
  await ada.page.locator("#room_1_presence .avatar[title='Ada Admin']").waitFor();
  await messages(ada.page).filter({ hasText: "Soon to be gone" }).waitFor();
  const shown = await messages(ada.page).count();

  for (const socket of server.ctx.connections.socketsOf(1)) socket.terminate();
  expect(typeof editMessage(server.ctx, toEdit, { body: "Reworded while you were away", rich: false })).toBe("object");
  void removeMessage(server.ctx, toDelete);

  await step(ada.page, ada.problems, "replaying the edit after reconnecting", () =>
    messages(ada.page).filter({ hasText: "Reworded while you were away" }).waitFor(),
  );
  await step(ada.page, ada.problems, "replaying the deletion after reconnecting", () =>
    ada.page.locator(`#message_${toDelete.id}`).waitFor({ state: "detached" }),
  );
  expect(await messages(ada.page).count()).toBe(shown - 1);
  expect(await messages(ada.page).filter({ hasText: "Soon to be reworded" }).count()).toBe(0);
  expect(ada.problems).toEqual([]);
  await ada.context.close();
}, 60_000);

test("the people picker finds someone by name and makes a closed room with them", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const milo = await personAt(MEMBER.email, MEMBER.password);
  await ada.page.goto(`${server.url}/rooms/new`);
  await ada.page.getByRole("link", { name: "Selected people" }).click();
  await ada.page.getByLabel("Room name").fill("Secret plans");
  await ada.page.getByPlaceholder("Type a name…").pressSequentially("mil");
  await step(ada.page, ada.problems, "finding Milo", () => ada.page.getByRole("option", { name: "Milo Member" }).click());
  await ada.page.locator(".picker__pill", { hasText: "Milo Member" }).waitFor();
  await Promise.all([ada.page.waitForURL(/\/rooms\/\d+$/), ada.page.getByRole("button", { name: "Create room" }).click()]);
  await ada.page.getByRole("heading", { name: "Secret plans" }).waitFor();
  const roomId = Number(new URL(ada.page.url()).pathname.split("/").pop());
  expect(server.db.query("SELECT user_id AS id FROM memberships WHERE room_id = ? ORDER BY user_id").all(roomId)).toEqual([
    { id: 1 },
    { id: 2 },
  ]);
  await step(milo.page, milo.problems, "seeing the new room in the sidebar", () => milo.page.locator(`#sidebar_room_${roomId}`).waitFor());
  await ada.context.close();
  await milo.context.close();
}, 60_000);

test("typing @ offers the room's people; the chosen name becomes a mention the other person sees highlighted", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const milo = await personAt(MEMBER.email, MEMBER.password);
  const composer = ada.page.locator("#composer_body");
  await composer.pressSequentially("Lunch, @mi");
  await step(ada.page, ada.problems, "being offered Milo", () => ada.page.getByRole("option", { name: "Milo Member" }).waitFor());
  await composer.press("Enter");
  expect(await composer.inputValue()).toBe("Lunch, @Milo Member ");
  await composer.pressSequentially("?");
  await composer.press("Enter");
  const mention = messages(milo.page).filter({ hasText: "Lunch, @Milo Member ?" });
  await step(milo.page, milo.problems, "seeing the mention", () => mention.waitFor());
  expect(await mention.getAttribute("class")).toContain("message--mentioned");
  expect(await messages(ada.page).filter({ hasText: "Lunch," }).getAttribute("class")).not.toContain("message--mentioned");
  await ada.context.close();
  await milo.context.close();
}, 60_000);

test("on a phone the room fills the screen and the Rooms button slides the sidebar over it", async () => {
  const { client } = await signIn(server, MEMBER.email, MEMBER.password);
  const context = await browser.newContext({ viewport: { width: 390, height: 740 }, hasTouch: true });
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: server.url })));
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${server.url}/rooms/1`);
  const sidebar = page.locator(".sidebar");
  const onScreen = async () => ((await sidebar.boundingBox())?.x ?? -1) >= 0;
  expect(await onScreen()).toBe(false);
  await page.getByRole("button", { name: "Show rooms" }).click();
  await step(page, problems, "opening the sidebar", () =>
    page.waitForFunction(() => document.querySelector(".sidebar")!.getBoundingClientRect().x >= 0),
  );
  await page.locator("#sidebar_room_2 a").click();
  await page.waitForURL(/\/rooms\/2$/);
  expect(await onScreen()).toBe(false);
  await context.close();
}, 60_000);

test("one person's consecutive messages read as one block, and a new day gets a heading", async () => {
  // Someone else speaks last, so Ada's first line starts a block of its own.
  void postMessage(server.ctx, findUser(server.db, 2)!, findRoom(server.db, 1)!, { body: "Over to you", clientMessageId: "over-to-you" });
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const composer = ada.page.locator("#composer_body");
  for (const line of ["First thought", "Second thought"]) {
    await composer.fill(line);
    await composer.press("Enter");
    await messages(ada.page).filter({ hasText: line }).waitFor();
  }
  expect(await messages(ada.page).filter({ hasText: "Second thought" }).getAttribute("class")).toContain("message--threaded");
  expect(await messages(ada.page).filter({ hasText: "First thought" }).getAttribute("class")).not.toContain("message--threaded");
  expect(await messages(ada.page).first().getAttribute("class")).toContain("message--first-of-day");
  await ada.context.close();
}, 60_000);

test("searching from a room finds a message, remembers the search, and opens the message in its room", async () => {
  const milo = findUser(server.db, 2)!;
  await postMessage(server.ctx, milo, findRoom(server.db, 1)!, {
    body: "The quarterly platypus report is ready",
    clientMessageId: "platypus",
  });
  const ada = await personAt(ADMIN.email, ADMIN.password);
  await Promise.all([ada.page.waitForURL(/\/searches$/), ada.page.getByRole("link", { name: "Search" }).click()]);
  await ada.page.getByLabel("Search messages").fill("platypus reports");
  await Promise.all([ada.page.waitForURL(/\/searches\?q=/), ada.page.getByLabel("Search messages").press("Enter")]);
  const result = ada.page.locator(".search-result", { hasText: "The quarterly platypus report is ready" });
  await step(ada.page, ada.problems, "seeing the result", () => result.waitFor());
  await ada.page.locator(".search__chip", { hasText: "platypus reports" }).waitFor();
  await Promise.all([ada.page.waitForURL(/\/rooms\/1\/@\d+$/), result.locator(".search-result__room").click()]);
  await step(ada.page, ada.problems, "landing on the message in its room", () =>
    ada.page.locator("#room_1_messages .message.message--highlight", { hasText: "The quarterly platypus report is ready" }).waitFor(),
  );
  expect(ada.problems).toEqual([]);
  await ada.context.close();
}, 60_000);
