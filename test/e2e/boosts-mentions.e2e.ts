import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { ADMIN, addMember, MEMBER, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { launchBrowser, messageIn as message, signedInPage, step } from "./browser.ts";

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

test("a mention picked from the list is highlighted for the person mentioned, and boosts appear live, with no CSP violation", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const milo = await personAt(MEMBER.email, MEMBER.password);
  await step(ada.page, ada.problems, "seeing Milo arrive", () =>
    ada.page.locator("#room_1_presence .avatar[title='Milo Member']").waitFor(),
  );

  // Ada types "@mi": the room's people are offered, with their avatars; Enter picks Milo.
  const composer = ada.page.locator("#composer_body");
  await composer.pressSequentially("Lunch, @mi");
  const option = ada.page.locator("[data-mention-option='Milo Member']");
  await step(ada.page, ada.problems, "seeing Milo offered", () => option.waitFor());
  expect(await option.locator(".avatar").textContent()).toBe("MM");
  await composer.press("Enter");
  expect(await composer.inputValue()).toBe("Lunch, @Milo Member ");
  await composer.pressSequentially("at noon?");
  await composer.press("Enter");

  // Milo's copy is highlighted and shows the chip; Ada's is not highlighted.
  const mentioned = message(milo.page, "at noon?");
  await step(milo.page, milo.problems, "receiving the mention", () => mentioned.waitFor());
  expect(await mentioned.getAttribute("class")).toContain("message--mentioned");
  expect(await mentioned.locator(".mention").textContent()).toBe("@Milo Member");
  expect(await message(ada.page, "at noon?").getAttribute("class")).not.toContain("message--mentioned");

  // The mouse picks too.
  await composer.pressSequentially("@Mil");
  await step(ada.page, ada.problems, "seeing Milo offered again", () => option.click());
  await composer.pressSequentially("thanks");
  await composer.press("Enter");
  await step(milo.page, milo.problems, "receiving the second mention", () =>
    milo.page.locator(".message--mentioned").filter({ hasText: "thanks" }).waitFor(),
  );

  // Milo boosts Ada's message from its actions: Ada sees it arrive; it is marked as Milo's on his side only.
  await mentioned.hover();
  await mentioned.locator("[data-boost-quick='👍']").click();
  const adasThumb = message(ada.page, "at noon?").locator(".boost[data-boost='👍']");
  await step(ada.page, ada.problems, "seeing Milo's boost live", () => adasThumb.waitFor());
  expect(await adasThumb.getAttribute("title")).toBe("Milo Member");
  expect(await adasThumb.getAttribute("class")).not.toContain("boost--mine");
  const milosThumb = mentioned.locator(".boost[data-boost='👍']");
  expect(await milosThumb.getAttribute("class")).toContain("boost--mine");
  // A screen reader hears who gave it and whether it is the reader's own (pressing takes it back).
  expect(await adasThumb.getAttribute("aria-label")).toBe("👍 1, from Milo Member");
  expect(await adasThumb.getAttribute("aria-pressed")).toBe("false");
  expect(await milosThumb.getAttribute("aria-pressed")).toBe("true");

  // Ada adds hers by pressing his; Milo takes his back by pressing it.
  await adasThumb.click();
  await step(milo.page, milo.problems, "seeing Ada join the boost", () => milosThumb.locator(".boost__count", { hasText: "2" }).waitFor());
  await milosThumb.click();
  await step(ada.page, ada.problems, "seeing Milo's boost go", () => adasThumb.locator(".boost__count", { hasText: "1" }).waitFor());
  expect(await adasThumb.getAttribute("title")).toBe("Ada Admin");
  expect(await adasThumb.getAttribute("class")).toContain("boost--mine");

  // Any text, from the box in the actions (the message was re-rendered under the pointer meanwhile,
  // and its actions must still come); more than 16 characters is refused with the server's words.
  await milo.page.locator("#composer_body").hover();
  await mentioned.hover();
  const box = mentioned.locator("[data-boost-form] input");
  await box.fill("see you there");
  await box.press("Enter");
  await step(ada.page, ada.problems, "seeing a typed boost", () =>
    message(ada.page, "at noon?").locator(".boost[data-boost='see you there']").waitFor(),
  );
  // Milo's box is emptied when his own request answers, which can come a moment after Ada's tab
  // already shows the boost (the broadcast goes out before the answer).
  await step(milo.page, milo.problems, "the box emptying once the boost is saved", async () => {
    const deadline = Date.now() + 5000;
    while ((await box.inputValue()) !== "") {
      if (Date.now() > deadline) throw new Error(`the box still holds "${await box.inputValue()}"`);
      await Bun.sleep(20);
    }
  });
  await box.fill("this is far too long for a boost");
  await box.press("Enter");
  await step(milo.page, milo.problems, "being told the boost is too long", () =>
    milo.page.locator(".flash__message--alert", { hasText: "A boost can be at most 16 characters" }).waitFor(),
  );

  // After a reload the boosts and the highlight are still there.
  await milo.page.reload();
  await message(milo.page, "at noon?").locator(".boost[data-boost='see you there']").waitFor();
  expect(await message(milo.page, "at noon?").getAttribute("class")).toContain("message--mentioned");

  for (const person of [ada, milo]) {
    expect(await person.cspViolations()).toEqual([]);
    expect(person.problems.filter((problem) => !problem.includes("422"))).toEqual([]);
  }
}, 60_000);
