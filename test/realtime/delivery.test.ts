import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { MISSED_MESSAGES_CAP } from "../../src/realtime/socket.ts";
import type { Client } from "../helpers/client.ts";
import { addSignedInMember, createRoom, postMessage, sendForm, startSetUpServer, THIRD } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { carrying, changeSeqsIn, frameOf, idsIn, kindOf, messageIdFrom, openSocket, type TestSocket } from "../helpers/socket.ts";

const ALL_TALK = 1;

let server: TestServer;
let admin: Client;
beforeEach(async () => {
  ({ server, admin } = await startSetUpServer());
});
afterEach(() => server.close());

const roomMessageIds = (roomId: number) =>
  server.db
    .query<{ id: number }, [number]>("SELECT id FROM messages WHERE room_id = ? ORDER BY id")
    .all(roomId)
    .map((row) => row.id);

async function post(client: Client, roomId: number, body: string): Promise<number> {
  const response = await postMessage(client, roomId, body);
  expect(response.status).toBe(201);
  return messageIdFrom(response);
}

/** The change number a freshly loaded room page starts its tab from (what the browser sends as `since`). */
async function pageSeq(client: Client, roomId: number): Promise<number> {
  const html = await (await client.get(`/rooms/${roomId}`)).text();
  return Math.max(...changeSeqsIn(html));
}

/** Posts `count` messages at once (in flight together), returning their ids in ascending order. */
async function postMany(client: Client, roomId: number, count: number, label = "missed"): Promise<number[]> {
  const ids = await Promise.all(Array.from({ length: count }, (_, i) => post(client, roomId, `${label} ${i}`)));
  return ids.sort((a, b) => a - b);
}

describe("messages reach the room's members", () => {
  test("new, edited and deleted messages reach a member's tab in the room", async () => {
    const { client: milo } = await addSignedInMember(server);
    const tab = await openSocket(server, milo);
    await tab.enter(ALL_TALK);

    const id = await post(admin, ALL_TALK, "Hello <b>everyone</b>");
    const created = await tab.waitFor(carrying(id));
    expect(created).toContain('data-room-id="1"');
    expect(created).toContain("Hello &lt;b&gt;everyone&lt;/b&gt;"); // as typed

    const edit = await sendForm(admin, `/rooms/${ALL_TALK}/messages/${id}`, { body: "Hello, edited" }, { method: "PATCH" });
    expect(edit.status).toBe(200);
    const edited = await tab.waitFor((frame) => carrying(id)(frame) && frame.includes("Hello, edited"));
    expect(edited).toContain("message__edited");

    const removal = await admin.request(`/rooms/${ALL_TALK}/messages/${id}`, { method: "DELETE" });
    expect(removal.status).toBe(200);
    const removed = await tab.waitFor(frameOf("message-removed", ALL_TALK));
    expect(removed).toContain(`data-message-id="${id}"`);
    expect(tab.messageIds()).toEqual([id, id]);
  });

  test("a retried post with the same client_message_id is broadcast exactly once", async () => {
    const tab = await openSocket(server, admin);
    await tab.enter(ALL_TALK);
    const first = await postMessage(admin, ALL_TALK, "only once", "retry-me-123");
    const retry = await postMessage(admin, ALL_TALK, "only once", "retry-me-123");
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    const id = messageIdFrom(first);
    expect(messageIdFrom(retry)).toBe(id);

    const marker = await post(admin, ALL_TALK, "marker");
    await tab.waitFor(carrying(marker));
    expect(tab.frames.filter(carrying(id))).toHaveLength(1);
    expect(tab.messageIds()).toEqual([id, marker]);
    expect(roomMessageIds(ALL_TALK)).toEqual([id, marker]);
  });

  test("100 concurrent posts from three people reach every tab once each, in the same ascending order", async () => {
    const { client: milo } = await addSignedInMember(server);
    const { client: tess } = await addSignedInMember(server, THIRD);
    const authors = [admin, milo, tess];
    const tabs: TestSocket[] = [];
    for (const client of [admin, admin, milo, tess]) {
      const tab = await openSocket(server, client);
      await tab.enter(ALL_TALK);
      tabs.push(tab);
    }

    const COUNT = 100;
    const responses = await Promise.all(
      Array.from({ length: COUNT }, (_, i) => postMessage(authors[i % authors.length]!, ALL_TALK, `message ${i}`, `concurrent-${i}`)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(COUNT).fill(201));
    const stored = roomMessageIds(ALL_TALK);
    expect(stored).toHaveLength(COUNT);
    expect(new Set(responses.map(messageIdFrom))).toEqual(new Set(stored));

    await Promise.all(tabs.map((tab) => tab.waitUntil(() => tab.messageIds().length >= COUNT, 5_000, `${COUNT} messages`)));
    for (const tab of tabs) {
      const last = await post(admin, ALL_TALK, "marker"); // anything extra would have arrived before it
      await tab.waitFor(carrying(last));
      expect(tab.messageIds().slice(0, -1)).toEqual(stored); // once each, ascending, identical for every tab
      stored.push(last);
    }
  });
});

describe("catching up after a reconnect", () => {
  test("re-entering with the last change seen brings exactly the messages missed", async () => {
    const { client: milo } = await addSignedInMember(server);
    const before = await openSocket(server, milo);
    await before.enter(ALL_TALK);
    await post(admin, ALL_TALK, "seen 1");
    const seen = await post(admin, ALL_TALK, "seen 2");
    await before.waitFor(carrying(seen));
    before.close();
    await before.closed;

    const missed = await postMany(admin, ALL_TALK, 7);
    const after = await openSocket(server, milo);
    await after.enter(ALL_TALK, before.changeSeq());
    // The catch-up is sent before the read mark that `enter` waits for.
    expect(after.frames.filter(frameOf("messages"))).toHaveLength(1);
    expect(after.messageIds()).toEqual(missed);

    const next = await post(admin, ALL_TALK, "live again");
    await after.waitFor(carrying(next));
    expect(after.messageIds()).toEqual([...missed, next]);
  });

  test("nothing missed sends no catch-up frame; no `since` sends none either", async () => {
    await post(admin, ALL_TALK, "the latest");
    const current = await openSocket(server, admin);
    await current.enter(ALL_TALK, await pageSeq(admin, ALL_TALK));
    const fresh = await openSocket(server, admin);
    await fresh.enter(ALL_TALK);
    for (const tab of [current, fresh]) expect(tab.frames.filter(frameOf("messages"))).toEqual([]);
  });

  test("catch-up stays within the room: messages of other rooms are not sent", async () => {
    const other = await createRoom(admin, "opens", { name: "Elsewhere" });
    await post(admin, ALL_TALK, "seen");
    const seen = await pageSeq(admin, ALL_TALK);
    const elsewhere = await postMany(admin, other, 3, "elsewhere");
    const missed = await postMany(admin, ALL_TALK, 2);
    const tab = await openSocket(server, admin);
    await tab.enter(ALL_TALK, seen);
    expect(tab.messageIds()).toEqual(missed);
    for (const id of elsewhere) expect(tab.frames.some(carrying(id))).toBe(false);
  });

  test("a tab that was away gets every kind of change it missed: a new message, an edit and a deletion", async () => {
    const { client: milo } = await addSignedInMember(server);
    const away = await openSocket(server, milo);
    await away.enter(ALL_TALK);
    const [edited, deleted, untouched] = [
      await post(admin, ALL_TALK, "to be edited"),
      await post(admin, ALL_TALK, "to be deleted"),
      await post(admin, ALL_TALK, "left alone"),
    ];
    await away.waitFor(carrying(untouched!));
    const since = away.changeSeq();
    away.close();
    await away.closed;

    expect(
      (await sendForm(admin, `/rooms/${ALL_TALK}/messages/${edited}`, { body: "edited while away" }, { method: "PATCH" })).status,
    ).toBe(200);
    expect((await admin.request(`/rooms/${ALL_TALK}/messages/${deleted}`, { method: "DELETE" })).status).toBe(200);
    const added = await post(admin, ALL_TALK, "new while away");

    const back = await openSocket(server, milo);
    await back.enter(ALL_TALK, since);
    const caughtUp = back.frames.filter(frameOf("messages"));
    expect(caughtUp).toHaveLength(1);
    expect(idsIn(caughtUp[0]!)).toEqual([edited!, added]); // in the order they changed
    expect(caughtUp[0]).toContain("edited while away");
    expect(caughtUp[0]).toContain("message__edited");
    const removals = back.frames.filter(frameOf("message-removed", ALL_TALK));
    expect(removals).toHaveLength(1);
    expect(removals[0]).toContain(`data-message-id="${deleted}"`);
    expect(back.frames.some(carrying(untouched!))).toBe(false);
    // Its cursor is now the room's latest change: entering again from it brings nothing more.
    expect(back.changeSeq()).toBe(await pageSeq(milo, ALL_TALK));
    const again = await openSocket(server, milo);
    await again.enter(ALL_TALK, back.changeSeq());
    expect(again.frames.map(kindOf)).toEqual(["read"]);
  });

  test("a page loaded before change numbers existed (it sends the last message id) is told to reload", async () => {
    const seen = await post(admin, ALL_TALK, "seen");
    await post(admin, ALL_TALK, "missed");
    const tab = await openSocket(server, admin);
    tab.send({ type: "enter", room_id: ALL_TALK, after: seen });
    await tab.waitFor(frameOf("refresh", ALL_TALK));
    await tab.sync();
    expect(tab.frames.map(kindOf)).toEqual(["refresh", "room-removed"]); // the sync's answer; nothing else
  });

  test("deletions count towards the catch-up cap like messages do", async () => {
    await post(admin, ALL_TALK, "seen");
    const seen = await pageSeq(admin, ALL_TALK);
    const ids = await postMany(admin, ALL_TALK, MISSED_MESSAGES_CAP + 1);
    for (const id of ids) expect((await admin.request(`/rooms/${ALL_TALK}/messages/${id}`, { method: "DELETE" })).status).toBe(200);
    const tab = await openSocket(server, admin);
    await tab.enter(ALL_TALK, seen);
    // Every message came and went while away: what is left to replay is the deletions, one more than the cap.
    expect(tab.frames.map(kindOf).slice(0, 2)).toEqual(["refresh", "read"]);
  });

  test(`up to ${MISSED_MESSAGES_CAP} missed messages are sent; one more and the tab is told to refresh`, async () => {
    await post(admin, ALL_TALK, "seen");
    const seen = await pageSeq(admin, ALL_TALK);
    const missed = await postMany(admin, ALL_TALK, MISSED_MESSAGES_CAP);

    const atCap = await openSocket(server, admin);
    await atCap.enter(ALL_TALK, seen);
    expect(atCap.messageIds()).toEqual(missed);
    expect(atCap.frames.filter(frameOf("refresh"))).toEqual([]);

    await post(admin, ALL_TALK, "one too many");
    const overCap = await openSocket(server, admin);
    await overCap.enter(ALL_TALK, seen);
    expect(overCap.frames.filter(frameOf("refresh", ALL_TALK))).toHaveLength(1);
    expect(overCap.frames.filter(frameOf("messages"))).toEqual([]);
    await overCap.waitFor(frameOf("presence", ALL_TALK));
    expect(overCap.frames.map(kindOf)).toEqual(["refresh", "read", "presence"]);
  });

  test("a message posted right after entering arrives exactly once, after the catch-up", async () => {
    await post(admin, ALL_TALK, "seen");
    const seen = await pageSeq(admin, ALL_TALK);
    const missed = await postMany(admin, ALL_TALK, 3);
    const tab = await openSocket(server, admin);
    tab.send({ type: "enter", room_id: ALL_TALK, since: seen });
    const live = await post(admin, ALL_TALK, "live"); // may be handled before or after the enter
    await tab.waitFor(carrying(live));
    await tab.sync();
    const ids = tab.messageIds();
    expect(ids.filter((id) => id === live)).toHaveLength(1);
    // If the post beat the enter, the catch-up carries it; either way each message comes once and in order.
    expect([...new Set(ids)]).toEqual([...missed, live]);
    expect(ids).toEqual([...missed, live]);
    expect(tab.frames.filter(frameOf("messages")).flatMap(idsIn)).toEqual(ids);
  });
});
