import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { findAccount } from "../../src/accounts/accounts.ts";
import { postMessage } from "../../src/messages/receive.ts";
import { createOpenRoom, findRoom } from "../../src/rooms/rooms.ts";
import { findUser } from "../../src/users/users.ts";
import { ADMIN, addMember, MEMBER, signIn, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { launchBrowser, signedInPage, step, watchPage } from "./browser.ts";

// What a new team tripped over in their first days, each walked through as a person would.
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

const personAt = (email: string, password: string, path?: string) =>
  signedInPage(browser, server, { email, password }, { path, contextOptions: { viewport: { width: 1280, height: 800 } } });

const ignorable = (problem: string) => problem.includes("status of 4");

test("a follow-up line shows its time only when pointed at; code blocks start flush at full size", async () => {
  const room = createOpenRoom(server.db, findUser(server.db, 1)!, "Code talk");
  const ada = findUser(server.db, 1)!;
  await postMessage(server.ctx, ada, findRoom(server.db, room.id)!, { body: "Look at this `inline` bit:", clientMessageId: "look" });
  await postMessage(server.ctx, ada, findRoom(server.db, room.id)!, {
    body: "```\nfirst line\nsecond line\n```",
    clientMessageId: "block",
  });
  const { context, page, problems } = await personAt(ADMIN.email, ADMIN.password, `/rooms/${room.id}`);
  const followUp = page.locator(".message", { hasText: "first line" });
  await step(page, problems, "grouping the follow-up", () =>
    page.locator(".message.message--threaded", { hasText: "first line" }).waitFor(),
  );

  const time = followUp.locator(".message__time");
  await page.mouse.move(5, 5);
  expect(await time.isVisible()).toBe(false);
  await followUp.hover();
  expect(await time.isVisible()).toBe(true);
  // The first line of the conversation keeps its time in the open.
  expect(await page.locator(".message", { hasText: "Look at this" }).locator(".message__time").isVisible()).toBe(true);

  const block = await followUp.locator("pre code").evaluate((code) => {
    const range = document.createRange();
    range.selectNodeContents(code);
    const lines = [...range.getClientRects()];
    return {
      paddingLeft: getComputedStyle(code).paddingLeft,
      codeSize: getComputedStyle(code).fontSize,
      preSize: getComputedStyle(code.parentElement!).fontSize,
      firstLineX: Math.round(lines[0]!.x),
      lastLineX: Math.round(lines.at(-1)!.x),
    };
  });
  expect(block.paddingLeft).toBe("0px");
  expect(block.codeSize).toBe(block.preSize);
  expect(block.firstLineX).toBe(block.lastLineX);
  const inline = await page
    .locator(".message", { hasText: "Look at this" })
    .locator("code")
    .evaluate((code) => getComputedStyle(code).fontSize);
  expect(inline).toBe(block.codeSize);

  expect(problems.filter((p) => !ignorable(p))).toEqual([]);
  await context.close();
}, 60_000);

test("the sidebar's footer shows the person's whole name, with Sign out beside it on screen", async () => {
  const person = { name: "Maximilian Fischer", email: "max@example.com", password: "max's long password" };
  await addMember(server, person);
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    const { client } = await signIn(server, person.email, person.password);
    const context = await browser.newContext({ viewport });
    await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: server.url })));
    const page = await context.newPage();
    await page.goto(`${server.url}/rooms/1`);
    if (viewport.width < 700) {
      await page.getByRole("button", { name: "Show rooms" }).click();
      await page.waitForFunction(() => document.querySelector(".sidebar")!.getBoundingClientRect().x >= 0);
    }
    const me = page.locator(".sidebar__me");
    expect(await me.textContent()).toBe(person.name);
    expect({ viewport, cut: await me.evaluate((e) => e.scrollWidth > e.clientWidth) }).toEqual({ viewport, cut: false });
    const signOut = (await page.getByRole("button", { name: "Sign out" }).boundingBox())!;
    const sidebar = (await page.locator(".sidebar").boundingBox())!;
    expect(signOut.x + signOut.width).toBeLessThanOrEqual(sidebar.x + sidebar.width);
    await context.close();
  }
}, 60_000);

test("someone sent to sign in from a room's link lands in that room, not the first one", async () => {
  const room = createOpenRoom(server.db, findUser(server.db, 1)!, "Where I was going");
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${server.url}/rooms/${room.id}`);
  await page.waitForURL(/\/session\/new$/);
  await page.getByLabel("Email address").fill(MEMBER.email);
  await page.locator('input[name="password"]').fill(MEMBER.password);
  await step(page, problems, "signing in", () =>
    Promise.all([page.waitForURL(new RegExp(`/rooms/${room.id}$`)), page.getByRole("button", { name: "Sign in" }).click()]),
  );
  await page.getByRole("heading", { name: "Where I was going" }).waitFor();
  expect(problems.filter((p) => !ignorable(p))).toEqual([]);
  await context.close();
}, 60_000);

test("the new room form keeps the typed name when switching to Selected people and back", async () => {
  const { context, page, problems } = await personAt(ADMIN.email, ADMIN.password, "/rooms/new");
  await page.getByLabel("Room name").fill("Launch crew");
  await page.getByRole("link", { name: "Selected people" }).click();
  await step(page, problems, "switching to Selected people", () => page.getByPlaceholder("Type a name…").waitFor());
  expect(await page.getByLabel("Room name").inputValue()).toBe("Launch crew");
  expect(new URL(page.url()).search).toBe("?kind=closed");

  await page.getByPlaceholder("Type a name…").pressSequentially("mil");
  await page.getByRole("option", { name: "Milo Member" }).click();
  await page.getByRole("link", { name: "Everyone" }).click();
  await page.getByText("Everyone on this Campfire is in the room").waitFor();
  expect(await page.getByLabel("Room name").inputValue()).toBe("Launch crew");
  await page.getByRole("link", { name: "Selected people" }).click();
  await page.getByPlaceholder("Type a name…").waitFor();
  expect(await page.getByLabel("Room name").inputValue()).toBe("Launch crew");

  await Promise.all([page.waitForURL(/\/rooms\/\d+$/), page.getByRole("button", { name: "Create room" }).click()]);
  await page.getByRole("heading", { name: "Launch crew" }).waitFor();
  expect(problems.filter((p) => !ignorable(p))).toEqual([]);
  await context.close();
}, 60_000);

test("account actions say what they did, and a new join link is asked for first", async () => {
  const { context, page, problems } = await personAt(ADMIN.email, ADMIN.password, "/account");
  const link = page.locator("#account_join_link");
  const before = await link.inputValue();

  // Saying no to the question keeps the link as it was.
  page.once("dialog", (dialog) => {
    expect(dialog.message()).toContain("The current link stops working at once");
    void dialog.dismiss();
  });
  await page.getByRole("button", { name: "Regenerate link" }).click();
  await page.waitForTimeout(300);
  expect(findAccount(server.ctx)!.joinCode).toBe(before.split("/").pop()!);

  page.once("dialog", (dialog) => void dialog.accept());
  await step(page, problems, "regenerating the link", () =>
    Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Regenerate link" }).click()]),
  );
  await page.getByRole("status").filter({ hasText: "There's a new join link. The old one no longer works." }).waitFor();
  expect(await link.inputValue()).not.toBe(before);

  await page.getByLabel("Account name").fill("Acme Chat HQ");
  await step(page, problems, "saving the settings", () =>
    Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Save settings" }).click()]),
  );
  await page.getByRole("status").filter({ hasText: "Settings saved." }).waitFor();
  await page.getByRole("heading", { name: "Acme Chat HQ" }).waitFor();
  expect(problems.filter((p) => !ignorable(p))).toEqual([]);
  await context.close();
}, 60_000);

test("a hidden room can be found again from the sidebar and put back", async () => {
  const room = createOpenRoom(server.db, findUser(server.db, 1)!, "Quiet corner");
  const { context, page, problems } = await personAt(MEMBER.email, MEMBER.password, `/rooms/${room.id}`);
  await page.locator(".involvement__summary").click();
  await page.getByRole("button", { name: /^Hidden/ }).click();
  await step(page, problems, "hiding the room", () => page.locator(`#sidebar_room_${room.id}`).waitFor({ state: "detached" }));
  // The way back shows at once, not only on the next page.
  await step(page, problems, "seeing the hidden rooms link", () => page.getByRole("link", { name: "Hidden rooms (1)" }).waitFor());

  await page.goto(`${server.url}/rooms/1`);
  await page.getByRole("link", { name: "Hidden rooms (1)" }).click();
  await page.waitForURL(/\/rooms\/hidden$/);
  await page.getByRole("link", { name: "# Quiet corner" }).waitFor();
  await step(page, problems, "showing it again", () =>
    Promise.all([page.waitForURL(new RegExp(`/rooms/${room.id}$`)), page.getByRole("button", { name: "Show in sidebar" }).click()]),
  );
  await page.locator(`#sidebar_room_${room.id}`).waitFor();
  expect(await page.getByRole("link", { name: /Hidden rooms/ }).count()).toBe(0);
  expect(problems.filter((p) => !ignorable(p))).toEqual([]);
  await context.close();
}, 60_000);

test("editing puts the cursor in the editor, in view; Escape cancels and returns to the composer", async () => {
  const room = createOpenRoom(server.db, findUser(server.db, 1)!, "Long history");
  const milo = findUser(server.db, 2)!;
  for (let i = 1; i <= 30; i++)
    await postMessage(server.ctx, milo, findRoom(server.db, room.id)!, { body: `Earlier line ${i}`, clientMessageId: `earlier-${i}` });
  const { context, page, problems } = await personAt(ADMIN.email, ADMIN.password, `/rooms/${room.id}`);
  const composer = page.locator("#composer_body");
  await composer.fill("A line worth fixing");
  await composer.press("Enter");
  const mine = page.locator(".message[data-message-id]", { hasText: "A line worth fixing" });
  await step(page, problems, "posting", () => mine.waitFor());

  /** The editor has the focus and the whole form, buttons included, is inside the visible part of the list. */
  const editorInView = () =>
    page.waitForFunction(() => {
      const form = document.querySelector<HTMLFormElement>(".message--editing");
      const list = document.querySelector("[data-messages]")!.getBoundingClientRect();
      if (!form || document.activeElement !== form.querySelector("textarea")) return false;
      const box = form.getBoundingClientRect();
      return box.top >= list.top - 1 && box.bottom <= list.bottom + 1;
    });

  await composer.press("ArrowUp");
  await step(page, problems, "the editor taking the focus, in view", editorInView);
  await page.keyboard.press("Escape");
  await step(page, problems, "Escape cancelling", () => page.locator(".message--editing").waitFor({ state: "detached" }));
  await mine.waitFor();
  // The focus moves once htmx has settled the message back in.
  await step(page, problems, "writing carrying on in the composer", () =>
    page.waitForFunction(() => document.activeElement?.id === "composer_body"),
  );

  // The Edit button does the same, and typing goes straight into the editor.
  await mine.hover();
  await page.locator("[data-message-actions] [data-message-edit]").click();
  await step(page, problems, "the editor from the Edit button", editorInView);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("A line now fixed");
  await page.keyboard.press("Enter");
  await step(page, problems, "saving the edit", () => page.locator(".message[data-message-id]", { hasText: "A line now fixed" }).waitFor());
  expect(problems.filter((p) => !ignorable(p))).toEqual([]);
  await context.close();
}, 60_000);

test("the join link's Copy button puts the link on the clipboard", async () => {
  const { context, page, problems } = await personAt(ADMIN.email, ADMIN.password, "/account");
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await page.getByRole("button", { name: "Copy link" }).click();
  await step(page, problems, "saying it was copied", () => page.getByRole("button", { name: "Copied!" }).waitFor());
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.locator("#account_join_link").inputValue());
  expect(problems.filter((p) => !ignorable(p))).toEqual([]);
  await context.close();
}, 60_000);
