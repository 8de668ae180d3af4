import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { postMessage } from "../../src/messages/receive.ts";
import { createClosedRoom, createOpenRoom, findRoom } from "../../src/rooms/rooms.ts";
import { RESULT_LIMIT } from "../../src/search/searches.ts";
import { findUser } from "../../src/users/users.ts";
import { ADMIN, addMember, MEMBER, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { launchBrowser, signedInPage, step } from "./browser.ts";

// Search as a person uses it: from a room with a key, with a filter, landing on the message.
let server: TestServer;
let browser: Browser;
let launchId: number;
let targetId: number;

beforeAll(async () => {
  ({ server } = await startSetUpServer());
  await addMember(server);
  const ada = findUser(server.db, 1)!;
  const milo = findUser(server.db, 2)!;
  launchId = createClosedRoom(server.db, ada, "Launch Plans", [milo.id]).id;
  createOpenRoom(server.db, ada, "Watercooler");
  const post = async (roomId: number, body: string, author = ada, at?: number) => {
    const result = await postMessage(server.ctx, author, findRoom(server.db, roomId)!, { body, clientMessageId: crypto.randomUUID(), at });
    if (typeof result === "string") throw new Error(result);
    return result.message.id;
  };
  // The message to find sits deep in its room's history, under a page and a half of newer ones.
  targetId = await post(launchId, "The rollout checklist <mark>is</mark> ready", milo, Date.parse("2026-03-14T23:30:00Z"));
  for (let i = 0; i < 60; i++) await post(launchId, `later chatter ${i}`);
  await post(1, "a rollout elsewhere, by Ada");
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const ignorable = (problem: string) => problem.includes("status of 4");

test("search with a filter lands on the highlighted message", async () => {
  const { context, page, problems, cspViolations } = await signedInPage(browser, server, ADMIN, {
    path: "/searches",
    contextOptions: { viewport: { width: 1280, height: 800 } },
  });
  await step(page, problems, "search with from: and in: by clicking chips, then typing", async () => {
    await page.click('[data-search-filter="in:\\"Launch Plans\\""]');
    await page.locator("#search_q").pressSequentially(" rollout from:milo");
    expect(await page.inputValue("#search_q")).toBe('in:"Launch Plans" rollout from:milo');
    await page.press("#search_q", "Enter");
    await page.waitForURL(/\/searches\?q=/);
  });
  const result = page.locator(`#search_result_${targetId}`);
  await step(page, problems, "the one result, its word marked, the typed <mark> as text", async () => {
    expect(await page.locator(".search-result").count()).toBe(1);
    expect(await result.locator("mark").allTextContents()).toEqual(["rollout"]);
    expect(await result.locator(".search-result__snippet").textContent()).toBe("The rollout checklist <mark>is</mark> ready");
  });
  await step(page, problems, "following it opens the room at the message, highlighted and in view", async () => {
    await result.locator(".search-result__snippet").click();
    await page.waitForURL(`${server.url}/rooms/${launchId}/@${targetId}`);
    const message = page.locator(`#message_${targetId}`);
    await page.waitForFunction((id) => document.getElementById(`message_${id}`)?.classList.contains("message--highlight"), targetId);
    const inView = await message.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const list = element.closest("[data-messages]")!.getBoundingClientRect();
      return box.top >= list.top && box.bottom <= list.bottom;
    });
    expect(inView).toBe(true);
  });
  expect(await cspViolations()).toEqual([]);
  expect(problems.filter((p) => !ignorable(p))).toEqual([]);
  await context.close();
}, 60_000);

test("result dates are shown in the reader's time zone", async () => {
  const readerAt = async (timezoneId: string) => {
    const { context, page } = await signedInPage(browser, server, ADMIN, {
      path: "/searches?q=checklist",
      contextOptions: { timezoneId, locale: "en-US" },
    });
    const text = await page.locator(`#search_result_${targetId} time`).textContent();
    await context.close();
    return text;
  };
  // 23:30 UTC on 14 March is the 15th in Tokyo and still the 14th in New York.
  expect(await readerAt("Asia/Tokyo")).toBe("Mar 15, 2026, 8:30 AM");
  expect(await readerAt("America/New_York")).toBe("Mar 14, 2026, 7:30 PM");
}, 60_000);

test("from a room, / opens the jump box and Ctrl+K too; typing filters rooms, Enter opens one, Escape returns focus", async () => {
  const { context, page, problems, cspViolations } = await signedInPage(browser, server, MEMBER, { path: "/rooms/1" });
  const jump = page.locator("dialog.jump");
  const composer = page.locator("[data-composer] textarea");
  await step(page, problems, "/ in the composer is just a character", async () => {
    await composer.focus();
    await page.keyboard.type("a/b");
    expect(await composer.inputValue()).toBe("a/b");
    expect(await jump.count()).toBe(0);
  });
  await step(page, problems, "Ctrl+K from the composer opens it, Escape closes it and gives the composer its focus back", async () => {
    await page.keyboard.press("Control+k");
    await jump.waitFor({ state: "visible" });
    expect(await page.evaluate(() => document.activeElement?.classList.contains("jump__input"))).toBe(true);
    await page.keyboard.press("Escape");
    await jump.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.matches("[data-composer] textarea"))).toBe(true);
  });
  await step(page, problems, "/ outside a field opens it; typing filters the rooms; Enter opens the room", async () => {
    await page.locator(".room__name").click();
    await page.keyboard.press("/");
    await jump.waitFor({ state: "visible" });
    await page.keyboard.type("launch");
    expect(await jump.locator(".jump__entry").allTextContents()).toEqual(["Launch Plans", "Search messages for “launch”"]);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${server.url}/rooms/${launchId}`);
  });
  await step(page, problems, "the last entry searches messages", async () => {
    await page.keyboard.press("Control+k");
    await jump.waitFor({ state: "visible" });
    await page.keyboard.type("checklist");
    expect(await jump.locator(".jump__entry").allTextContents()).toEqual(["Search messages for “checklist”"]);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/searches\?q=checklist$/);
    expect(await page.locator(".search-result").count()).toBe(1);
  });
  await step(page, problems, "on the search page, / focuses its box", async () => {
    await page.locator(".search__title").click();
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search_q");
    expect(await page.inputValue("#search_q")).toBe("checklist");
  });
  expect(await cspViolations()).toEqual([]);
  expect(problems.filter((p) => !ignorable(p))).toEqual([]);
  await context.close();
}, 60_000);

test("More results brings the next page in place, in Chromium", async () => {
  const ada = findUser(server.db, 1)!;
  const room = createOpenRoom(server.db, ada, "Busy");
  for (let i = 0; i < 2 * RESULT_LIMIT + 5; i++)
    await postMessage(server.ctx, ada, room, { body: `busy note ${i}`, clientMessageId: `busy${i}` });
  const { context, page, problems } = await signedInPage(browser, server, ADMIN, { path: "/searches?q=busy" });
  await step(page, problems, "the second page arrives under the first", async () => {
    const before = await page.locator(".search-result").count();
    await page.click(".search__more a");
    await page.waitForFunction((n) => document.querySelectorAll(".search-result").length > n, before);
    expect(await page.locator(".search-result").count()).toBe(2 * RESULT_LIMIT);
    expect(await page.locator(".search__more").count()).toBe(1);
    // Times in the new page are localized too.
    expect(await page.locator(".search-result time").last().textContent()).toMatch(/\d{4}, \d/);
  });
  await context.close();
}, 60_000);
