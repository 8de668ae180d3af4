import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "bun";
import { MAX_FETCHES_AT_ONCE } from "../../src/unfurl/unfurler.ts";
import type { Client } from "../helpers/client.ts";
import { addSignedInMember, createRoom, messageIdsIn, startQuickSetUpServer } from "../helpers/fixtures.ts";
import { pngOf } from "../helpers/images.ts";
import { makeDataDir, startConfiguredTestServer, type TestServer } from "../helpers/server.ts";

// The server under test may fetch from 127.0.0.1 only because the test allows that one address
// (startServer's test hooks); every other private address stays refused, 127.0.0.2 included.
const ALLOWANCE = { networkGuard: { allow: new Set(["127.0.0.1"]) } };

const PICTURE = pngOf(1200, 630);
// A few hundred bytes claiming 60,000 × 60,000 pixels (3.6 gigapixels): only its header is real.
const BOMB = (() => {
  const small = pngOf(1, 1);
  const bomb = Buffer.from(small);
  bomb.writeUInt32BE(60_000, 16);
  bomb.writeUInt32BE(60_000, 20);
  bomb.writeUInt32BE(Bun.hash.crc32(bomb.subarray(12, 29)), 29);
  return bomb;
})();
const hits: string[] = [];
let site: Server<undefined>;
let internal: Server<undefined>;
let siteUrl: string;

beforeAll(() => {
  const page = (head: string) =>
    new Response(`<!doctype html><html><head>${head}</head><body>hi</body></html>`, { headers: { "content-type": "text/html" } });
  site = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const { pathname } = new URL(request.url);
      hits.push(pathname);
      if (pathname.startsWith("/article"))
        return page(`<meta property="og:title" content="Campfire &amp; friends"><meta property="og:description" content="A <b>chat</b> app">
          <meta property="og:image" content="/picture.png">`);
      if (pathname === "/svg-image") return page(`<title>With an SVG</title><meta property="og:image" content="/picture.svg">`);
      if (pathname === "/bomb") return page(`<title>Pixel bomb</title><meta property="og:image" content="/bomb.png">`);
      if (pathname === "/corrupt") return page(`<title>Corrupt</title><meta property="og:image" content="/corrupt.jpg">`);
      if (pathname === "/bomb.png") return new Response(Buffer.from(BOMB), { headers: { "content-type": "image/png" } });
      if (pathname === "/corrupt.jpg")
        return new Response(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8]), { headers: { "content-type": "image/jpeg" } });
      if (pathname.startsWith("/slow")) return Bun.sleep(1000).then(() => page("<title>Slow</title>"));
      if (pathname === "/untitled") return page(`<meta name="description" content="No title here">`);
      if (pathname === "/picture.png") return new Response(Buffer.from(PICTURE), { headers: { "content-type": "image/png" } });
      if (pathname === "/picture.svg")
        return new Response("<svg xmlns='http://www.w3.org/2000/svg'/>", { headers: { "content-type": "image/svg+xml" } });
      return new Response("no", { status: 404 });
    },
  });
  internal = Bun.serve({
    hostname: "127.0.0.2",
    port: 0,
    fetch() {
      hits.push("internal");
      return new Response("<title>Internal</title>", { headers: { "content-type": "text/html" } });
    },
  });
  siteUrl = `http://127.0.0.1:${site.port}`;
});

afterAll(() => {
  site.stop(true);
  internal.stop(true);
});

let server: TestServer;
let admin: Client;
beforeEach(async () => {
  hits.length = 0;
  ({ server, admin } = await startQuickSetUpServer(startConfiguredTestServer({}, makeDataDir(), ALLOWANCE)));
});
afterEach(() => server.close());

const JSON_ACCEPT = { accept: "application/json" };
const unfurl = (client: Client, url: string) => client.post("/unfurl_link", { url }, JSON_ACCEPT);

type Card = { id: string; url: string; title: string; description: string; image: string | null };

test("a pasted link to a page gives its card: title, description and our own copy of its image", async () => {
  const response = await unfurl(admin, `${siteUrl}/article`);
  expect(response.status).toBe(200);
  const card = (await response.json()) as Card;
  expect(card).toMatchObject({ url: `${siteUrl}/article`, title: "Campfire & friends", description: "A chat app" });
  expect(card.id).toMatch(/^[\w-]{22}$/);
  expect(card.image).toMatch(/^\/unfurls\/[0-9a-f]{32}\.webp$/);
  expect(hits).toEqual(["/article", "/picture.png"]);

  const image = await admin.get(card.image!);
  expect(image.status).toBe(200);
  expect(image.headers.get("content-type")).toBe("image/webp");
  expect(image.headers.get("x-content-type-options")).toBe("nosniff");
  expect(image.headers.get("cache-control")).toStartWith("private");
  // Re-encoded and made small, not the remote bytes.
  const bytes = new Uint8Array(await image.arrayBuffer());
  expect(new TextDecoder().decode(bytes.slice(8, 12))).toBe("WEBP");
  expect(await new Bun.Image(bytes).metadata()).toMatchObject({ width: 600, height: 315 });
});

test("the same link pasted again within the hour gets the same card without fetching again", async () => {
  const first = (await (await unfurl(admin, `${siteUrl}/article`)).json()) as Card;
  const { client: member } = await addSignedInMember(server);
  const again = (await (await unfurl(member, `${siteUrl}/article`)).json()) as Card;
  expect(again).toEqual(first);
  expect(hits).toEqual(["/article", "/picture.png"]);
});

test("a page at a private address gives no card and is never contacted", async () => {
  for (const url of [
    `http://127.0.0.2:${internal.port}/`,
    "http://10.0.0.1/",
    "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/",
  ]) {
    const response = await unfurl(admin, url);
    expect([url, response.status]).toEqual([url, 204]);
  }
  expect(hits).toEqual([]);
});

test("a link to a file or media is not fetched as a page", async () => {
  for (const path of ["/backup.zip", "/photo.JPG", "/talk.mp4", "/paper.pdf"])
    expect((await unfurl(admin, `${siteUrl}${path}`)).status).toBe(204);
  expect(hits).toEqual([]);
});

test("a page without a title gives no card; an SVG picture is left out of the card", async () => {
  expect((await unfurl(admin, `${siteUrl}/untitled`)).status).toBe(204);
  const card = (await (await unfurl(admin, `${siteUrl}/svg-image`)).json()) as Card;
  expect(card).toMatchObject({ title: "With an SVG", image: null });
});

test("a pixel bomb or a corrupt picture is left out of the card, and the server carries on", async () => {
  for (const [path, title] of [
    ["/bomb", "Pixel bomb"],
    ["/corrupt", "Corrupt"],
  ] as const) {
    const response = await unfurl(admin, `${siteUrl}${path}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ title, image: null });
  }
  expect(server.logs.some((line) => line.includes("no link preview image") && line.includes("maxPixels"))).toBe(true);
  expect((await admin.get("/up")).status).toBe(200);
});

test("a missing or non-http URL is a 422 with a message", async () => {
  for (const url of [undefined, "", "not a url", "javascript:alert(1)", "file:///etc/passwd", `http://x.test/${"a".repeat(2100)}`]) {
    const response = await admin.request("/unfurl_link", { method: "POST", form: url === undefined ? {} : { url }, headers: JSON_ACCEPT });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: string }).error).toMatch(/url/);
  }
});

test("only signed-in people may ask for a card or see a card's image", async () => {
  const card = (await (await unfurl(admin, `${siteUrl}/article`)).json()) as Card;
  const stranger = new (admin.constructor as typeof Client)(server.url);
  expect((await unfurl(stranger, `${siteUrl}/article`)).status).toBe(401);
  expect((await stranger.get(card.image!)).status).not.toBe(200);
  expect((await admin.get("/unfurls/0123456789abcdef0123456789abcdef.webp")).status).toBe(404);
  expect((await admin.get("/unfurls/..%2Fcampfire.sqlite3")).status).toBe(404);
});

test("a person asking for more than 20 cards a minute is told to wait", async () => {
  for (let i = 0; i < 20; i++) expect((await unfurl(admin, `${siteUrl}/article?${i}`)).status).toBe(200);
  const response = await unfurl(admin, `${siteUrl}/article?21`);
  expect(response.status).toBe(429);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
});

test(`at most ${MAX_FETCHES_AT_ONCE} pages are fetched at once; a paste beyond that gets no card, at once`, async () => {
  const answers = await Promise.all(
    Array.from({ length: MAX_FETCHES_AT_ONCE + 1 }, async (_, i) => {
      // The last one starts once the others are waiting on the slow site.
      if (i === MAX_FETCHES_AT_ONCE) await Bun.sleep(300);
      return (await unfurl(admin, `${siteUrl}/slow?${i}`)).status;
    }),
  );
  expect(answers).toEqual([...Array(MAX_FETCHES_AT_ONCE).fill(200), 204]);
  expect(hits.length).toBe(MAX_FETCHES_AT_ONCE);
  // It was not remembered as a failure: asked again, the page gets its card.
  expect((await unfurl(admin, `${siteUrl}/slow?${MAX_FETCHES_AT_ONCE}`)).status).toBe(200);
});

test("a message sent with a card's token shows the card, rendered from what the server fetched", async () => {
  const card = (await (await unfurl(admin, `${siteUrl}/article`)).json()) as Card;
  const roomId = await createRoom(admin, "opens", { name: "Links" });
  const response = await admin.post(`/rooms/${roomId}/messages`, {
    body: `${siteUrl}/article`,
    client_message_id: "with-card",
    unfurl: card.id,
  });
  expect(response.status).toBe(201);
  const html = await response.text();
  expect(html).toContain(`<a class="link-preview" href="${siteUrl}/article" target="_blank" rel="noopener noreferrer nofollow">`);
  expect(html).toContain(`<img class="link-preview__image" src="${card.image}" width="600" height="315"`);
  expect(html).toContain(`<strong class="link-preview__title">Campfire &amp; friends</strong>`);
  // And so does the room page, read back from the database.
  const page = await (await admin.get(`/rooms/${roomId}`)).text();
  expect(page).toContain(`<strong class="link-preview__title">Campfire &amp; friends</strong>`);
});

test("a message with a token the server never gave is refused, and nothing is stored", async () => {
  const roomId = await createRoom(admin, "opens", { name: "Links" });
  const count = () => (server.db.query("SELECT count(*) AS n FROM messages").get() as { n: number }).n;
  const before = count();
  for (const unfurl of ["AAAAAAAAAAAAAAAAAAAAAA", "<b>title</b>", "1"]) {
    const response = await admin.post(`/rooms/${roomId}/messages`, { body: "hello", unfurl });
    expect(response.status).toBe(422);
  }
  expect(count()).toBe(before);
  expect(messageIdsIn(await (await admin.get(`/rooms/${roomId}`)).text())).toEqual([]);
});

test("a message that is nothing but the card's URL hides its text (the card says it all); with more words it shows", async () => {
  const roomId = await createRoom(admin, "opens", { name: "Links" });
  const send = async (body: string, path: string) => {
    const card = (await (await unfurl(admin, `${siteUrl}${path}`)).json()) as Card;
    return (await admin.post(`/rooms/${roomId}/messages`, { body, unfurl: card.id })).text();
  };
  const bare = await send(`  ${siteUrl}/article  `, "/article");
  expect(bare).toContain('<div class="message__body" hidden>');
  expect(bare).toContain(`href="${siteUrl}/article"`);
  const worded = await send(`have a look: ${siteUrl}/article?2`, "/article?2");
  expect(worded).toContain('<div class="message__body">');
  // The same on the room page, read back from the database.
  const page = await (await admin.get(`/rooms/${roomId}`)).text();
  expect(page.match(/<div class="message__body" hidden>/g)).toHaveLength(1);
});

describe("the sweep of unused cards", () => {
  const DAY = 24 * 60 * 60_000;
  const rows = () =>
    server.db.query<{ url: string; imageKey: string }, []>("SELECT url, image_key AS imageKey FROM link_previews ORDER BY id").all();
  const imageFile = (key: string) => join(server.dataDir, "unfurls", key);
  const card = async (path: string) => (await (await unfurl(admin, `${siteUrl}${path}`)).json()) as Card;
  const age = (url: string, ms: number) =>
    server.db.query("UPDATE link_previews SET created_at = created_at - ? WHERE url = ?").run(ms, `${siteUrl}${url}`);

  test("after a day, cards no message carries are forgotten with their pictures; sent and recent ones stay", async () => {
    const roomId = await createRoom(admin, "opens", { name: "Links" });
    const sent = await card("/article?sent");
    const posted = await admin.post(`/rooms/${roomId}/messages`, { body: "read this", unfurl: sent.id });
    expect(posted.status).toBe(201);
    await card("/article?never-sent");
    await card("/article?just-offered");
    age("/article?sent", 2 * DAY);
    age("/article?never-sent", 2 * DAY);
    const keys = Object.fromEntries(rows().map((row) => [row.url.split("?")[1], row.imageKey]));
    // A picture left without its card (written just before a crash): old ones go, a fresh one may still be getting its card.
    const strayOld = `${"a".repeat(32)}.webp`;
    const strayNew = `${"b".repeat(32)}.webp`;
    for (const stray of [strayOld, strayNew]) writeFileSync(imageFile(stray), "x");
    utimesSync(imageFile(strayOld), new Date(Date.now() - 2 * DAY), new Date(Date.now() - 2 * DAY));

    expect(await server.ctx.unfurler.sweep()).toEqual({ cards: 1, images: 2 });
    expect(rows().map((row) => row.url.split("?")[1])).toEqual(["sent", "just-offered"]);
    expect(existsSync(imageFile(keys["never-sent"]!))).toBe(false);
    expect(existsSync(imageFile(strayOld))).toBe(false);
    for (const kept of [keys.sent!, keys["just-offered"]!, strayNew]) expect(existsSync(imageFile(kept))).toBe(true);
    expect((await admin.get(`/unfurls/${keys["never-sent"]}`)).status).toBe(404);
    expect((await admin.get(`/rooms/${roomId}`)).status).toBe(200);

    // Once its message is deleted, the sent card is unused too.
    const messageId = messageIdsIn(await posted.text())[0]!;
    expect((await admin.request(`/rooms/${roomId}/messages/${messageId}`, { method: "DELETE" })).status).toBe(200);
    expect(await server.ctx.unfurler.sweep()).toEqual({ cards: 1, images: 1 });
    expect(existsSync(imageFile(keys.sent!))).toBe(false);
  });
});
