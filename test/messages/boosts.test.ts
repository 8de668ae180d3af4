import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { QUICK_BOOSTS } from "../../src/messages/boosts.ts";
import { MAX_BOOST_CHARS } from "../../src/realtime/protocol.ts";
import { renameUser, type User } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { createRoom, postMessage, startThreePersonServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { carrying, changeSeqsIn, frameOf, messageIdFrom, openSocket } from "../helpers/socket.ts";

let server: TestServer;
let admin: Client;
let adminUser: User;
let member: Client;
let memberUser: User;
let third: Client;
/** A closed room of the administrator and the member; the third person is outside it. */
let roomId: number;
/** The member's message in that room. */
let messageId: number;
beforeEach(async () => {
  ({ server, admin, adminUser, member, memberUser, third } = await startThreePersonServer());
  roomId = await createRoom(admin, "closeds", { name: "Project", user_ids: [memberUser.id] });
  messageId = await post(member, "ship it?");
});
afterEach(() => server.close());

type BoostRow = { id: number; message_id: number; booster_id: number; content: string };
const boostRows = (): BoostRow[] =>
  server.db.query<BoostRow, []>("SELECT id, message_id, booster_id, content FROM boosts ORDER BY id").all();
const changeSeqOf = (id: number) =>
  server.db.query<{ change_seq: number }, [number]>("SELECT change_seq FROM messages WHERE id = ?").get(id)!.change_seq;

async function post(client: Client, body: string, room = roomId): Promise<number> {
  const response = await postMessage(client, room, body);
  expect(response.status).toBe(201);
  return messageIdFrom(response);
}
const boost = (client: Client, content: string, id = messageId, headers?: Record<string, string>) =>
  client.post(`/messages/${id}/boosts`, { content }, headers);
const unboost = (client: Client, boostId: number, id = messageId) =>
  client.request(`/messages/${id}/boosts/${boostId}`, { method: "DELETE" });
/** Boosts and returns the new boost's id. */
async function boosted(client: Client, content: string, id = messageId): Promise<number> {
  const response = await boost(client, content, id);
  expect(response.status).toBe(201);
  return boostRows().at(-1)!.id;
}

describe("boosting a message", () => {
  test("a member's boost answers 201 with the message showing it, is stored, and gives the message a new change number", async () => {
    const before = changeSeqOf(messageId);
    const response = await boost(admin, "🎉");
    expect(response.status).toBe(201);
    const html = await response.text();
    expect(html).toContain(`id="message_${messageId}"`);
    expect(html).toContain(`data-boost="🎉"`);
    expect(html).toContain(`data-booster-ids="${adminUser.id}"`);
    expect(html).toContain('title="Ada Admin"');
    expect(boostRows()).toEqual([{ id: expect.any(Number), message_id: messageId, booster_id: adminUser.id, content: "🎉" }]);
    expect(changeSeqOf(messageId)).toBeGreaterThan(before);
    expect(changeSeqsIn(html)).toEqual([changeSeqOf(messageId)]);
    // Not an edit: the message is not marked edited.
    expect(html).not.toContain("message__edited");
  });

  test("each of the eight quick reactions is accepted", async () => {
    expect(QUICK_BOOSTS).toEqual(["👍", "👏", "👋", "💪", "❤️", "😂", "🎉", "🔥"]);
    for (const content of QUICK_BOOSTS) expect((await boost(member, content)).status).toBe(201);
    expect(boostRows().map((row) => row.content)).toEqual([...QUICK_BOOSTS]);
  });

  test("up to 16 characters as a reader counts them are accepted: letters, flags, toned thumbs, accents", async () => {
    const accepted = ["abcdefghijklmnop", "🇫🇷".repeat(16), "👍🏽".repeat(16), "e\u0301".repeat(16), "x"];
    for (const content of accepted) expect({ content, status: (await boost(member, content)).status }).toEqual({ content, status: 201 });
    expect(boostRows().map((row) => row.content)).toEqual(accepted);
  });

  test("more than 16 characters is refused with 422 and a message saying so, and nothing is stored", async () => {
    const tooLong = ["abcdefghijklmnopq", "🇫🇷".repeat(17), "👍🏽".repeat(17), `a${"\u0301".repeat(100)}`];
    for (const content of tooLong) {
      const response = await boost(member, content);
      expect({ content, status: response.status }).toEqual({ content, status: 422 });
      expect(await response.text()).toContain(`A boost can be at most ${MAX_BOOST_CHARS} characters`);
    }
    const json = await boost(member, "x".repeat(40), messageId, { Accept: "application/json" });
    expect(json.status).toBe(422);
    expect(await json.json()).toEqual({ error: `A boost can be at most ${MAX_BOOST_CHARS} characters (this one has 40).` });
    const huge = await boost(member, "x".repeat(5000));
    expect(huge.status).toBe(422);
    expect(boostRows()).toEqual([]);
  });

  test("blank or missing content is refused with 422 and nothing is stored", async () => {
    for (const content of ["", "   ", "\u200b\u200d", "\t\n"]) {
      const response = await boost(member, content);
      expect({ content, status: response.status }).toEqual({ content, status: 422 });
      expect(await response.text()).toContain("A boost needs some text.");
    }
    expect((await member.post(`/messages/${messageId}/boosts`, {})).status).toBe(422);
    expect(boostRows()).toEqual([]);
  });

  test("content is trimmed and inner runs of spaces become one", async () => {
    expect((await boost(member, "  so   good \n")).status).toBe(201);
    expect(boostRows().map((row) => row.content)).toEqual(["so good"]);
  });

  test("the same boost twice by one person is kept once (200 the second time); another person's is their own", async () => {
    expect((await boost(member, "👍")).status).toBe(201);
    const seq = changeSeqOf(messageId);
    expect((await boost(member, " 👍 ")).status).toBe(200);
    expect(changeSeqOf(messageId)).toBe(seq);
    expect((await boost(admin, "👍")).status).toBe(201);
    expect(boostRows().map((row) => [row.booster_id, row.content])).toEqual([
      [memberUser.id, "👍"],
      [adminUser.id, "👍"],
    ]);
  });

  test("typed markup is shown as text, never as HTML", async () => {
    const response = await boost(member, `<b onclick=x>`);
    expect(response.status).toBe(201);
    const html = await response.text();
    expect(html).toContain("&lt;b onclick=x&gt;");
    expect(html).not.toContain("<b onclick");
  });
});

describe("removing a boost", () => {
  test("the booster removes theirs: 200 with the message without it, and the message takes a new change number", async () => {
    const id = await boosted(member, "🔥");
    const before = changeSeqOf(messageId);
    const response = await unboost(member, id);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`id="message_${messageId}"`);
    expect(html).not.toContain('class="boosts"');
    expect(boostRows()).toEqual([]);
    expect(changeSeqOf(messageId)).toBeGreaterThan(before);
  });

  test("only the booster can remove a boost: another member, even an administrator, gets 404 and it stays", async () => {
    const id = await boosted(member, "🔥");
    const byAdmin = await unboost(admin, id);
    expect(byAdmin.status).toBe(404);
    expect(await byAdmin.text()).toContain("find that boost of yours.");
    expect((await unboost(third, id)).status).toBe(404);
    expect(boostRows().map((row) => row.id)).toEqual([id]);
  });

  test("a boost is removed only through its own message: another message's id is 404", async () => {
    const id = await boosted(member, "🔥");
    const other = await post(member, "another");
    expect((await unboost(member, id, other)).status).toBe(404);
    expect((await unboost(member, id + 1000)).status).toBe(404);
    expect(boostRows().map((row) => row.id)).toEqual([id]);
  });

  test("ids are never reused: after the newest boost is removed, the next takes a new id", async () => {
    const first = await boosted(member, "👍");
    const second = await boosted(member, "👏");
    expect((await unboost(member, second)).status).toBe(200);
    const third = await boosted(member, "👋");
    expect(third).toBeGreaterThan(second);
    expect(boostRows().map((row) => row.id)).toEqual([first, third]);
  });
});

describe("people outside the room", () => {
  // The third person is not in the closed room: boosting there answers as if the message did not exist.
  test("cannot boost one of its messages: 404, the message is not shown, and nothing is stored", async () => {
    const response = await boost(third, "👀");
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("ship it?");
    expect(boostRows()).toEqual([]);
  });

  test("cannot remove a boost there, even one of their own from before they left", async () => {
    const id = await boosted(member, "👍");
    expect((await unboost(third, id)).status).toBe(404);
    expect(boostRows().map((row) => row.id)).toEqual([id]);
  });

  test("a message that does not exist, or an id that is not one, is a 404 the same as a hidden one", async () => {
    for (const path of ["/messages/999999/boosts", "/messages/abc/boosts", "/messages/0/boosts", "/messages/01/boosts"]) {
      const response = await member.post(path, { content: "👍" });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    expect((await member.request("/messages/999999/boosts/1", { method: "DELETE" })).status).toBe(404);
    expect((await member.request(`/messages/${messageId}/boosts/x`, { method: "DELETE" })).status).toBe(404);
  });

  test("an administrator outside a closed room is an outsider too", async () => {
    const hidden = await createRoom(member, "closeds", { name: "Members only", user_ids: [] });
    const id = await post(member, "not for admins", hidden);
    expect((await boost(admin, "👍", id)).status).toBe(404);
    expect(boostRows()).toEqual([]);
  });

  test("someone signed out is sent to sign in, and a boost from another site is refused", async () => {
    const signedOut = await boost(new Client(server.url), "👍");
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe("/session/new");
    const forged = await member.request(`/messages/${messageId}/boosts`, {
      method: "POST",
      form: { content: "👍" },
      origin: "https://evil.example",
    });
    expect(forged.status).toBe(403);
    expect(boostRows()).toEqual([]);
  });
});

describe("boosts live and after a reconnect", () => {
  test("a boost and its removal reach everyone looking at the room, once each, as the re-rendered message", async () => {
    const tab = await openSocket(server, admin);
    await tab.enter(roomId);
    const outsiderTab = await openSocket(server, third);
    await outsiderTab.enter(roomId);

    const id = await boosted(member, "🚀");
    const added = await tab.waitFor((frame) => carrying(messageId)(frame) && frame.includes('data-boost="🚀"'));
    expect(added).toContain(`data-booster-ids="${memberUser.id}"`);
    expect((await unboost(member, id)).status).toBe(200);
    const removed = await tab.waitFor(
      (frame) => carrying(messageId)(frame) && !frame.includes("data-boost="),
      3_000,
      tab.frames.indexOf(added) + 1,
    );
    expect(changeSeqsIn(removed)[0]!).toBeGreaterThan(changeSeqsIn(added)[0]!);
    await tab.sync();
    expect(tab.frames.filter(carrying(messageId))).toHaveLength(2);

    await outsiderTab.sync();
    expect(outsiderTab.frames.filter(frameOf("messages"))).toEqual([]);
  });

  test("a tab that was away gets the boosts added and removed meanwhile when it comes back", async () => {
    const earlier = await post(member, "boosted before I left");
    const leaving = await boosted(admin, "👋", earlier);
    const away = await openSocket(server, admin);
    await away.enter(roomId);
    await away.sync();
    const since = Math.max(away.changeSeq(), ...changeSeqsIn(await (await admin.get(`/rooms/${roomId}`)).text()));
    away.close();
    await away.closed;

    await boosted(member, "💯");
    expect((await unboost(admin, leaving, earlier)).status).toBe(200);

    const back = await openSocket(server, admin);
    await back.enter(roomId, since);
    const caughtUp = back.frames.filter(frameOf("messages")).join("");
    expect(caughtUp).toContain(`id="message_${messageId}"`);
    expect(caughtUp).toContain('data-boost="💯"');
    expect(caughtUp).toContain(`id="message_${earlier}"`);
    expect(caughtUp).not.toContain('data-boost="👋"');
  });

  test("pages of history, whether their ids are close together or spread among other rooms', show boosts and mention chips; search excerpts name the person mentioned", async () => {
    const ALL_TALK = 1;
    const mentioning = await post(admin, "@Milo Member shipping now");
    for (let i = 0; i < 12; i++) await post(admin, `elsewhere ${i}`, ALL_TALK);
    const later = await post(member, "shipped");
    await boosted(admin, "🚢", mentioning);
    await boosted(admin, "🎯", later);
    const chip = `<span class="mention" data-user-id="${memberUser.id}">@Milo Member</span>`;
    const spread = await (await member.get(`/rooms/${roomId}/messages?after=0`)).text();
    for (const html of [spread, await (await member.get(`/rooms/${roomId}/messages?before=${later}`)).text()]) {
      expect(html).toContain('data-boost="🚢"');
      expect(html).toContain(chip);
    }
    expect(spread).toContain('data-boost="🎯"');
    // A search result is an excerpt of the plain text (boosts and chips are the room's to show).
    const found = await (await member.get("/searches?q=shipping")).text();
    expect(found).toContain("@Milo Member <mark>shipping</mark> now");
  });

  test("a booster's rename shows in the boost's tooltip on the room page kept between visits", async () => {
    const page = async () => (await (await member.get(`/rooms/${roomId}`)).text()) as string;
    await boosted(admin, "🙌");
    expect(await page()).toContain('title="Ada Admin"');
    renameUser(server.db, adminUser.id, "Ada Renamed");
    server.ctx.cache.personChanged(adminUser.id);
    expect(await page()).toContain('title="Ada Renamed"');
  });

  test("the room page shows boosts, and follows them when it is kept between visits", async () => {
    const page = async () => (await (await member.get(`/rooms/${roomId}`)).text()) as string;
    expect(await page()).not.toContain("data-boost=");
    const id = await boosted(admin, "🌟");
    expect(await page()).toContain('data-boost="🌟"');
    expect((await unboost(admin, id)).status).toBe(200);
    expect(await page()).not.toContain("data-boost=");
  });
});
