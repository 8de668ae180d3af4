import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Bot, createBot, deactivateBot, renewBotKey } from "../../src/bots/bots.ts";
import type { User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { createRoom, messageIdsIn, postMessage, startThreePersonServer } from "../helpers/fixtures.ts";
import { pngOf } from "../helpers/images.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
let memberUser: User;
let member: Client;
let bot: Bot;
/** A closed room of the administrator and the member, without the bot. */
let closedRoom: number;
const ALL_TALK = 1;

beforeEach(async () => {
  ({ server, admin, member, memberUser } = await startThreePersonServer());
  bot = createBot(server.db, { name: "Deploy Bot", webhookUrl: null });
  closedRoom = await createRoom(admin, "closeds", { name: "Project", user_ids: [memberUser.id] });
});
afterEach(() => server.close());

const botUrl = (room = ALL_TALK, key = bot.key) => `${server.url}/rooms/${room}/${key}/messages`;
const send = (url: string, init: RequestInit = {}) => fetch(url, { method: "POST", redirect: "manual", ...init });
const messageRows = (room = ALL_TALK) =>
  server.db
    .query<{ id: number; creator_id: number; body_html: string; body_plain: string; attachment_id: number | null }, [number]>(
      "SELECT id, creator_id, body_html, body_plain, attachment_id FROM messages WHERE room_id = ? ORDER BY id",
    )
    .all(room);
const idFrom = (response: Response) => Number(response.headers.get("location")!.split("/").at(-1));
async function botPosts(body: string, room = ALL_TALK): Promise<number> {
  const response = await send(botUrl(room), { body });
  expect(response.status).toBe(201);
  return idFrom(response);
}
async function memberPosts(body: string, room = ALL_TALK): Promise<number> {
  const response = await postMessage(member, room, body);
  expect(response.status).toBe(201);
  return messageIdsIn(await response.text())[0]!;
}
async function expectJsonError(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  const body = (await response.json()) as { error: string };
  expect(body.error.length).toBeGreaterThan(5);
  return body.error;
}

describe("posting", () => {
  test("the raw body is the message: 201, an empty body, and a Location to the message", async () => {
    const response = await send(botUrl(), { body: "Hello!" });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe("");
    const [row] = messageRows();
    expect(response.headers.get("location")).toBe(`${server.url}/rooms/${ALL_TALK}/messages/${row!.id}`);
    expect(row).toMatchObject({ creator_id: bot.id, body_plain: "Hello!" });
  });

  test("any content type is read as UTF-8 text; only text/html is HTML, and it is sanitized", async () => {
    await botPosts("déjà vu ✓ <b>not bold</b>");
    await send(botUrl(), { body: '{"json": "as text"}', headers: { "content-type": "application/json" } });
    await send(botUrl(), { body: "<b>bold</b><script>alert(1)</script>", headers: { "content-type": "text/html" } });
    const rows = messageRows();
    expect(rows.map((r) => r.body_plain)).toEqual(["déjà vu ✓ <b>not bold</b>", '{"json": "as text"}', "bold"]);
    expect(rows[0]!.body_html).toContain("&lt;b&gt;");
    expect(rows[2]!.body_html).toContain("<b>bold</b>");
    expect(rows[2]!.body_html).not.toContain("script");
  });

  test("a multipart attachment is posted as a file", async () => {
    const form = new FormData();
    form.append("attachment", new File([pngOf(2, 2)], "chart.png", { type: "image/png" }));
    const response = await send(botUrl(), { body: form });
    expect(response.status).toBe(201);
    const [row] = messageRows();
    expect(row!.attachment_id).not.toBeNull();
    const attachment = server.db.query("SELECT filename, content_type FROM attachments WHERE id = ?").get(row!.attachment_id!);
    expect(attachment).toEqual({ filename: "chart.png", content_type: "image/png" });
  });

  test("a blank body, or a multipart body without an attachment, is 422 and nothing is stored", async () => {
    await expectJsonError(await send(botUrl(), { body: "" }), 422);
    await expectJsonError(await send(botUrl(), { body: " \n\u200b " }), 422);
    const form = new FormData();
    form.append("body", "no file");
    await expectJsonError(await send(botUrl(), { body: form }), 422);
    expect(messageRows()).toEqual([]);
  });

  test("an oversized text or body is 413, as JSON", async () => {
    expect(await expectJsonError(await send(botUrl(), { body: "q".repeat(10_001) }), 413)).toContain("10,000");
    await expectJsonError(await send(botUrl(), { body: "q".repeat(1024 * 1024 + 1) }), 413);
    expect(messageRows()).toEqual([]);
  });

  test("a bot posting faster than 100 messages in 10 seconds gets 429 with Retry-After", async () => {
    for (let i = 0; i < 100; i++) expect((await send(botUrl(), { body: `tick ${i}` })).status).toBe(201);
    const refused = await send(botUrl(), { body: "one too many" });
    await expectJsonError(refused, 429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(messageRows()).toHaveLength(100);
    // Another bot is not held back by this one.
    const other = createBot(server.db, { name: "Other Bot", webhookUrl: null });
    expect((await send(botUrl(ALL_TALK, other.key), { body: "me too" })).status).toBe(201);
  });

  test("a bot's post from any Origin is accepted: bot routes are exempt from the Origin check", async () => {
    const response = await send(botUrl(), { body: "from a page elsewhere", headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(201);
  });

  test("a @mention in a bot's post links the person", async () => {
    const id = await botPosts("@Milo Member the deploy is done");
    expect(server.db.query("SELECT user_id FROM mentions WHERE message_id = ?").all(id)).toEqual([{ user_id: memberUser.id }]);
  });
});

describe("reading", () => {
  test("an empty room is [] with X-Total-Count 0 and no Link", async () => {
    const response = await fetch(botUrl());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([]);
    expect(response.headers.get("x-total-count")).toBe("0");
    expect(response.headers.get("link")).toBeNull();
  });

  test("messages come in the original's JSON shape", async () => {
    const id = await memberPosts("Hi **bot**");
    const [message] = (await (await fetch(botUrl())).json()) as Record<string, unknown>[];
    expect(message).toEqual({
      id,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      body: { plain_text: expect.any(String), html: expect.any(String) },
      creator: {
        id: memberUser.id,
        name: "Milo Member",
        role: "member",
        avatar_url: `${server.url}/users/${memberUser.id}/avatar?v=initials`,
      },
      room: { id: ALL_TALK },
      url: `${server.url}/rooms/${ALL_TALK}/messages/${id}`,
    });
  });

  test("pages of 40, oldest first, with X-Total-Count and Link rel=next until the first message", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 85; i++) ids.push(await botPosts(`message ${i}`));
    const latest = await fetch(botUrl());
    const page = (await latest.json()) as { id: number }[];
    expect(page.map((m) => m.id)).toEqual(ids.slice(45));
    expect(latest.headers.get("x-total-count")).toBe("85");
    expect(latest.headers.get("link")).toBe(`<${botUrl()}?before=${ids[45]}>; rel="next"`);
    const older = await fetch(`${botUrl()}?before=${ids[45]}`);
    expect(((await older.json()) as { id: number }[]).map((m) => m.id)).toEqual(ids.slice(5, 45));
    const oldest = await fetch(`${botUrl()}?before=${ids[5]}`);
    expect(((await oldest.json()) as { id: number }[]).map((m) => m.id)).toEqual(ids.slice(0, 5));
    expect(oldest.headers.get("link")).toBeNull();
    const newer = await fetch(`${botUrl()}?after=${ids[0]}`);
    expect(((await newer.json()) as { id: number }[]).map((m) => m.id)).toEqual(ids.slice(1, 41));
    expect(newer.headers.get("link")).toBe(`<${botUrl()}?after=${ids[40]}>; rel="next"`);
    const newest = await fetch(`${botUrl()}?after=${ids[60]}`);
    expect(newest.headers.get("link")).toBeNull();
  });

  test("a malformed before or after is 422", async () => {
    for (const query of ["before=abc", "after=-1", "before=0"]) await expectJsonError(await fetch(`${botUrl()}?${query}`), 422);
  });
});

describe("editing and deleting", () => {
  test("a bot edits its own message with PUT or PATCH and gets it back as JSON", async () => {
    const id = await botPosts("first words");
    for (const method of ["PUT", "PATCH"]) {
      const response = await fetch(`${botUrl()}/${id}`, { method, body: `edited by ${method}` });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id, body: { plain_text: `edited by ${method}` } });
    }
    expect(messageRows()[0]!.body_plain).toBe("edited by PATCH");
  });

  test("a blank edit is 422 and changes nothing", async () => {
    const id = await botPosts("keep me");
    await expectJsonError(await fetch(`${botUrl()}/${id}`, { method: "PUT", body: "  " }), 422);
    expect(messageRows()[0]!.body_plain).toBe("keep me");
  });

  test("a bot deletes its own message: 204", async () => {
    const id = await botPosts("short-lived");
    const response = await fetch(`${botUrl()}/${id}`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(messageRows()).toEqual([]);
  });

  test("someone else's message can't be edited or deleted: 403", async () => {
    const id = await memberPosts("mine, not the bot's");
    await expectJsonError(await fetch(`${botUrl()}/${id}`, { method: "PUT", body: "defaced" }), 403);
    await expectJsonError(await fetch(`${botUrl()}/${id}`, { method: "DELETE" }), 403);
    expect(messageRows()[0]!.body_plain).toBe("mine, not the bot's");
  });

  test("a message of another room, or none, is 404", async () => {
    const elsewhere = await memberPosts("in the closed room", closedRoom);
    for (const id of [elsewhere, 999_999]) {
      await expectJsonError(await fetch(`${botUrl()}/${id}`, { method: "PUT", body: "x" }), 404);
      await expectJsonError(await fetch(`${botUrl()}/${id}`, { method: "DELETE" }), 404);
    }
  });
});

describe("boosts", () => {
  test("a bot boosts a message (201 and the boost as JSON) and takes its boost back (204)", async () => {
    const id = await memberPosts("ship it");
    const response = await send(`${botUrl()}/${id}/boosts`, { body: "🚀" });
    expect(response.status).toBe(201);
    const boost = (await response.json()) as Record<string, unknown> & { id: number };
    expect(boost as Record<string, unknown>).toEqual({
      id: expect.any(Number),
      content: "🚀",
      created_at: expect.stringMatching(/Z$/),
      booster: { id: bot.id, name: "Deploy Bot", role: "bot", avatar_url: `${server.url}/users/${bot.id}/avatar?v=initials` },
      message: { id, url: `${server.url}/rooms/${ALL_TALK}/messages/${id}` },
    });
    expect((await fetch(`${botUrl()}/${id}/boosts/${boost.id}`, { method: "DELETE" })).status).toBe(204);
    expect(server.db.query("SELECT count(*) AS n FROM boosts").get()).toEqual({ n: 0 });
  });

  test("a blank boost is 422; a message not in the room is 404; someone else's boost is 404", async () => {
    const id = await memberPosts("boost me");
    await expectJsonError(await send(`${botUrl()}/${id}/boosts`, { body: " " }), 422);
    const elsewhere = await memberPosts("closed", closedRoom);
    await expectJsonError(await send(`${botUrl()}/${elsewhere}/boosts`, { body: "👍" }), 404);
    const response = await member.post(`/messages/${id}/boosts`, { content: "👏" });
    expect(response.status).toBe(201);
    const memberBoost = server.db.query<{ id: number }, []>("SELECT id FROM boosts").get()!.id;
    await expectJsonError(await fetch(`${botUrl()}/${id}/boosts/${memberBoost}`, { method: "DELETE" }), 404);
    expect(server.db.query("SELECT count(*) AS n FROM boosts").get()).toEqual({ n: 1 });
  });
});

describe("keys", () => {
  test("a wrong, malformed, renewed or deactivated bot's key is 401 on every bot route", async () => {
    const id = await memberPosts("target");
    const human = `${memberUser.id}-`;
    const old = bot.key;
    const renewed = renewBotKey(server.db, bot.id);
    const gone = createBot(server.db, { name: "Gone Bot", webhookUrl: null });
    deactivateBot(server.db, gone.id);
    for (const key of [`${bot.id}-wrongtoken`, `${memberUser.id}-x`, old, gone.key, `${human}abc`]) {
      for (const [method, path, body] of [
        ["GET", "", undefined],
        ["POST", "", "hi"],
        ["PUT", `/${id}`, "x"],
        ["DELETE", `/${id}`, undefined],
        ["POST", `/${id}/boosts`, "👍"],
        ["DELETE", `/${id}/boosts/1`, undefined],
      ] as const) {
        const response = await fetch(botUrl(ALL_TALK, key) + path, { method, body });
        expect({ key, method, path, status: response.status }).toEqual({ key, method, path, status: 401 });
      }
    }
    expect((await send(botUrl(ALL_TALK, renewed.key), { body: "new key works" })).status).toBe(201);
    expect(messageRows().map((r) => r.body_plain)).toEqual(["target", "new key works"]);
  });

  test("a signed-in person's cookie does not make a bad key work", async () => {
    const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const response = await send(botUrl(ALL_TALK, `${bot.id}-nope`), { body: "with a cookie", headers: { cookie } });
    await expectJsonError(response, 401);
  });

  test("a bot key opens no browser route", async () => {
    const key = bot.key;
    for (const path of [
      `/rooms/${ALL_TALK}`,
      `/rooms/${ALL_TALK}/messages?bot_key=${key}`,
      `/account?bot_key=${key}`,
      `/rooms/${ALL_TALK}/${key}`,
    ]) {
      const response = await fetch(server.url + path, { redirect: "manual", headers: { authorization: `Bearer ${key}` } });
      expect({ path, status: response.status }).toEqual({ path, status: response.status === 404 ? 404 : 303 });
    }
    const response = await fetch(`${server.url}/rooms/${ALL_TALK}/messages?bot_key=${key}`, {
      method: "POST",
      body: "body=hi",
      redirect: "manual",
    });
    expect([303, 401, 403]).toContain(response.status);
    expect(messageRows()).toEqual([]);
  });
});

describe("rooms the bot is not in", () => {
  // The bot is not in the closed room: every bot route answers as if it did not exist, and nothing changes.
  const requests: [string, (id: number) => [string, string, string?]][] = [
    ["read its messages", () => ["GET", ""]],
    ["post a message", () => ["POST", "", "let me in"]],
    ["edit a message", (id) => ["PUT", `/${id}`, "defaced"]],
    ["delete a message", (id) => ["DELETE", `/${id}`]],
    ["boost a message", (id) => ["POST", `/${id}/boosts`, "👀"]],
    ["take back a boost", (id) => ["DELETE", `/${id}/boosts/1`]],
  ];
  for (const [what, build] of requests) {
    test(`cannot ${what}: 404, and nothing changes`, async () => {
      const id = await memberPosts("inside words", closedRoom);
      for (const room of [closedRoom, 999]) {
        const [method, path, body] = build(id);
        const response = await fetch(botUrl(room) + path, { method, body });
        const text = await response.text();
        expect({ room, status: response.status }).toEqual({ room, status: 404 });
        expect(text).not.toContain("inside words");
      }
      expect(messageRows(closedRoom).map((row) => row.body_plain)).toEqual(["inside words"]);
      expect(server.db.query("SELECT count(*) AS n FROM boosts").get()).toEqual({ n: 0 });
    });
  }
});
