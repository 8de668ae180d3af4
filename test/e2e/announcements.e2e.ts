import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { TYPING_THROTTLE_MS } from "../../src/realtime/protocol.ts";
import { ADMIN, addMember, MEMBER, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { launchBrowser, signedInPage, step } from "./browser.ts";

// What a screen reader would say: the text added to live regions (aria-live other than "off", and
// the roles that are live by default), recorded from the page's first byte.

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

type Heard = { said: string[] };

async function listen(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const heard: string[] = [];
    (window as unknown as Heard & Window).said = heard;
    const LIVE =
      '[aria-live]:not([aria-live="off"]), [role="log"]:not([aria-live="off"]), [role="status"]:not([aria-live="off"]), [role="alert"]';
    new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target instanceof Element ? record.target : record.target.parentElement;
        if (!target?.closest(LIVE)) continue;
        if (record.type === "characterData") heard.push(record.target.textContent?.trim() ?? "");
        for (const node of record.addedNodes) heard.push(node.textContent?.trim() ?? "");
      }
      heard.splice(0, heard.length, ...heard.filter(Boolean));
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

const said = (page: Page) => page.evaluate(() => [...(window as unknown as Heard).said]);
const clear = (page: Page) => page.evaluate(() => void (window as unknown as Heard).said.splice(0));

/** A person in All Talk, with everything their screen reader is told recorded from the start. */
async function listeningIn(person: { email: string; password: string }) {
  const opened = await signedInPage(browser, server, person, { path: "/profile" });
  await listen(opened.page);
  await opened.page.goto(`${server.url}/rooms/1`);
  await opened.page.locator("#composer_body").waitFor();
  return opened;
}

test("each message from someone else is announced once, with its author; typing once per person; my own messages not at all", async () => {
  const ada = await listeningIn(ADMIN);
  const milo = await listeningIn(MEMBER);
  await step(ada.page, ada.problems, "seeing Milo arrive", () =>
    ada.page.locator("#room_1_presence .avatar[title='Milo Member']").waitFor(),
  );
  await clear(ada.page);
  await clear(milo.page);

  // Milo types for a good while (several "still typing" frames, the line refreshed every second), then sends.
  const composer = milo.page.locator("#composer_body");
  await composer.pressSequentially("Is the build green", { delay: 50 });
  await ada.page.locator("[data-typing]", { hasText: "Milo Member is typing" }).waitFor();
  await milo.page.waitForTimeout(TYPING_THROTTLE_MS + 1500);
  await composer.pressSequentially(" today?", { delay: 50 });
  await composer.press("Enter");
  await step(ada.page, ada.problems, "receiving Milo's message", () =>
    ada.page.locator(".message[data-message-id]", { hasText: "Is the build green today?" }).waitFor(),
  );
  // Ada answers: on her screen her message goes pending → confirmed → live, and none of it is said to her.
  await ada.page.locator("#composer_body").fill("Yes, all green");
  await ada.page.locator("#composer_body").press("Enter");
  await step(milo.page, milo.problems, "Milo receiving Ada's answer", () =>
    milo.page.locator(".message[data-message-id]", { hasText: "Yes, all green" }).waitFor(),
  );
  await ada.page.locator(".message:not(.message--pending)", { hasText: "Yes, all green" }).waitFor();
  await ada.page.waitForTimeout(1500);
  expect(await said(ada.page)).toEqual(["Milo Member is typing", "Milo Member: Is the build green today?"]);
  expect(await said(milo.page)).toEqual(["Ada Admin is typing", "Ada Admin: Yes, all green"]);
  expect(ada.problems).toEqual([]);
  expect(milo.problems).toEqual([]);
  await ada.context.close();
  await milo.context.close();
}, 60_000);
