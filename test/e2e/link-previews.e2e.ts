import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Server } from "bun";
import type { Browser, Page } from "playwright-core";
import { ADMIN, addMember, completeFirstRun, MEMBER } from "../helpers/fixtures.ts";
import { makeDataDir, startConfiguredTestServer, type TestServer } from "../helpers/server.ts";
import { launchBrowser, signedInPage, step } from "./browser.ts";

// A local page stands in for a site on the web: the server under test may fetch from 127.0.0.1
// only through the test allowance it is started with.
let server: TestServer;
let site: Server<undefined>;
let browser: Browser;
let pageUrl: string;
const siteHits: string[] = [];

beforeAll(async () => {
  const picture = await new Bun.Image(
    Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAwMDAwMDAAAANAAFvj1CMAAAAAElFTkSuQmCC", "base64"),
  )
    .resize(800, 420, { fit: "fill" })
    .png()
    .bytes();
  site = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const { pathname } = new URL(request.url);
      siteHits.push(pathname);
      if (pathname === "/cover.png") return new Response(Buffer.from(picture), { headers: { "content-type": "image/png" } });
      return new Response(
        `<!doctype html><html><head><title>Fallback</title>
         <meta property="og:title" content="The Campfire Handbook">
         <meta property="og:description" content="How we talk, <not> how we <script>alert(1)</script> shout.">
         <meta property="og:image" content="/cover.png"></head><body>…</body></html>`,
        { headers: { "content-type": "text/html; charset=utf-8" } },
      );
    },
  });
  pageUrl = `http://127.0.0.1:${site.port}/handbook`;
  server = startConfiguredTestServer({}, makeDataDir(), { networkGuard: { allow: new Set(["127.0.0.1"]) } });
  await completeFirstRun(server);
  await addMember(server);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  site?.stop(true);
});

const personAt = (email: string, password: string) =>
  signedInPage(browser, server, { email, password }, { permissions: ["clipboard-read", "clipboard-write"] });

/** Pastes text into the composer the way a person does: through the clipboard and Ctrl+V. */
async function paste(page: Page, text: string) {
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.locator("#composer_body").focus();
  await page.keyboard.press("Control+V");
}

const imageLoaded = (page: Page, selector: string) =>
  page.waitForFunction((s) => {
    const image = document.querySelector<HTMLImageElement>(s);
    return !!image && image.complete && image.naturalWidth > 0;
  }, selector);

test("a link pasted into the composer offers its card, which goes with the message to everyone, with no CSP violation", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const milo = await personAt(MEMBER.email, MEMBER.password);
  await step(ada.page, ada.problems, "seeing Milo arrive", () =>
    ada.page.locator("#room_1_presence .avatar[title='Milo Member']").waitFor(),
  );

  const card = ada.page.locator("[data-link-preview]");
  await paste(ada.page, pageUrl);
  await step(ada.page, ada.problems, "seeing the card offered", () =>
    card.locator(".link-preview__title", { hasText: "The Campfire Handbook" }).waitFor(),
  );
  expect(await ada.page.locator("#composer_body").inputValue()).toBe(pageUrl);
  expect(await card.locator(".link-preview__description").textContent()).toBe("How we talk, how we shout.");
  // Our copy of the picture, not the site's.
  expect(await card.locator(".link-preview__image").getAttribute("src")).toMatch(/^\/unfurls\/[0-9a-f]{32}\.webp$/);
  await step(ada.page, ada.problems, "loading the card's picture", () => imageLoaded(ada.page, "[data-link-preview] .link-preview__image"));

  // Dismissed, it is gone; pasting again brings it back (from the server's cache: the site is asked once).
  await card.locator("[data-link-preview-dismiss]").click();
  expect(await card.isHidden()).toBe(true);
  await ada.page.locator("#composer_body").fill("");
  await paste(ada.page, pageUrl);
  await step(ada.page, ada.problems, "seeing the card again", () => card.waitFor({ state: "visible" }));
  expect(siteHits).toEqual(["/handbook", "/cover.png"]);

  // The post is held back a moment, so the pending message can be seen before the server confirms it.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await ada.page.route("**/rooms/1/messages", async (route) => {
    if (route.request().method() === "POST") await held;
    await route.continue();
  });
  await ada.page.locator("#composer_body").press("Enter");
  expect(await card.isHidden()).toBe(true);
  const pending = ada.page.locator("#room_1_messages .message--pending");
  await step(ada.page, ada.problems, "seeing the card on the pending message", () =>
    pending.locator(".link-preview .link-preview__title", { hasText: "The Campfire Handbook" }).waitFor(),
  );
  expect(await pending.locator(".link-preview").getAttribute("href")).toBe(pageUrl);
  // The text is only the card's URL: hidden, as it will be once sent.
  expect(await pending.locator(".message__body").isHidden()).toBe(true);
  release();

  for (const person of [ada, milo]) {
    const sent = person.page.locator("#room_1_messages .message[data-message-id] .link-preview");
    await step(person.page, person.problems, "seeing the card in the message", () => sent.waitFor());
    expect(await sent.getAttribute("href")).toBe(pageUrl);
    expect(await person.page.locator("#room_1_messages .message[data-message-id] .message__body").isHidden()).toBe(true);
    expect(await sent.locator(".link-preview__title").textContent()).toBe("The Campfire Handbook");
    await step(person.page, person.problems, "loading the message's picture", () =>
      imageLoaded(person.page, "#room_1_messages .message[data-message-id] .link-preview__image"),
    );
    expect(await person.cspViolations()).toEqual([]);
    expect(person.problems).toEqual([]);
  }
  // The browsers never contacted the site: only the server did, twice in all.
  expect(siteHits).toEqual(["/handbook", "/cover.png"]);
});

test("the toolbar composer (Trix) offers the card for a pasted link and sends it with the message", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const toggle = ada.page.locator("[data-composer-toggle]");
  if ((await toggle.getAttribute("aria-pressed")) !== "true") await toggle.click();
  const editor = ada.page.locator("trix-editor");
  await editor.click();
  const url = `${pageUrl}?from=trix`;
  await ada.page.evaluate((value) => navigator.clipboard.writeText(value), url);
  await ada.page.keyboard.press("Control+V");
  const card = ada.page.locator("[data-link-preview]");
  await step(ada.page, ada.problems, "seeing the card offered", () => card.waitFor({ state: "visible" }));
  expect(await card.locator(".link-preview__title").textContent()).toBe("The Campfire Handbook");
  await step(ada.page, ada.problems, "seeing the link in the editor", () => editor.filter({ hasText: url }).waitFor());

  await editor.press("Enter");
  const sent = ada.page.locator("#room_1_messages .message[data-message-id]").filter({ hasText: "from=trix" }).locator(".link-preview");
  await step(ada.page, ada.problems, "seeing the card in the message", () => sent.waitFor());
  expect(await sent.getAttribute("href")).toBe(url);
  expect(await card.isHidden()).toBe(true);
  expect(await ada.cspViolations()).toEqual([]);
  expect(ada.problems).toEqual([]);
});
