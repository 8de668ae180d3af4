import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { Browser } from "playwright-core";
import { freePort, waitUntilUp } from "../helpers/processes.ts";
import { launchBrowser, step, watchCsp, watchPage } from "./browser.ts";

const port = freePort();
const base = `http://127.0.0.1:${port}`;
let demo: Subprocess;
let browser: Browser;

beforeAll(async () => {
  demo = Bun.spawn([process.execPath, join(import.meta.dir, "../../src/main.ts"), "demo", "--port", String(port), "--host", "127.0.0.1"], {
    env: { PATH: process.env.PATH! },
    stdout: "ignore",
    stderr: "ignore",
  });
  await waitUntilUp(base, { timeoutMs: 20_000 });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  demo.kill();
});

test("the demo's sign-in page is marked as a demo, and one click signs in to a room full of conversation", async () => {
  const page = await browser.newPage();
  const problems = watchPage(page);
  const violations = await watchCsp(page);
  await page.goto(`${base}/`);
  await step(page, problems, "the demo box", () => page.getByRole("heading", { name: "This is a demo" }).waitFor());
  await step(page, problems, "one click", () => page.getByRole("button", { name: "Sign in as Priya Raman" }).click());
  await page.waitForURL(/\/rooms\/\d+$/);
  await step(page, problems, "the day's messages", () => page.getByText("Release day for 2.4").waitFor());
  await page.getByRole("link", { name: "Design" }).first().click();
  await step(page, problems, "the picture", () => page.locator('img[src*="/attachments/"][width="640"]').waitFor());
  expect(await page.locator('img[src*="/attachments/"]').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  expect(await violations()).toEqual([]);
  expect(problems).toEqual([]);
});
