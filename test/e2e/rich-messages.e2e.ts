import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { postMessage } from "../../src/messages/receive.ts";
import { findRoom } from "../../src/rooms/rooms.ts";
import { findUser } from "../../src/users/users.ts";
import { ADMIN, addMember, MEMBER, signIn, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { launchBrowser, step, watchPage } from "./browser.ts";

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

// Injected by the browser before any page script (so the page's CSP doesn't apply to it): counts
// Web Audio sources started, and records every CSP violation the browser reports.
const WATCH_AUDIO_AND_CSP = () => {
  const page = window as unknown as { soundStarts: number; cspViolations: string[] };
  page.soundStarts = 0;
  page.cspViolations = [];
  const start = AudioScheduledSourceNode.prototype.start;
  AudioScheduledSourceNode.prototype.start = function (this: AudioScheduledSourceNode, ...args: [number?]) {
    page.soundStarts += 1;
    return start.apply(this, args);
  };
  document.addEventListener("securitypolicyviolation", (event) =>
    page.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`),
  );
};

type Person = { context: BrowserContext; page: Page; problems: string[] };

async function personAt(email: string, password: string): Promise<Person> {
  const { client } = await signIn(server, email, password);
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: server.url })));
  await context.addInitScript(WATCH_AUDIO_AND_CSP);
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${server.url}/rooms/1`);
  return { context, page, problems };
}

const messages = (page: Page) => page.locator("#room_1_messages .message[data-message-id]");
const soundStarts = (page: Page) => page.evaluate(() => (window as unknown as { soundStarts: number }).soundStarts);
const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

async function say(person: Person, text: string) {
  await person.page.locator("#composer_body").fill(text);
  await person.page.locator("#composer_body").press("Enter");
}

test("/play plays on the other side when it arrives live, never from history or when muted; big emoji, highlighted code, :shortcode: completion; no CSP violation", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const milo = await personAt(MEMBER.email, MEMBER.password);
  await step(ada.page, ada.problems, "seeing Milo arrive", () =>
    ada.page.locator("#room_1_presence .avatar[title='Milo Member']").waitFor(),
  );
  // Browsers allow sound only after a person has interacted with the page.
  await milo.page.locator("#room_1_messages").click();

  await say(ada, "/play tada");
  const miloTada = messages(milo.page).filter({ has: milo.page.locator('.sound[data-sound="tada"]') });
  await step(milo.page, milo.problems, "receiving the sound", () => miloTada.waitFor());
  expect(await miloTada.locator(".sound__text").textContent()).toBe("🎉 ta-da!");
  expect(await soundStarts(milo.page)).toBeGreaterThan(0);
  expect(await soundStarts(ada.page)).toBeGreaterThan(0);

  // A picture sound shows our SVG, loaded under the CSP.
  await say(ada, "/play nyan");
  const picture = milo.page.locator('.sound[data-sound="nyan"] img.sound__picture');
  await step(milo.page, milo.problems, "receiving a picture sound", () => picture.waitFor());
  await milo.page.waitForFunction(() => document.querySelector<HTMLImageElement>('.sound[data-sound="nyan"] img')?.naturalWidth === 64);

  // After a reload, the sounds are history: shown, not played, even after a click; the button still plays one.
  await milo.page.reload();
  await miloTada.waitFor();
  await milo.page.locator("#room_1_messages").click();
  expect(await soundStarts(milo.page)).toBe(0);
  await miloTada.locator("[data-play-sound]").click();
  await milo.page.waitForFunction(() => (window as unknown as { soundStarts: number }).soundStarts > 0);

  // Muted: a live sound shows but stays silent, for Milo only; the setting outlives a reload.
  const mute = milo.page.getByRole("button", { name: "Mute /play sounds" });
  expect(await mute.getAttribute("aria-pressed")).toBe("false");
  await mute.click();
  // The page follows the switch once htmx has settled the answer in.
  await milo.page.waitForFunction(() => document.body.dataset.soundsMuted === "true");
  expect(await milo.page.getByRole("button", { name: "Mute /play sounds" }).getAttribute("aria-pressed")).toBe("true");
  const before = await soundStarts(milo.page);
  await say(ada, "/play bell");
  await step(milo.page, milo.problems, "receiving a sound while muted", () => milo.page.locator('.sound[data-sound="bell"]').waitFor());
  expect(await soundStarts(milo.page)).toBe(before);
  await milo.page.reload();
  expect(await milo.page.evaluate(() => document.body.dataset.soundsMuted)).toBe("true");

  // /play with an unknown name is not sent: the list of sounds is shown.
  await say(ada, "/play kazoo");
  await step(ada.page, ada.problems, "being told the sounds", () =>
    ada.page.locator(".message--failed").filter({ hasText: "trombone" }).waitFor(),
  );

  // Emoji: :tad completes to 🎉; an emoji-only message is big on the other side.
  await ada.page.locator("#composer_body").pressSequentially(":tad");
  await step(ada.page, ada.problems, "offering emoji", () =>
    ada.page.locator("[data-emoji-option]").filter({ hasText: ":tada:" }).waitFor(),
  );
  await ada.page.locator("#composer_body").press("Enter");
  expect(await ada.page.locator("#composer_body").inputValue()).toBe("🎉");
  await ada.page.locator("#composer_body").press("Enter");
  const big = milo.page.locator(".message__body > .emoji-only").filter({ hasText: "🎉" });
  await step(milo.page, milo.problems, "receiving a big emoji", () => big.waitFor());
  const size = await big.evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize));
  const normal = await milo.page
    .locator(".message__body")
    .first()
    .evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize));
  expect(size).toBeGreaterThan(normal * 2);

  // Code: highlighted by the server, monospaced, with a Copy button that copies the code alone.
  await ada.page.locator("#composer_body").fill("```js\nconst answer = 42;\n```");
  await ada.page.locator("#composer_body").press("Enter");
  const code = milo.page.locator(".message__body pre code.language-js");
  await step(milo.page, milo.problems, "receiving code", () => code.waitFor());
  expect(await code.locator(".hljs-keyword").textContent()).toBe("const");
  expect(await code.evaluate((element) => getComputedStyle(element).fontFamily)).toMatch(/mono/i);
  await milo.page.locator("[data-copy-code]").click();
  await milo.page.locator("[data-copy-code]", { hasText: "Copied" }).waitFor();
  expect(await milo.page.evaluate(() => navigator.clipboard.readText())).toBe("const answer = 42;");

  expect(await cspViolations(ada.page)).toEqual([]);
  expect(await cspViolations(milo.page)).toEqual([]);
  expect(ada.problems.filter((problem) => !problem.includes("422"))).toEqual([]);
  expect(milo.problems).toEqual([]);
  await ada.context.close();
  await milo.context.close();
}, 90_000);

test("a sound missed while the connection was down arrives with the catch-up, shown but not played", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  await ada.page.locator("#room_1_presence .avatar[title='Ada Admin']").waitFor();
  await ada.page.locator("#room_1_messages").click();
  const before = await soundStarts(ada.page);

  // Offline, so the page can't reconnect before the sound is posted; it comes back with the catch-up.
  await ada.context.setOffline(true);
  for (const socket of server.ctx.connections.socketsOf(1)) socket.terminate();
  await ada.page.locator("[data-connection-status]").waitFor();
  const posted = await postMessage(server.ctx, findUser(server.db, 2)!, findRoom(server.db, 1)!, {
    body: "/play horn",
    clientMessageId: "horn-while-away",
  });
  expect(typeof posted).not.toBe("string");
  await ada.context.setOffline(false);
  await step(ada.page, ada.problems, "catching up after reconnecting", () => ada.page.locator('.sound[data-sound="horn"]').waitFor());
  expect(await soundStarts(ada.page)).toBe(before);
  expect(await cspViolations(ada.page)).toEqual([]);
  await ada.context.close();
}, 60_000);
