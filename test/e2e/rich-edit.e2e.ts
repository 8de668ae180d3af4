import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Locator, Page } from "playwright-core";
import { postMessage } from "../../src/messages/receive.ts";
import { findRoom } from "../../src/rooms/rooms.ts";
import { findUser } from "../../src/users/users.ts";
import { ADMIN, addMember, MEMBER, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { expectCleanAndClose, launchBrowser, messageIn as message, selectWord, signedInPage, step } from "./browser.ts";

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
// Trix writes a space at a line's end as a no-break space.
const text = async (locator: Locator) => ((await locator.textContent()) ?? "").replace(/\u00a0/g, " ");
/** Waits until the element with this id has the focus (it moves once htmx has settled a swap). */
const focusOn = (page: Page, id: string) => page.waitForFunction((wanted) => document.activeElement?.id === wanted, id);

test("a message written with the toolbar is edited with it: bold, a mention and code survive, live and after a reload", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const milo = await personAt(MEMBER.email, MEMBER.password);
  const adaUser = findUser(server.db, 1)!;
  const posted = await postMessage(server.ctx, adaUser, findRoom(server.db, 1)!, {
    body: "<div><strong>Ship</strong> it today, @Milo Member</div><pre>if (a &lt; b) go();</pre>",
    rich: true,
    clientMessageId: "rich-to-edit",
  });
  if (typeof posted === "string") throw new Error(posted);
  const original = message(ada.page, "Ship it today");
  await step(ada.page, ada.problems, "seeing the message", () => original.waitFor());
  await step(milo.page, milo.problems, "Milo seeing the message", () => message(milo.page, "Ship it today").waitFor());

  await original.hover();
  await ada.page.locator("[data-message-actions] [data-message-edit]").click();
  const form = ada.page.locator("form.message--editing");
  await step(ada.page, ada.problems, "opening the toolbar editor", () => form.locator("trix-editor strong").waitFor());
  expect(await form.locator("textarea").count()).toBe(0);
  expect(await form.locator("trix-editor strong").textContent()).toBe("Ship");
  // The mention is its name as text, not bold: saving links it again.
  expect(await form.locator("trix-editor pre").textContent()).toBe("if (a < b) go();");
  expect(await form.locator("trix-editor").textContent()).toContain("@Milo Member");
  await step(ada.page, ada.problems, "focusing the editor", () => focusOn(ada.page, `message_${posted.message.id}_body`));

  // Escape cancels, and the cursor goes back to the composer.
  await ada.page.keyboard.press("Escape");
  await step(ada.page, ada.problems, "cancelling", () => form.waitFor({ state: "detached" }));
  await step(ada.page, ada.problems, "focus back in the composer", () => focusOn(ada.page, "composer_body"));

  await ada.page.mouse.move(0, 0);
  await original.hover();
  await ada.page.locator("[data-message-actions] [data-message-edit]").click();
  await step(ada.page, ada.problems, "opening it again", () => form.locator("trix-editor strong").waitFor());
  // Trix announces itself (trix-initialize) a frame after showing the text, and the form then puts the
  // caret at the end: selecting before that would type at the end instead of over the word.
  await step(ada.page, ada.problems, "focusing the editor again", () => focusOn(ada.page, `message_${posted.message.id}_body`));
  await selectWord(ada.page, "form.message--editing", "today");
  await ada.page.keyboard.type("tomorrow");
  await ada.page.keyboard.press("Enter");
  await step(ada.page, ada.problems, "saving", () => form.waitFor({ state: "detached" }));
  await step(ada.page, ada.problems, "focus back in the composer after saving", () => focusOn(ada.page, "composer_body"));

  const check = async (page: Page) => {
    const edited = message(page, "Ship it tomorrow");
    await edited.waitFor();
    expect(await edited.locator(".message__body strong").textContent()).toBe("Ship");
    expect(await edited.locator(".message__body .mention").textContent()).toBe("@Milo Member");
    expect(await edited.locator(".message__body pre").textContent()).toBe("if (a < b) go();");
    expect(await edited.locator(".message__edited").count()).toBe(1);
    expect(await edited.getAttribute("class")).toContain("message--mentioned");
  };
  await step(milo.page, milo.problems, "receiving the edit live", () => check(milo.page));
  await milo.page.reload();
  await step(milo.page, milo.problems, "seeing the edit after a reload", () => check(milo.page));

  await expectCleanAndClose(ada, milo);
}, 60_000);

test("the @ and : lists work in the toolbar composer and the toolbar edit form, with keys and the mouse", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const milo = await personAt(MEMBER.email, MEMBER.password);
  await ada.page.locator("[data-composer-toggle]").click();
  const editor = ada.page.locator("#composer_editor");
  await editor.click();

  // @: keys. Enter picks the highlighted person and the text carries on after the name.
  await ada.page.keyboard.type("Hello @Mi");
  const person = ada.page.locator("[data-mention-list] [data-mention-option='Milo Member']");
  await step(ada.page, ada.problems, "the @ list", () => person.waitFor());
  expect(await person.getAttribute("aria-selected")).toBe("true");
  await ada.page.keyboard.press("Enter");
  expect(await ada.page.locator("[data-mention-list]").isHidden()).toBe(true);
  expect(await text(editor)).toBe("Hello @Milo Member ");

  // : with the arrows, then Tab takes the second emoji.
  await ada.page.keyboard.type("look :smil");
  const options = ada.page.locator("[data-emoji-list] [data-emoji-option]");
  await step(ada.page, ada.problems, "the : list", () => options.nth(1).waitFor());
  await ada.page.keyboard.press("ArrowDown");
  expect(await options.nth(1).getAttribute("aria-selected")).toBe("true");
  const second = (await options.nth(1).getAttribute("data-emoji-option"))!;
  await ada.page.keyboard.press("Tab");
  expect(await text(editor)).toBe(`Hello @Milo Member look ${second}`);

  // : with the mouse.
  await ada.page.keyboard.type(" and :tad");
  const tada = ada.page.locator("[data-emoji-list] [data-emoji-option]").filter({ hasText: ":tada:" });
  await step(ada.page, ada.problems, "the : list again", () => tada.waitFor());
  await tada.click();
  expect(await text(editor)).toBe(`Hello @Milo Member look ${second} and 🎉`);
  // Escape closes a list and leaves the text alone.
  await ada.page.keyboard.type(" @Mi");
  await step(ada.page, ada.problems, "the @ list again", () => person.waitFor());
  await ada.page.keyboard.press("Escape");
  expect(await ada.page.locator("[data-mention-list]").isHidden()).toBe(true);
  await ada.page.keyboard.press("Backspace");
  await ada.page.keyboard.press("Backspace");
  await ada.page.keyboard.press("Backspace");
  await ada.page.keyboard.press("Backspace");
  await ada.page.keyboard.press("Enter");

  const sent = message(milo.page, "look");
  await step(milo.page, milo.problems, "receiving the mention", () => sent.waitFor());
  expect(await sent.locator(".mention").textContent()).toBe("@Milo Member");
  expect(await sent.getAttribute("class")).toContain("message--mentioned");
  expect(await text(sent.locator(".message__body"))).toBe(`Hello @Milo Member look ${second} and 🎉`);

  // The same lists in the toolbar edit form, picked with the mouse; Escape there closes the list, not the form.
  const mine = message(ada.page, "look");
  await mine.hover();
  await ada.page.locator("[data-message-actions] [data-message-edit]").click();
  const form = ada.page.locator("form.message--editing");
  await step(ada.page, ada.problems, "editing", () => form.locator("trix-editor .trix-content, trix-editor").first().waitFor());
  await form.locator("trix-editor").waitFor();
  await ada.page.waitForFunction(
    () => document.activeElement?.localName === "trix-editor" && document.activeElement.closest("form.message--editing"),
  );
  await ada.page.keyboard.type(" :thu");
  const thumbs = form.locator("[data-emoji-option]").filter({ hasText: ":thumbsup:" });
  await step(ada.page, ada.problems, "the : list in the edit form", () => thumbs.waitFor());
  await ada.page.keyboard.press("Escape");
  expect(await form.locator("[data-emoji-list]").isHidden()).toBe(true);
  expect(await form.count()).toBe(1);
  await ada.page.keyboard.type("m");
  await step(ada.page, ada.problems, "the : list once more", () => form.locator("[data-emoji-option]").first().waitFor());
  await ada.page.keyboard.press("Backspace");
  await thumbs.click();
  await ada.page.keyboard.type(" cc @Mi");
  const inForm = form.locator("[data-mention-option='Milo Member']");
  await step(ada.page, ada.problems, "the @ list in the edit form", () => inForm.waitFor());
  await inForm.click();
  await ada.page.keyboard.press("Enter");
  await step(ada.page, ada.problems, "saving", () => form.waitFor({ state: "detached" }));

  const edited = message(milo.page, "cc");
  await step(milo.page, milo.problems, "receiving the edit", () => edited.waitFor());
  expect(await text(edited.locator(".message__body"))).toBe(`Hello @Milo Member look ${second} and 🎉 👍 cc @Milo Member `);
  expect(await edited.locator(".mention").count()).toBe(2);

  await expectCleanAndClose(ada, milo);
}, 60_000);

test("a reply's byline is plain text in the composer and in the message, not italics", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const milo = await personAt(MEMBER.email, MEMBER.password);
  await milo.page.locator("#composer_body").fill("Which way?");
  await milo.page.locator("#composer_body").press("Enter");
  const original = message(ada.page, "Which way?");
  await step(ada.page, ada.problems, "receiving Milo's message", () => original.waitFor());
  await original.hover();
  await ada.page.locator("[data-message-actions] [data-message-reply]").click();
  await step(ada.page, ada.problems, "quoting", () => ada.page.locator("#composer_editor blockquote").waitFor());
  expect(await ada.page.locator("#composer_editor em").count()).toBe(0);
  const byline = ada.page.locator("#composer_editor blockquote + div");
  expect(await byline.textContent()).toBe("Milo Member #");
  expect(await byline.evaluate((element) => getComputedStyle(element).fontStyle)).toBe("normal");
  await ada.page.keyboard.type("North.");
  await ada.page.keyboard.press("Enter");

  const reply = message(milo.page, "North.");
  await step(milo.page, milo.problems, "receiving the reply", () => reply.waitFor());
  expect(await reply.locator(".message__body em").count()).toBe(0);
  // The permalink is ours: it opens in the same tab.
  const permalink = reply.locator(".message__body a[href^='/rooms/1/@']");
  expect(await permalink.getAttribute("target")).toBeNull();
  expect(await ada.cspViolations()).toEqual([]);
  expect(ada.problems).toEqual([]);
  expect(milo.problems).toEqual([]);
  await ada.context.close();
  await milo.context.close();
}, 60_000);
