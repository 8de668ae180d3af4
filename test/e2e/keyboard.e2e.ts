import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { postMessage } from "../../src/messages/receive.ts";
import { createOpenRoom, findRoom } from "../../src/rooms/rooms.ts";
import { findUser } from "../../src/users/users.ts";
import { ADMIN, addMember, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { launchBrowser, signedInPage, step } from "./browser.ts";

// Keyboard-only flows: every step presses keys and then says where the focus is.

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ({ server } = await startSetUpServer());
  await addMember(server);
  const ada = findUser(server.db, 1)!;
  const milo = findUser(server.db, 2)!;
  createOpenRoom(server.db, ada, "Watercooler");
  const allTalk = findRoom(server.db, 1)!;
  // Enough messages that tabbing through each one's links would bury the composer.
  for (let i = 1; i <= 12; i++)
    await postMessage(server.ctx, i % 2 ? milo : ada, allTalk, {
      body: `Note ${i} with https://example.com/${i}`,
      clientMessageId: `n${i}`,
    });
  await postMessage(server.ctx, milo, allTalk, { body: "The walrus report is in", clientMessageId: "walrus" });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const adaAt = (path = "/rooms/1", width = 1280, height = 800) =>
  signedInPage(browser, server, ADMIN, { path, contextOptions: { viewport: { width, height } } });

/** What has the focus, in words a failure can be read by. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e || e === document.body) return "body";
    const message = e.closest<HTMLElement>(".message[data-message-id]");
    const label = e.getAttribute("aria-label") ?? e.textContent?.trim().slice(0, 40) ?? "";
    return `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${message && message !== e ? ` in message ${message.dataset.messageId}` : ""}${message === e ? ` message ${e.dataset.messageId}` : ""} ${label}`.trim();
  });

const isFocused = (page: Page, selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

/** Starts the keyboard from the top of the page, as a fresh Tab would (blurring alone leaves the starting point where the focus was). */
const fromTop = (page: Page) =>
  page.evaluate(() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute("tabindex");
  });

/** Presses Tab (or Shift+Tab) until the focus is on `selector`; fails after `most` presses. */
async function tabTo(page: Page, selector: string, most: number, key = "Tab"): Promise<number> {
  for (let presses = 1; presses <= most; presses++) {
    await page.keyboard.press(key);
    if (await isFocused(page, selector)) return presses;
  }
  throw new Error(`${selector} not reached in ${most} presses of ${key}; the focus is on ${await focused(page)}`);
}

test("an opened room puts the focus in the composer; the skip link reaches it first; writing and sending keep it there", async () => {
  const { page, problems, context } = await adaAt();
  await step(page, problems, "focus in the composer", () => page.waitForFunction(() => document.activeElement?.id === "composer_body"));
  // From the top of the page, the first Tab stop is the skip link, and it leads to the composer.
  await fromTop(page);
  await page.keyboard.press("Tab");
  expect(await focused(page)).toBe("a Skip to the message box");
  await page.keyboard.press("Enter");
  expect(await focused(page)).toStartWith("textarea#composer_body");
  await page.keyboard.type("Typed without a mouse");
  await page.keyboard.press("Enter");
  await step(page, problems, "sending", () => page.locator(".message[data-message-id]", { hasText: "Typed without a mouse" }).waitFor());
  expect(await focused(page)).toStartWith("textarea#composer_body");
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

test("the messages are one Tab stop: arrows move between them, Tab reaches the message's own actions, Escape comes back", async () => {
  const { page, problems, context } = await adaAt();
  await page.waitForFunction(() => document.activeElement?.id === "composer_body");
  const ids = await page
    .locator("#room_1_messages .message[data-message-id]")
    .evaluateAll((all) => all.map((m) => (m as HTMLElement).dataset.messageId));
  // Back from the composer: past the attach button, and straight onto the newest message.
  const presses = await tabTo(page, ".message[data-message-id]", 3, "Shift+Tab");
  expect(presses).toBeLessThanOrEqual(2);
  expect(await focused(page)).toStartWith(`article#message_${ids.at(-1)} message ${ids.at(-1)}`);
  await page.keyboard.press("ArrowUp");
  expect(await focused(page)).toStartWith(`article#message_${ids.at(-2)}`);
  await page.keyboard.press("Home");
  expect(await focused(page)).toStartWith(`article#message_${ids[0]}`);
  await page.keyboard.press("End");
  expect(await focused(page)).toStartWith(`article#message_${ids.at(-1)}`);
  await page.keyboard.press("ArrowUp");
  // Only the message last looked at is a Tab stop.
  expect(await page.locator('#room_1_messages .message[tabindex="0"]').count()).toBe(1);
  expect(await page.locator('#room_1_messages .message:not(:focus) [tabindex="0"]').count()).toBe(0);
  // Tab goes into this message: its time link, its link, then its actions, named for it.
  await page.keyboard.press("Tab");
  expect(await focused(page)).toContain(`in message ${ids.at(-2)}`);
  await tabTo(page, "[data-message-edit]", 15);
  expect(await focused(page)).toMatch(
    new RegExp(`^button in message ${ids.at(-2)} Edit message from (Ada Admin|Milo Member) at \\d{1,2}:\\d{2}`),
  );
  await page.keyboard.press("Escape");
  expect(await focused(page)).toStartWith(`article#message_${ids.at(-2)}`);
  // Tab from the message's last control leaves the list for the composer: no other message is in the way.
  await tabTo(page, "#composer_body", 20);
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

test("editing by keyboard: Edit puts the focus in the editor; Escape cancels back to the composer; Enter saves back to it", async () => {
  const { page, problems, context } = await adaAt();
  await page.waitForFunction(() => document.activeElement?.id === "composer_body");
  // Up in the empty composer edits my latest message.
  await page.keyboard.press("ArrowUp");
  await step(page, problems, "the editor opening", () =>
    page.waitForFunction(() => document.activeElement?.matches("form.message--editing textarea")),
  );
  await page.keyboard.press("Escape");
  await step(page, problems, "cancelling", () => page.waitForFunction(() => document.activeElement?.id === "composer_body"));
  expect(await page.locator("form.message--editing").count()).toBe(0);
  // From the message's actions this time.
  const mine = page.locator("#room_1_messages .message--me").last();
  const id = await mine.getAttribute("data-message-id");
  await tabTo(page, ".message[data-message-id]", 3, "Shift+Tab");
  // From the newest message, the arrows reach mine.
  await page.keyboard.press("End");
  for (let i = 0; i < 5 && !(await isFocused(page, `#message_${id}`)); i++) await page.keyboard.press("ArrowUp");
  expect(await focused(page)).toStartWith(`article#message_${id}`);
  await tabTo(page, "[data-message-edit]", 15);
  await page.keyboard.press("Enter");
  await step(page, problems, "the editor opening from Edit", () =>
    page.waitForFunction((m) => document.activeElement?.matches(`form#message_${m} textarea`), id),
  );
  await page.keyboard.press("End");
  await page.keyboard.type(" (edited by keyboard)");
  await page.keyboard.press("Enter");
  await step(page, problems, "saving", () => page.locator(`article#message_${id}`, { hasText: "(edited by keyboard)" }).waitFor());
  await page
    .waitForFunction(() => document.activeElement?.id === "composer_body")
    .catch(async (error) => {
      throw new Error(`${error.message}: the focus is on ${await focused(page)}`);
    });
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

test("switching rooms, searching and opening a result, all by keyboard", async () => {
  const { page, problems, context } = await adaAt();
  await page.waitForFunction(() => document.activeElement?.id === "composer_body");
  // The sidebar's other room, then Enter: the new room's composer has the focus.
  await fromTop(page);
  await tabTo(page, "#sidebar_room_2 a", 10);
  await Promise.all([page.waitForURL(/\/rooms\/2$/), page.keyboard.press("Enter")]);
  await step(page, problems, "focus in the new room's composer", () =>
    page.waitForFunction(() => document.activeElement?.id === "composer_body"),
  );
  // Back up to Search in the header, and a search.
  await tabTo(page, ".room__search", 10, "Shift+Tab");
  await Promise.all([page.waitForURL(/\/searches$/), page.keyboard.press("Enter")]);
  await step(page, problems, "focus in the search box", () => page.waitForFunction(() => document.activeElement?.id === "search_q"));
  await page.keyboard.type("walrus");
  await Promise.all([page.waitForURL(/\/searches\?q=walrus/), page.keyboard.press("Enter")]);
  await step(page, problems, "focus on the first result", () =>
    page.waitForFunction(() => document.activeElement?.matches(".search__list .search-result:first-child .search-result__room")),
  );
  await Promise.all([page.waitForURL(/\/rooms\/1\/@\d+$/), page.keyboard.press("Enter")]);
  // The message the result pointed at has the focus, ready for the arrows.
  await step(page, problems, "focus on the found message", () =>
    page.waitForFunction(() => document.activeElement?.matches(".message--highlight")),
  );
  expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("The walrus report is in");
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

test("Escape closes the notifications menu and gives the focus back to the bell", async () => {
  const { page, problems, context } = await adaAt();
  await page.waitForFunction(() => document.activeElement?.id === "composer_body");
  await tabTo(page, ".involvement__summary", 10, "Shift+Tab");
  await page.keyboard.press("Enter");
  expect(await page.locator("details.involvement[open]").count()).toBe(1);
  await page.keyboard.press("Tab");
  expect(await focused(page)).toContain("All messages");
  await page.keyboard.press("Escape");
  expect(await page.locator("details.involvement[open]").count()).toBe(0);
  expect(await focused(page)).toStartWith("summary");
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

test("on a phone the closed drawer is inert; ☰ opens it with the focus inside, Escape closes it back onto ☰", async () => {
  const { page, problems, context } = await adaAt("/rooms/1", 390, 844);
  const toggle = page.locator(".room__menu");
  await page.waitForFunction(() => (document.querySelector("nav.sidebar") as HTMLElement).inert);
  expect(await toggle.getAttribute("aria-expanded")).toBe("false");
  expect(await toggle.getAttribute("aria-controls")).toBe("sidebar");
  // None of the hidden drawer's links is a Tab stop: after the skip link comes ☰.
  await fromTop(page);
  await page.keyboard.press("Tab");
  expect(await focused(page)).toBe("a Skip to the message box");
  await page.keyboard.press("Tab");
  expect(await focused(page)).toBe("button Show rooms");
  await page.keyboard.press("Enter");
  expect(await toggle.getAttribute("aria-expanded")).toBe("true");
  expect(await page.evaluate(() => document.querySelector("nav.sidebar")!.contains(document.activeElement))).toBe(true);
  expect(await focused(page)).toBe("a All Talk");
  await page.keyboard.press("Escape");
  expect(await toggle.getAttribute("aria-expanded")).toBe("false");
  expect(await focused(page)).toBe("button Show rooms");
  expect(await page.evaluate(() => (document.querySelector("nav.sidebar") as HTMLElement).inert)).toBe(true);
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);
