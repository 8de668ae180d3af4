import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { findUserByEmail } from "../../src/users/users.ts";
import { ADMIN, addMember, MEMBER, startSetUpServer } from "../helpers/fixtures.ts";
import { pngOf } from "../helpers/images.ts";
import type { TestServer } from "../helpers/server.ts";
import { launchBrowser, signedInPage, step } from "./browser.ts";

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

const personAt = (email: string, password: string, path?: string) => signedInPage(browser, server, { email, password }, { path });

// Large enough to take a few seconds at the throttled upload speed below: the bar is seen moving.
const photo = () => ({ name: "harbour.png", mimeType: "image/png", buffer: Buffer.from(pngOf(3000, 2000)) });
const noisyPhoto = () => {
  const bytes = pngOf(3000, 2000);
  return {
    name: "harbour.png",
    mimeType: "image/png",
    buffer: Buffer.concat([Buffer.from(bytes), Buffer.from(crypto.getRandomValues(new Uint8Array(60_000)))]),
  };
};

test("a picture uploads with visible progress, shows its thumbnail at its size, and opens and closes in a lightbox", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const milo = await personAt(MEMBER.email, MEMBER.password);
  await step(ada.page, ada.problems, "connecting", () => ada.page.locator("#room_1_presence .avatar[title='Milo Member']").waitFor());

  // Throttle Ada's uploads to ~20 KB/s so the progress bar has time to be seen between 0 and 100.
  const cdp = await ada.context.newCDPSession(ada.page);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 20_000 });
  await ada.page.locator("[data-attach]").setInputFiles(noisyPhoto());
  await step(ada.page, ada.problems, "seeing the upload's progress", () =>
    ada.page.waitForFunction(() => {
      const bar = document.querySelector<HTMLProgressElement>(".message--pending [data-upload-progress]");
      return bar !== null && !bar.hidden && bar.value > 0 && bar.value < 100;
    }),
  );
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  // Both see the thumbnail, with its size in the markup (no jump) and really loaded.
  for (const person of [ada, milo]) {
    const thumbnail = person.page.locator(".message[data-message-id] a[data-lightbox] img");
    await step(person.page, person.problems, "seeing the thumbnail", () => thumbnail.waitFor());
    expect(await thumbnail.getAttribute("width")).toBe("1200");
    expect(await thumbnail.getAttribute("height")).toBe("800");
    await person.page.waitForFunction(() => document.querySelector<HTMLImageElement>("a[data-lightbox] img")?.naturalWidth === 1200);
  }
  expect(await ada.page.locator(".message--pending").count()).toBe(0);

  // The lightbox opens on a click, closes with Escape; opens again and closes with a tap.
  const lightbox = milo.page.locator("dialog.lightbox");
  await milo.page.locator("a[data-lightbox]").click();
  await step(milo.page, milo.problems, "opening the lightbox", () => lightbox.waitFor({ state: "visible" }));
  await milo.page.waitForFunction(() => document.querySelector<HTMLImageElement>(".lightbox__image")?.naturalWidth === 3000);
  await milo.page.keyboard.press("Escape");
  await step(milo.page, milo.problems, "closing it with Escape", () => lightbox.waitFor({ state: "hidden" }));
  await milo.page.locator("a[data-lightbox]").click();
  await lightbox.waitFor({ state: "visible" });
  await milo.page.locator(".lightbox__image").click();
  await step(milo.page, milo.problems, "closing it with a tap", () => lightbox.waitFor({ state: "hidden" }));

  expect([...ada.problems, ...milo.problems]).toEqual([]);
  expect([...(await ada.cspViolations()), ...(await milo.cspViolations())]).toEqual([]);
  await ada.context.close();
  await milo.context.close();
}, 60_000);

test("an upload can be cancelled, and another file shows as a download with its name and size", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const cdp = await ada.context.newCDPSession(ada.page);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 5_000 });
  await ada.page.locator("[data-attach]").setInputFiles(photo());
  await ada.page.locator(".message--pending [data-cancel-upload]").click();
  expect(await ada.page.locator(".message--pending").count()).toBe(0);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  await ada.page
    .locator("[data-attach]")
    .setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("x".repeat(2048)) });
  const file = ada.page.locator(".message[data-message-id] a.attachment--file");
  await step(ada.page, ada.problems, "seeing the file", () => file.waitFor());
  expect(await file.textContent()).toContain("notes.txt");
  expect(await file.textContent()).toContain("2.0 KB");
  expect(ada.problems).toEqual([]);
  await ada.context.close();
}, 60_000);

test("a new avatar shows at once for another person, in the presence list and beside messages", async () => {
  const milo = await personAt(MEMBER.email, MEMBER.password);
  const ada = await personAt(ADMIN.email, ADMIN.password, "/profile");
  const adaId = findUserByEmail(server.db, ADMIN.email)!.id;
  await step(milo.page, milo.problems, "seeing the message avatar as initials", () =>
    milo.page.locator(`.message[data-creator-id="${adaId}"] > span.avatar`).first().waitFor(),
  );
  // Ada is present in the room through a second tab.
  const adaInRoom = await ada.context.newPage();
  await adaInRoom.goto(`${server.url}/rooms/1`);
  await milo.page.locator(`#room_1_presence [data-avatar-of="${adaId}"]`).waitFor();

  await ada.page
    .locator('input[name="avatar"]')
    .setInputFiles({ name: "me.png", mimeType: "image/png", buffer: Buffer.from(pngOf(300, 300)) });
  await ada.page.getByRole("button", { name: "Upload picture" }).click();
  await ada.page.waitForURL(`${server.url}/profile`);
  await step(milo.page, milo.problems, "seeing Ada's new face in presence", () =>
    milo.page.locator(`#room_1_presence img[data-avatar-of="${adaId}"]`).waitFor(),
  );
  await step(milo.page, milo.problems, "seeing it beside her messages", () =>
    milo.page.locator(`.message[data-creator-id="${adaId}"] > img.avatar`).first().waitFor(),
  );
  await milo.page.waitForFunction(
    (id) => document.querySelector<HTMLImageElement>(`#room_1_presence img[data-avatar-of="${id}"]`)?.naturalWidth === 256,
    adaId,
  );
  expect([...milo.problems, ...ada.problems]).toEqual([]);
  await milo.context.close();
  await ada.context.close();
}, 60_000);
