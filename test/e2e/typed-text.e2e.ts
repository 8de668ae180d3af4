import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import type { Client } from "../helpers/client.ts";
import { startQuickSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { launchBrowser, step, watchPage } from "./browser.ts";

let server: TestServer;
let admin: Client;
let browser: Browser;

beforeAll(async () => {
  ({ server, admin } = await startQuickSetUpServer());
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test("text that looks like HTML, typed in the composer, is shown exactly as typed, also after a reload", async () => {
  const context = await browser.newContext();
  await context.addCookies([...admin.cookies].map(([name, value]) => ({ name, value, url: server.url })));
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${server.url}/rooms/1`);
  const bodies = page.locator("#room_1_messages .message[data-message-id] .message__body");
  const typed = ["Wrap it in a <div> please", "<b>x</b>"];

  for (const [index, text] of typed.entries()) {
    await page.locator("#composer_body").fill(text);
    await page.locator("#composer_body").press("Enter");
    // The server's copy replaces the one shown while sending; it carries a message id.
    await step(page, problems, `posting ${text}`, () =>
      page.locator(`#room_1_messages .message[data-message-id]:not([data-message-id=""])`).nth(index).waitFor(),
    );
  }
  await step(page, problems, "reloading", () => page.reload());
  await bodies.nth(1).waitFor();
  expect(await bodies.allTextContents()).toEqual(typed.map((text) => expect.stringContaining(text)));
  expect(await bodies.locator("b, div").count()).toBe(0);
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);
