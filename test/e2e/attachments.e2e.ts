import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { findUserByEmail } from "../../src/users/users.ts";
import { ADMIN, addMember, completeFirstRun, MEMBER, signIn, startSetUpServer } from "../helpers/fixtures.ts";
import { gifOf, pngOf } from "../helpers/images.ts";
import { startConfiguredTestServer, type TestServer } from "../helpers/server.ts";
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

test("a file over the limit is refused in the browser with a clear message, before any request is sent", async () => {
  const small = startConfiguredTestServer({ maxUploadBytes: 1024 * 1024 });
  try {
    await completeFirstRun(small);
    const ada = await signedInPage(browser, small, ADMIN);
    const posts: string[] = [];
    ada.page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await ada.page
      .locator("[data-attach]")
      .setInputFiles({ name: "big.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(1536 * 1024) });
    const alert = ada.page.locator(".flash__message--alert");
    await step(ada.page, ada.problems, "seeing the refusal", () => alert.waitFor());
    expect(await alert.textContent()).toContain("“big.bin” is too large: at most 1 MB can be attached.");
    expect(await ada.page.locator(".message--pending").count()).toBe(0);
    // A file within the limit goes through: the check is not refusing everything.
    await ada.page.locator("[data-attach]").setInputFiles({ name: "small.txt", mimeType: "text/plain", buffer: Buffer.from("fine") });
    await step(ada.page, ada.problems, "seeing the small file sent", () =>
      ada.page.locator(".message[data-message-id] a.attachment--file").waitFor(),
    );
    expect(posts).toEqual([`${small.url}/rooms/1/messages`]);
    expect(ada.problems).toEqual([]);
    await ada.context.close();
  } finally {
    await small.close();
  }
}, 60_000);

test("an animated GIF's thumbnail is its first frame", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const gif = gifOf(64, 32, [
    [220, 20, 20],
    [20, 20, 220],
  ]);
  await ada.page.locator("[data-attach]").setInputFiles({ name: "blink.gif", mimeType: "image/gif", buffer: Buffer.from(gif) });
  const thumbnail = ada.page.locator('.message[data-message-id] a[data-lightbox] img[alt="blink.gif"]');
  await step(ada.page, ada.problems, "seeing the GIF's thumbnail", () => thumbnail.waitFor());
  expect([await thumbnail.getAttribute("width"), await thumbnail.getAttribute("height")]).toEqual(["64", "32"]);
  // The thumbnail's pixels, read back through a canvas: red, the first frame, not the second's blue.
  const pixel = await ada.page.evaluate(async () => {
    const image = document.querySelector<HTMLImageElement>('a[data-lightbox] img[alt="blink.gif"]')!;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    return [...context.getImageData(32, 16, 1, 1).data.slice(0, 3)];
  });
  expect(pixel[0]).toBeGreaterThan(180);
  expect(pixel[2]).toBeLessThan(60);
  expect(ada.problems).toEqual([]);
  await ada.context.close();
}, 60_000);

test("in the lightbox the arrow keys go to the previous and next picture, and a swipe closes it", async () => {
  // Two more pictures in the room, sent over HTTP by Milo.
  const { client } = await signIn(server, MEMBER.email, MEMBER.password);
  const hrefs: string[] = [];
  for (const [name, width] of [
    ["first.png", 120],
    ["second.png", 160],
  ] as const) {
    const form = new FormData();
    form.set("attachment", new File([pngOf(width, 80)], name, { type: "image/png" }));
    const html = await (await client.request("/rooms/1/messages", { method: "POST", body: form })).text();
    hrefs.push(html.match(/href="(\/attachments\/[0-9a-f]{32})"/)![1]!);
  }
  const ada = await signedInPage(browser, server, ADMIN, { contextOptions: { hasTouch: true } });
  const lightbox = ada.page.locator("dialog.lightbox");
  const shown = () => ada.page.locator(".lightbox__image").getAttribute("src");
  await ada.page.locator(`a[data-lightbox][href="${hrefs[0]}"]`).click();
  await step(ada.page, ada.problems, "opening the lightbox", () => lightbox.waitFor({ state: "visible" }));
  expect(await shown()).toBe(`${server.url}${hrefs[0]}`);
  await ada.page.keyboard.press("ArrowRight");
  expect(await shown()).toBe(`${server.url}${hrefs[1]}`);
  await ada.page.keyboard.press("ArrowRight"); // the newest: nowhere further to go
  expect(await shown()).toBe(`${server.url}${hrefs[1]}`);
  await ada.page.keyboard.press("ArrowLeft");
  expect(await shown()).toBe(`${server.url}${hrefs[0]}`);
  expect(await lightbox.isVisible()).toBe(true);

  // A finger swiping down over the picture, as the browser's touch input sees it.
  const cdp = await ada.context.newCDPSession(ada.page);
  const box = (await ada.page.locator(".lightbox__image").boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
  for (const dy of [30, 60, 90, 120]) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x, y: y + dy }] });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await step(ada.page, ada.problems, "closing it with a swipe", () => lightbox.waitFor({ state: "hidden" }));
  expect(ada.problems).toEqual([]);
  expect(await ada.cspViolations()).toEqual([]);
  await ada.context.close();
}, 60_000);

test("a video uploads with the frame size its browser read, and plays in a player that does not jump when it loads", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const milo = await personAt(MEMBER.email, MEMBER.password);
  // A real WebM of 320×180, recorded from a canvas by Chromium itself.
  const webm = await ada.page.evaluate(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 180;
    const context = canvas.getContext("2d")!;
    const recorder = new MediaRecorder(canvas.captureStream(20), { mimeType: "video/webm" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start();
    for (let frame = 0; frame < 12; frame++) {
      context.fillStyle = `hsl(${frame * 30}, 80%, 50%)`;
      context.fillRect(0, 0, 320, 180);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    recorder.stop();
    await stopped;
    return [...new Uint8Array(await new Blob(chunks).arrayBuffer())];
  });
  await ada.page.locator("[data-attach]").setInputFiles({ name: "clip.webm", mimeType: "video/webm", buffer: Buffer.from(webm) });
  for (const person of [ada, milo]) {
    const video = person.page.locator(".message[data-message-id] .attachment--video video");
    await step(person.page, person.problems, "seeing the video player", () => video.waitFor());
    expect([await video.getAttribute("width"), await video.getAttribute("height")]).toEqual(["320", "180"]);
    expect(await video.getAttribute("preload")).toBe("metadata");
    const laidOut = await video.boundingBox();
    await step(person.page, person.problems, "loading the video's first frame", () =>
      person.page.waitForFunction(() => {
        const element = document.querySelector<HTMLVideoElement>(".attachment--video video");
        return !!element && element.readyState >= 1 && element.videoWidth === 320;
      }),
    );
    expect(await video.boundingBox()).toEqual(laidOut);
    expect(laidOut).toMatchObject({ width: 320, height: 180 });
    expect(await person.cspViolations()).toEqual([]);
    expect(person.problems).toEqual([]);
  }
  await ada.context.close();
  await milo.context.close();
}, 60_000);

test("files dropped on the room or pasted into the composer are sent, one message each", async () => {
  const ada = await personAt(ADMIN.email, ADMIN.password);
  const files = ada.page.locator(".message[data-message-id] a.attachment--file .attachment__name");
  const before = await files.count();
  // What the browser hands the page when files are dragged in from the desktop, then when one is pasted.
  await ada.page.evaluate(() => {
    const dropped = new DataTransfer();
    dropped.items.add(new File(["first"], "dropped-1.txt", { type: "text/plain" }));
    dropped.items.add(new File(["second"], "dropped-2.txt", { type: "text/plain" }));
    const room = document.querySelector("main.room")!;
    room.dispatchEvent(new DragEvent("dragover", { dataTransfer: dropped, bubbles: true, cancelable: true }));
    room.dispatchEvent(new DragEvent("drop", { dataTransfer: dropped, bubbles: true, cancelable: true }));
    const pasted = new DataTransfer();
    pasted.items.add(new File(["third"], "pasted.txt", { type: "text/plain" }));
    document
      .querySelector("#composer_body")!
      .dispatchEvent(new ClipboardEvent("paste", { clipboardData: pasted, bubbles: true, cancelable: true }));
  });
  await step(ada.page, ada.problems, "seeing three messages with a file each", () =>
    ada.page.waitForFunction(
      (count) => document.querySelectorAll(".message[data-message-id] a.attachment--file").length === count + 3,
      before,
    ),
  );
  expect((await files.allTextContents()).slice(before).sort()).toEqual(["dropped-1.txt", "dropped-2.txt", "pasted.txt"]);
  expect(await ada.page.locator("#composer_body").inputValue()).toBe("");
  expect(await ada.page.locator("main.room").getAttribute("class")).not.toContain("room--dropping");
  expect(ada.problems).toEqual([]);
  await ada.context.close();
}, 60_000);
