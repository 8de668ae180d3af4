import { afterEach, expect, test } from "bun:test";
import { createApp } from "../../src/app.ts";
import { ReadCache } from "../../src/cache/read-cache.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { databasePath } from "../../src/server.ts";
import { renameUser } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { createRoom, messageIdsIn, postMessage, sendForm, startThreePersonServer, type ThreePeople } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { messageIdFrom } from "../helpers/socket.ts";

const ALL_TALK = 1;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<ThreePeople> {
  const people = await startThreePersonServer();
  cleanups.push(() => people.server.close());
  return people;
}

/**
 * The test server's app again, on another port, with its own read cache switched on or off (so
 * the suite's CAMPFIRE_READ_CACHE setting doesn't matter here). It shares the server's SQLite
 * connection: everything it reads is what the other wrote, and no commit counts as another
 * process's (which would empty the cache and hide a missing event).
 */
function mirror(server: TestServer, readCache: boolean) {
  const cache = new ReadCache(server.db, readCache);
  const listener = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: createApp({ ...server.ctx, cache }).fetch });
  cleanups.push(() => listener.stop(true));
  return { url: listener.url.href.replace(/\/$/, ""), cache };
}

/** A client of another server (a mirror) with the same cookies, so the same person. */
function as(client: Client, url: string): Client {
  const moved = new Client(url);
  for (const [name, value] of client.cookies) moved.cookies.set(name, value);
  return moved;
}

const text = async (client: Client, path: string) => {
  const response = await client.get(path);
  expect(response.status).toBe(200);
  return response.text();
};

test("a person's rename shows on pages rendered after it: their messages, their direct rooms and their own sidebar", async () => {
  const { server, admin: adminThere, member: memberThere, memberUser } = await setUp();
  const cached = mirror(server, true);
  const [admin, member] = [as(adminThere, cached.url), as(memberThere, cached.url)];
  await postMessage(member, ALL_TALK, "hello from Milo");
  const direct = await createRoom(admin, "directs", { user_ids: memberUser.id });
  // Seen once, so the newest page, the room entries and the sessions are all kept.
  expect(await text(admin, `/rooms/${ALL_TALK}`)).toContain("Milo Member");
  expect(await text(admin, `/rooms/${direct}`)).toContain("Milo Member");
  expect(await text(member, `/rooms/${ALL_TALK}`)).toContain("Milo Member");

  renameUser(server.db, memberUser.id, "Mila Renamed");
  cached.cache.personChanged(memberUser.id);

  const room = await text(admin, `/rooms/${ALL_TALK}`);
  expect(room).toContain(`<span class="message__author">Mila Renamed</span>`);
  expect(room).not.toContain("Milo Member"); // not in the message, nor in the sidebar's direct room
  const directPage = await text(admin, `/rooms/${direct}`);
  expect(directPage).toContain("<title>Mila Renamed");
  expect(directPage).not.toContain("Milo Member");
  // Their own pages know them by the new name too (the session memory held the old one).
  expect(await text(member, "/users/me/sidebar")).toContain(`<span class="sidebar__me" title="Mila Renamed">Mila Renamed</span>`);
});

/**
 * Every page a few people can see, as [label, client, path]: signed-in pages for each person
 * and the signed-out pages (sign in, join).
 */
function pagesOf(people: ThreePeople, ids: { closed: number; direct: number; message: number; joinCode: string }) {
  const { admin, member, third } = people;
  const signedOut = new Client(admin.base);
  const pages: [string, Client, string][] = [
    ["signed out: sign-in", signedOut, "/session/new"],
    ["signed out: join", signedOut, `/join/${ids.joinCode}`],
  ];
  for (const [who, client] of [
    ["admin", admin],
    ["member", member],
    ["third", third],
  ] as const) {
    for (const path of [
      "/",
      `/rooms/${ALL_TALK}`,
      `/rooms/${ids.closed}`,
      `/rooms/${ids.direct}`,
      `/rooms/${ALL_TALK}/@${ids.message}`,
      `/rooms/${ALL_TALK}/messages`,
      `/rooms/${ALL_TALK}/messages?before=${ids.message + 1}`,
      `/rooms/${ALL_TALK}/messages/${ids.message}`,
      `/rooms/${ALL_TALK}/edit`,
      `/rooms/${ids.closed}/edit`,
      `/rooms/${ids.direct}/edit`,
      "/rooms/new",
      "/rooms/directs/new",
      `/users/me/sidebar?room_id=${ALL_TALK}`,
      "/searches?q=hello",
      "/searches",
      "/account",
      `/autocompletable/users?query=a&room_id=${ALL_TALK}`,
    ])
      pages.push([`${who}: ${path}`, client, path]);
  }
  return pages;
}

// What differs between two renders of the same page by design: the per-request CSP nonce (the
// <meta> Trix reads, and nonce attributes) and the server's own address (the join link and the
// QR code that draws it), as the two servers listen on different ports.
const masked = (html: string, base: string) =>
  html
    .replaceAll(base, "ORIGIN")
    .replace(/(<svg class="qr-code"[^>]*>)[\s\S]*?<\/svg>/g, "$1…</svg>")
    .replace(/nonce="[^"]*"/g, 'nonce="…"')
    .replace(/(name="csp-nonce" content=")[^"]*"/g, '$1…"');

async function render(pages: [string, Client, string][], base: string): Promise<Map<string, string>> {
  const bodies = new Map<string, string>();
  for (const [label, client, path] of pages) {
    const response = await as(client, base).get(path);
    bodies.set(label, `${response.status} ${response.headers.get("location") ?? ""}\n${masked(await response.text(), base)}`);
  }
  return bodies;
}

/** Each page's status and body must match; a difference is shown as the stretch around where it starts. */
function expectSame(step: string, cached: Map<string, string>, uncached: Map<string, string>) {
  for (const [label, body] of cached) {
    const other = uncached.get(label)!;
    let at = 0;
    while (at < body.length && body[at] === other[at]) at++;
    const around = (text: string) => text.slice(Math.max(0, at - 150), at + 150);
    expect(`${step}, ${label}: …${around(other)}…`).toBe(`${step}, ${label}: …${around(body)}…`);
  }
}

test("every page renders the same with the read cache on and off, before and after writes of every kind", async () => {
  const people = await setUp();
  const { server, admin: adminThere, member: memberThere, adminUser, memberUser, thirdUser } = people;
  const closed = await createRoom(adminThere, "closeds", { name: "Plans", user_ids: [memberUser.id] });
  const direct = await createRoom(memberThere, "directs", { user_ids: [adminUser.id, thirdUser.id] });
  const message = messageIdFrom(await postMessage(memberThere, ALL_TALK, "hello everyone @Ada"));
  const firstOfHistory = messageIdFrom(await postMessage(adminThere, ALL_TALK, "hello from further back"));
  for (let i = 0; i < 45; i++) await postMessage(adminThere, ALL_TALK, `hello number ${i}`); // more than a page
  await postMessage(adminThere, closed, "hello plans");
  await postMessage(memberThere, direct, "hello three of us");

  // Writes go through the cached mirror, so it is its own events that must keep it right.
  const cached = mirror(server, true);
  const uncached = mirror(server, false);
  const [admin, member] = [as(adminThere, cached.url), as(memberThere, cached.url)];
  const joinCode = () => (server.db.query("SELECT join_code FROM accounts").get() as { join_code: string }).join_code;
  /** Renders every page on the cached mirror twice (the second from what the first kept), then without the cache. */
  async function compare(step: string): Promise<Map<string, string>> {
    const pages = pagesOf(people, { closed, direct, message, joinCode: joinCode() });
    await render(pages, cached.url);
    const kept = await render(pages, cached.url);
    expectSame(step, kept, await render(pages, uncached.url));
    return kept;
  }

  await compare("before any write");
  const newest = messageIdFrom(await postMessage(member, ALL_TALK, "hello after the cache was warm"));
  await compare("after posting");
  expect((await sendForm(member, `/rooms/${ALL_TALK}/messages/${newest}`, { body: "hello, edited" }, { method: "PATCH" })).status).toBe(
    200,
  );
  await compare("after editing");
  expect((await admin.request(`/rooms/${ALL_TALK}/messages/${message}`, { method: "DELETE" })).status).toBe(200);
  await compare("after deleting");
  const renamed = { name: "Renamed plans", user_ids: [memberUser.id, thirdUser.id] };
  expect((await sendForm(admin, `/rooms/closeds/${closed}`, renamed, { method: "PATCH" })).status).toBe(303);
  await compare("after renaming a room and adding someone");
  expect((await sendForm(admin, "/account", { name: "Renamed account" }, { method: "PATCH" })).status).toBe(303);
  await compare("after renaming the account");
  expect((await admin.post("/account/join_code", {})).status).toBe(303);
  await compare("after a new join code");
  expect((await sendForm(member, `/rooms/${closed}/involvement`, { involvement: "invisible" }, { method: "PATCH" })).status).toBe(303);
  await compare("after hiding a room");
  // Sidebars are kept per person: each change to who is in which room, or what is unread, must reach them.
  expect((await sendForm(member, `/rooms/${closed}/involvement`, { involvement: "mentions" }, { method: "PATCH" })).status).toBe(303);
  await compare("after showing the room again");
  const lounge = await createRoom(admin, "opens", { name: "Lounge" });
  const withLounge = await compare("after creating an open room");
  const pair = await createRoom(admin, "directs", { user_ids: [memberUser.id] });
  const withPair = await compare("after starting a direct room");
  await postMessage(admin, pair, "just us two");
  const unread = await compare("after a post in the direct room");
  expect((await admin.request(`/rooms/${lounge}`, { method: "DELETE" })).status).toBe(303);
  const withoutLounge = await compare("after deleting a room");
  expect(withLounge.get("member: /users/me/sidebar?room_id=1")).toContain(`href="/rooms/${lounge}"`);
  expect(withPair.get("member: /users/me/sidebar?room_id=1")).toContain(`href="/rooms/${pair}"`);
  expect(withPair.get("member: /users/me/sidebar?room_id=1")).not.toContain(
    `id="sidebar_room_${pair}" class="sidebar__item sidebar__item--unread"`,
  );
  expect(unread.get("member: /users/me/sidebar?room_id=1")).toContain(
    `id="sidebar_room_${pair}" class="sidebar__item sidebar__item--unread"`,
  );
  expect(withoutLounge.get("member: /users/me/sidebar?room_id=1")).not.toContain(`href="/rooms/${lounge}"`);
  // A boost on a message of the history page: kept messages are made again at their new change number.
  expect((await admin.post(`/messages/${firstOfHistory}/boosts`, { content: "🎉" })).status).toBeLessThan(300);
  await compare("after boosting an older message");
  // The search page shows the reader's last searches, kept until they search again or clear them.
  expect((await member.post("/searches", { q: "plans" })).status).toBe(303);
  expect((await member.post("/searches", { q: "hello" })).status).toBe(303);
  const searched = await compare("after searching");
  expect(searched.get("member: /searches")).toContain(">plans</a>");
  expect((await member.request("/searches/clear", { method: "DELETE" })).status).toBe(303);
  const cleared = await compare("after clearing the searches");
  expect(cleared.get("member: /searches")).not.toContain(">plans</a>");
  renameUser(server.db, adminUser.id, "Ada Renamed");
  cached.cache.personChanged(adminUser.id);
  const last = await compare("after renaming a person");
  expect(cached.cache.outsideWrites).toBe(0); // so nothing above was forgotten for want of its event

  // The comparisons were of the pages after the writes, not of pages that never changed.
  expect(last.get(`admin: /rooms/${ALL_TALK}`)).toContain("Ada Renamed");
  expect(last.get("member: /searches?q=hello")).toContain(`<span class="search-result__author">Ada Renamed</span>`);
  expect(last.get(`admin: /rooms/${ALL_TALK}`)).toContain("Renamed plans");
  expect(last.get(`admin: /rooms/${ALL_TALK}`)).toContain("Renamed account");
  expect(last.get(`member: /rooms/${ALL_TALK}`)).toContain("hello, edited");
  expect(messageIdsIn(last.get(`member: /rooms/${ALL_TALK}`)!)).not.toContain(message);
  // A page of history holding the boosted message, from what the cache kept: the booster's new name.
  const historyPath = `/rooms/${ALL_TALK}/messages?before=${firstOfHistory + 1}`;
  const history = await (await member.get(historyPath)).text();
  expect(history).toContain(`data-message-id="${firstOfHistory}"`);
  expect(history).toContain('title="Ada Renamed">🎉');
  expect(history).toBe(await (await as(memberThere, uncached.url).get(historyPath)).text());
});

test("a page of history shown before shows a later edit and boost of its messages", async () => {
  const { admin, member } = await setUp();
  const older = messageIdFrom(await postMessage(member, ALL_TALK, "an older line"));
  const other = messageIdFrom(await postMessage(member, ALL_TALK, "another older line"));
  const newest = messageIdFrom(await postMessage(admin, ALL_TALK, "the newest line"));
  const history = async () => (await (await admin.get(`/rooms/${ALL_TALK}/messages?before=${newest}`)).text()) as string;
  expect(await history()).toContain("an older line"); // rendered now, and kept
  expect(
    (await sendForm(member, `/rooms/${ALL_TALK}/messages/${older}`, { body: "an older line, edited" }, { method: "PATCH" })).status,
  ).toBe(200);
  expect((await admin.post(`/messages/${other}/boosts`, { content: "🔥" })).status).toBeLessThan(300);
  const after = await history();
  expect(after).toContain("an older line, edited");
  expect(after).toMatch(new RegExp(`data-message-id="${other}"[\\s\\S]*data-boost="🔥"`));
});

test("a write by another process empties the cache: the next pages show it", async () => {
  const { server, admin: adminThere } = await setUp();
  const cached = mirror(server, true);
  const admin = as(adminThere, cached.url);
  expect(await text(admin, "/account")).toContain("Acme Chat"); // kept from now on
  const outside = openDatabase(databasePath(server.dataDir));
  outside.query("UPDATE accounts SET name = 'Renamed elsewhere'").run();
  outside.close();
  await Bun.sleep(150); // reads look at data_version at most every 100 ms
  expect(await text(admin, "/account")).toContain("Renamed elsewhere");
  expect(cached.cache.outsideWrites).toBe(1);
});

test("a search brings the index up to date only when a message changed since the last one did, or another process wrote", async () => {
  const { server, member: memberThere } = await setUp();
  const cached = mirror(server, true);
  let checks = 0;
  const search = () => cached.cache.searchIndexCaughtUp(() => checks++);
  search();
  search();
  expect(checks).toBe(1);
  // A post through the app says messagesChanged after its commit.
  await postMessage(as(memberThere, cached.url), ALL_TALK, "a word to find later");
  search();
  search();
  expect(checks).toBe(2);
  const outside = openDatabase(databasePath(server.dataDir));
  outside.query("UPDATE accounts SET name = 'Renamed elsewhere'").run();
  outside.close();
  await Bun.sleep(150); // reads look at data_version at most every 100 ms
  search();
  expect(checks).toBe(3);
  // Switched off, every search checks.
  const off = new ReadCache(server.db, false);
  off.searchIndexCaughtUp(() => checks++);
  off.searchIndexCaughtUp(() => checks++);
  expect(checks).toBe(5);
  // And what was posted a moment ago is found, through the cached app.
  const found = await text(as(memberThere, cached.url), "/searches?q=later");
  expect(found).toContain("a word to find");
});
