import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { activeBots, findBot } from "../../src/bots/bots.ts";
import type { User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { createRoom, sendBody, sendForm, startThreePersonServer } from "../helpers/fixtures.ts";
import { pngOf } from "../helpers/images.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
let member: Client;
let memberUser: User;
const ALL_TALK = 1;

beforeEach(async () => {
  ({ server, admin, member, memberUser } = await startThreePersonServer());
});
afterEach(() => server.close());

/** Makes a bot through the form, as an administrator does; returns its id from the redirect. */
async function makeBot(fields: Record<string, string> = { name: "Deploy Bot" }): Promise<number> {
  const response = await sendForm(admin, "/account/bots", fields);
  expect(response.status).toBe(303);
  const match = response.headers.get("location")!.match(/^\/account\/bots\/(\d+)\/edit$/);
  expect(match).not.toBeNull();
  return Number(match![1]);
}
const keyOf = (id: number) => findBot(server.db, id)!.key;
const botPost = (id: number, room: number, body: string, key = keyOf(id)) =>
  fetch(`${server.url}/rooms/${room}/${key}/messages`, { method: "POST", body });
const memberships = (userId: number) =>
  server.db
    .query<{ room_id: number }, [number]>("SELECT room_id FROM memberships WHERE user_id = ? ORDER BY room_id")
    .all(userId)
    .map((row) => row.room_id);

describe("making a bot", () => {
  test("an administrator makes a bot; its page shows a ready-to-copy curl line per room, with copy buttons", async () => {
    const otherRoom = await createRoom(admin, "opens", { name: "Ops" });
    const id = await makeBot({ name: "Deploy Bot", webhook_url: "" });
    const key = keyOf(id);
    expect(key).toMatch(new RegExp(`^${id}-[A-Za-z0-9]{20}$`));
    const page = await (await admin.get(`/account/bots/${id}/edit`)).text();
    for (const room of [ALL_TALK, otherRoom]) {
      expect(page).toContain(`value="curl -d &#39;Hello!&#39; ${server.url}/rooms/${room}/${key}/messages"`);
      expect(page).toContain(`value="curl -F &quot;attachment=@/path/to/file&quot; ${server.url}/rooms/${room}/${key}/messages"`);
      expect(page).toContain(`data-copy="bot_text_${room}"`);
      expect(page).toContain(`data-copy="bot_file_${room}"`);
    }
    expect((await admin.get("/account/bots")).status).toBe(200);
    expect(await (await admin.get("/account/bots")).text()).toContain(`href="/account/bots/${id}/edit"`);
  });

  test("a bot joins every open room, existing and made later, and can post there", async () => {
    const before = await createRoom(admin, "opens", { name: "Before" });
    const id = await makeBot();
    const after = await createRoom(admin, "opens", { name: "After" });
    expect(memberships(id)).toEqual([ALL_TALK, before, after]);
    expect((await botPost(id, after, "hello, new room")).status).toBe(201);
  });

  test("a bot can be added to a closed room with the people picker, and a person can open a direct room with it", async () => {
    const id = await makeBot();
    const closed = await createRoom(admin, "closeds", { name: "Secret", user_ids: [id] });
    expect((await botPost(id, closed, "inside the closed room")).status).toBe(201);
    const direct = await createRoom(member, "directs", { user_ids: [id] });
    expect(memberships(id)).toContain(direct);
    expect((await botPost(id, direct, "hi Milo")).status).toBe(201);
    // The people picker offers it like anyone else.
    const picker = await member.get("/autocompletable/users?query=Deploy");
    expect(picker.status).toBe(200);
    expect(((await picker.json()) as { id: number; name: string }[]).map((u) => [u.id, u.name])).toEqual([[id, "Deploy Bot"]]);
  });

  test("a picture given with the bot becomes its avatar", async () => {
    const form = new FormData();
    form.append("name", "Picture Bot");
    form.append("avatar", new File([pngOf(8, 8)], "bot.png", { type: "image/png" }));
    const response = await sendBody(admin, "/account/bots", form);
    expect(response.status).toBe(303);
    expect(activeBots(server.db)[0]!.avatarKey).toStartWith("avatar-");
  });

  test("a missing name or a webhook URL that is not http(s) is refused with 422 and the form, and no bot is made", async () => {
    for (const fields of [
      { name: " " },
      { name: "Bot", webhook_url: "ftp://example.com/hook" },
      { name: "Bot", webhook_url: "not a url" },
    ] as Record<string, string>[]) {
      const response = await sendForm(admin, "/account/bots", fields);
      expect(response.status).toBe(422);
      expect(await response.text()).toContain('action="/account/bots"');
    }
    expect(activeBots(server.db)).toEqual([]);
  });
});

describe("changing a bot", () => {
  test("editing renames it and sets its webhook; an empty webhook URL removes it", async () => {
    const id = await makeBot({ name: "Deploy Bot", webhook_url: "http://127.0.0.1:9/hook" });
    const secret = findBot(server.db, id)!.webhookSecret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    expect(await (await admin.get(`/account/bots/${id}/edit`)).text()).toContain(secret!);
    let response = await sendForm(
      admin,
      `/account/bots/${id}`,
      { name: "Release Bot", webhook_url: "http://10.0.0.5:8080/hook" },
      { method: "PATCH" },
    );
    expect(response.status).toBe(303);
    // A private address is fine: an administrator chose it (FEATURES §3).
    expect(findBot(server.db, id)).toMatchObject({ name: "Release Bot", webhookUrl: "http://10.0.0.5:8080/hook", webhookSecret: secret });
    response = await sendForm(admin, `/account/bots/${id}`, { name: "Release Bot", webhook_url: "" });
    expect(response.status).toBe(303);
    expect(findBot(server.db, id)).toMatchObject({ webhookUrl: null });
    response = await sendForm(admin, `/account/bots/${id}`, { name: "Release Bot" });
    expect(findBot(server.db, id)).toMatchObject({ webhookUrl: null });
  });

  test("a new key works at once and the old one stops", async () => {
    const id = await makeBot();
    const old = keyOf(id);
    const response = await admin.post(`/account/bots/${id}/key`, {});
    expect(response.status).toBe(303);
    expect(keyOf(id)).not.toBe(old);
    expect((await botPost(id, ALL_TALK, "old key", old)).status).toBe(401);
    expect((await botPost(id, ALL_TALK, "new key")).status).toBe(201);
  });

  test("deactivating stops its key, takes it out of the list and of every shared room", async () => {
    const id = await makeBot();
    const key = keyOf(id);
    const direct = await createRoom(member, "directs", { user_ids: [id] });
    const response = await admin.request(`/account/bots/${id}`, { method: "DELETE" });
    expect(response.status).toBe(303);
    expect((await botPost(id, ALL_TALK, "still here?", key)).status).toBe(401);
    expect(activeBots(server.db)).toEqual([]);
    expect(memberships(id)).toEqual([direct]);
    expect((await admin.get(`/account/bots/${id}/edit`)).status).toBe(404);
  });

  test("making, changing, re-keying and deactivating a bot are written to the audit log, with who and from where", async () => {
    const id = await makeBot();
    expect((await sendForm(admin, `/account/bots/${id}`, { name: "Deploy Bot 2" }, { method: "PATCH" })).status).toBe(303);
    await admin.post(`/account/bots/${id}/key`, {});
    await admin.request(`/account/bots/${id}`, { method: "DELETE" });
    const rows = server.db
      .query<{ action: string; actor_id: number; subject_id: number; ip_address: string }, []>(
        "SELECT action, actor_id, subject_id, ip_address FROM audit_log WHERE action LIKE 'bot_%' ORDER BY id",
      )
      .all();
    expect(rows.map((row) => [row.action, row.actor_id, row.subject_id])).toEqual([
      ["bot_created", 1, id],
      ["bot_updated", 1, id],
      ["bot_key_renewed", 1, id],
      ["bot_deactivated", 1, id],
    ]);
    expect(rows.every((row) => row.ip_address === "127.0.0.1")).toBe(true);
    const page = await (await admin.get("/account/audit")).text();
    expect(page).toContain("made a new key for the bot");
  });

  test("unknown or malformed bot ids are 404; a person's id is not a bot's", async () => {
    for (const id of ["999", "abc", "0", String(memberUser.id)]) {
      expect((await admin.get(`/account/bots/${id}/edit`)).status).toBe(404);
      expect((await admin.post(`/account/bots/${id}/key`, {})).status).toBe(404);
      expect((await admin.request(`/account/bots/${id}`, { method: "DELETE" })).status).toBe(404);
    }
  });
});

describe("members", () => {
  // Every administration route refuses a member with 403, and nothing changes.
  const requests: [string, (id: number) => [string, string, Record<string, string>?]][] = [
    ["list the bots", () => ["GET", "/account/bots"]],
    ["make a bot", () => ["POST", "/account/bots", { name: "Sneaky Bot" }]],
    ["open a bot's page (and its key)", (id) => ["GET", `/account/bots/${id}/edit`]],
    ["edit a bot", (id) => ["PATCH", `/account/bots/${id}`, { name: "Renamed" }]],
    ["edit a bot without JavaScript", (id) => ["POST", `/account/bots/${id}`, { name: "Renamed" }]],
    ["give a bot a new key", (id) => ["POST", `/account/bots/${id}/key`]],
    ["deactivate a bot", (id) => ["DELETE", `/account/bots/${id}`]],
    ["deactivate a bot without JavaScript", (id) => ["POST", `/account/bots/${id}/deactivate`]],
  ];
  for (const [what, build] of requests) {
    test(`cannot ${what}: 403`, async () => {
      const id = await makeBot();
      const key = keyOf(id);
      const [method, path, form] = build(id);
      const response = await member.request(path, { method, form });
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain(key);
      expect(activeBots(server.db).map((b) => [b.name, b.key])).toEqual([["Deploy Bot", key]]);
    });
  }
});
