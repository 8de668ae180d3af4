import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { postMessage as receiveMessage } from "../../src/messages/receive.ts";
import { activityTopic, roomTopic } from "../../src/realtime/topics.ts";
import { findRoom } from "../../src/rooms/rooms.ts";
import { indexPendingMessages } from "../../src/search/indexer.ts";
import { findUserByEmail, renameUser, type User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { ADMIN, createRoom, messageIdsIn, postMessage, sendBody, sendForm, startThreePersonServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
let adminUser: User;
let member: Client;
let memberUser: User;
let third: Client;
let thirdUser: User;
/** A closed room of the administrator and the member; the third person is outside it. */
let roomId: number;
beforeEach(async () => {
  ({ server, admin, adminUser, member, memberUser, third, thirdUser } = await startThreePersonServer());
  roomId = await createRoom(admin, "closeds", { name: "Project", user_ids: [memberUser.id] });
});
afterEach(() => server.close());

const ALL_TALK = 1;

type MessageRow = { id: number; room_id: number; creator_id: number; client_message_id: string; body_html: string; body_plain: string };
const messageRows = (room = roomId): MessageRow[] =>
  server.db
    .query<MessageRow, [number]>(
      "SELECT id, room_id, creator_id, client_message_id, body_html, body_plain FROM messages WHERE room_id = ? ORDER BY id",
    )
    .all(room);
const messageRow = (id: number) =>
  server.db
    .query<MessageRow, [number]>("SELECT id, room_id, creator_id, client_message_id, body_html, body_plain FROM messages WHERE id = ?")
    .get(id);
const messageCount = () => (server.db.query("SELECT count(*) AS n FROM messages").get() as { n: number }).n;
/** Search hits for a word, once the indexer has caught up (as a search does first). */
function hits(word: string): number {
  indexPendingMessages(server.db);
  return (server.db.query("SELECT count(*) AS n FROM message_search_index WHERE message_search_index MATCH ?").get(word) as { n: number })
    .n;
}
const mentionedIn = (messageId: number) =>
  server.db
    .query<{ user_id: number }, [number]>("SELECT user_id FROM mentions WHERE message_id = ? ORDER BY user_id")
    .all(messageId)
    .map((row) => row.user_id);
/** Posts over HTTP and returns the new message's id. */
async function posted(client: Client, room: number, body: string, clientMessageId?: string): Promise<number> {
  const response = await postMessage(client, room, body, clientMessageId);
  expect(response.status).toBe(201);
  return messageIdsIn(await response.text())[0]!;
}
/** Many messages at once through the same domain function the route uses; returns their ids, oldest first. */
async function seedMessages(room: number, n: number): Promise<number[]> {
  const user = findUserByEmail(server.db, ADMIN.email)!;
  const target = findRoom(server.db, room)!;
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const result = await receiveMessage(server.ctx, user, target, { body: `message number ${i + 1}`, clientMessageId: `seed-${i + 1}` });
    if (typeof result === "string") throw new Error(result);
    ids.push(result.message.id);
  }
  return ids;
}
const editMessage = (client: Client, room: number, id: number, body: string) =>
  client.request(`/rooms/${room}/messages/${id}`, { method: "PATCH", form: { body } });
const deleteMessage = (client: Client, room: number, id: number) => client.request(`/rooms/${room}/messages/${id}`, { method: "DELETE" });
const range = (ids: number[], from: number, to: number) => ids.slice(from, to);

describe("posting a message", () => {
  test("answers 201 with the message's HTML and a Location to its permalink, and stores it", async () => {
    const response = await postMessage(member, roomId, "Hello, project!", "first-hello");
    expect(response.status).toBe(201);
    const html = await response.text();
    const [id] = messageIdsIn(html);
    expect(response.headers.get("location")).toBe(`/rooms/${roomId}/@${id}`);
    expect(html).toContain(`data-message-id="${id}"`);
    expect(html).toContain(`data-client-message-id="first-hello"`);
    expect(html).toContain(`data-creator-id="${memberUser.id}"`);
    expect(html).toContain("Hello, project!");
    expect(html).not.toContain("<html");
    expect(messageRows()).toEqual([
      {
        id: id!,
        room_id: roomId,
        creator_id: memberUser.id,
        client_message_id: "first-hello",
        body_html: "Hello, project!",
        body_plain: "Hello, project!",
      },
    ]);
  });

  test("a message without a client_message_id is given one", async () => {
    await posted(member, roomId, "no id from me");
    expect(messageRows()[0]!.client_message_id).toMatch(/^[\w-]{1,64}$/);
  });

  test("a multipart form posts just like a urlencoded one", async () => {
    const form = new FormData();
    form.set("body", "sent as multipart");
    form.set("client_message_id", "multi-1");
    const response = await sendBody(member, `/rooms/${roomId}/messages`, form);
    expect(response.status).toBe(201);
    expect(messageRows().map((row) => row.body_plain)).toEqual(["sent as multipart"]);
  });

  test("the same client_message_id again answers 200 with the original and stores nothing new", async () => {
    const first = await postMessage(member, roomId, "the original", "retry-me");
    const again = await postMessage(member, roomId, "a different body on retry", "retry-me");
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const [firstId] = messageIdsIn(await first.text());
    const html = await again.text();
    expect(messageIdsIn(html)).toEqual([firstId!]);
    expect(html).toContain("the original");
    expect(html).not.toContain("a different body");
    expect(again.headers.get("location")).toBe(`/rooms/${roomId}/@${firstId}`);
    expect(messageRows()).toHaveLength(1);
    expect(hits("different")).toBe(0);
  });

  test("a repeat is not published to the room again", async () => {
    const published: string[] = [];
    const publisher = server.ctx.publisher;
    const publish = publisher.publish.bind(publisher);
    publisher.publish = (topic, html) => {
      published.push(topic);
      publish(topic, html);
    };
    await postMessage(member, roomId, "say it once", "once");
    await postMessage(member, roomId, "say it once", "once");
    expect(published.filter((topic) => topic === roomTopic(roomId))).toHaveLength(1);
    expect(published.filter((topic) => topic === activityTopic(roomId))).toHaveLength(1);
  });

  test("the same client_message_id in another room is another message", async () => {
    const here = await posted(admin, roomId, "here", "shared-id");
    const there = await posted(admin, ALL_TALK, "there", "shared-id");
    expect(there).not.toBe(here);
    expect(messageCount()).toBe(2);
  });

  test("a client_message_id is one author's: another person reusing it posts their own message", async () => {
    const mine = await postMessage(member, roomId, "the member's words", "shared-key");
    const theirs = await postMessage(admin, roomId, "the administrator's words", "shared-key");
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    const html = await theirs.text();
    expect(html).toContain("the administrator's words");
    expect(html).not.toContain("the member's words");
    expect(messageRows().map((row) => [row.creator_id, row.body_plain])).toEqual([
      [memberUser.id, "the member's words"],
      [adminUser.id, "the administrator's words"],
    ]);
    // And each author's retry still finds their own message.
    const retry = await postMessage(admin, roomId, "the administrator's words", "shared-key");
    expect(retry.status).toBe(200);
    expect(messageIdsIn(await retry.text())).toEqual([messageRows()[1]!.id]);
  });

  test("ids are never reused: after the newest messages are deleted, the next post takes a new id", async () => {
    const kept = await posted(member, roomId, "kept");
    const doomed = [await posted(member, roomId, "doomed one"), await posted(member, roomId, "doomed two")];
    for (const id of doomed) expect((await deleteMessage(member, roomId, id)).status).toBe(200);
    const next = await posted(member, roomId, "after the deletions");
    expect(next).toBeGreaterThan(Math.max(...doomed));
    expect(messageRows().map((row) => row.id)).toEqual([kept, next]);
    // The deleted messages' permalinks lead nowhere rather than to someone else's message.
    for (const id of doomed) expect((await member.get(`/rooms/${roomId}/@${id}`)).status).toBe(404);
  });

  test("ten simultaneous posts with one client_message_id store exactly one message", async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => postMessage(member, roomId, "only once, please", "burst-1")));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(await Promise.all(responses.map(async (r) => messageIdsIn(await r.text())[0])));
    expect(ids.size).toBe(1);
    expect(messageRows()).toHaveLength(1);
    expect(hits("please")).toBe(1);
  });

  test("a post reaches the search index by itself within moments, with no search asking", async () => {
    expect((await postMessage(member, roomId, "a quokka appeared")).status).toBe(201);
    const indexed = () =>
      (server.db.query("SELECT count(*) AS n FROM message_search_index WHERE message_search_index MATCH 'quokka'").get() as { n: number })
        .n;
    const deadline = Date.now() + 2_000;
    while (indexed() === 0 && Date.now() < deadline) await Bun.sleep(20);
    expect(indexed()).toBe(1);
  });

  test("a body of only whitespace, zero-width or control characters is refused with 422 and nothing is stored", async () => {
    for (const body of ["", "   \n\t ", "\u200b\u200c\u200d", "\u2060\ufeff", "\u0001\u0002\u001b\u007f", "\0\0", " \u200b\u0007\n"]) {
      const response = await postMessage(member, roomId, body);
      expect({ body, status: response.status }).toEqual({ body, status: 422 });
      expect(await response.text()).toContain("A message needs some text.");
    }
    const missing = await member.post(`/rooms/${roomId}/messages`, { client_message_id: "no-body" });
    expect(missing.status).toBe(422);
    expect(messageCount()).toBe(0);
  });

  test("NUL bytes are dropped from a body", async () => {
    const id = await posted(member, roomId, "a\0b\0c");
    expect(server.db.query("SELECT body_html, body_plain FROM messages WHERE id = ?").get(id)).toEqual({
      body_html: "abc",
      body_plain: "abc",
    });
  });

  test("up to 10,000 characters of text are accepted, escaping not counted; more are refused with 422", async () => {
    expect((await postMessage(member, roomId, "x".repeat(10_000))).status).toBe(201);
    expect((await postMessage(member, roomId, `<>${"y".repeat(9_998)}`)).status).toBe(201);
    const tooLong = await postMessage(member, roomId, "z".repeat(10_001));
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toContain("at most 10,000 characters");
    expect((await postMessage(member, roomId, "w".repeat(100_001))).status).toBe(422);
    expect(messageCount()).toBe(2);
  });

  test("an invalid or repeated client_message_id is refused with 422", async () => {
    for (const clientMessageId of ["has spaces", "slash/es", "x".repeat(65), "<script>"]) {
      const response = await postMessage(member, roomId, "hello", clientMessageId);
      expect({ clientMessageId, status: response.status }).toEqual({ clientMessageId, status: 422 });
    }
    const repeated = await sendForm(member, `/rooms/${roomId}/messages`, { body: "hello", client_message_id: ["one", "two"] });
    expect(repeated.status).toBe(422);
    const twoBodies = await sendForm(member, `/rooms/${roomId}/messages`, { body: ["one", "two"], client_message_id: "ok-id" });
    expect(twoBodies.status).toBe(422);
    expect(messageCount()).toBe(0);
  });

  test("a malformed multipart or urlencoded body is a 4xx, never a 500", async () => {
    const bodies: [string, string][] = [
      ["multipart/form-data; boundary=nope", "garbage"],
      ["multipart/form-data", "body=hello"],
      ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="body"\r\n\r\nunterminated'],
      ["application/x-www-form-urlencoded", "body=%E0%A4%A&client_message_id=%"],
      ["application/x-www-form-urlencoded", "%%%"],
      ["application/json", '{"body": "hello"'],
    ];
    for (const [type, body] of bodies) {
      const response = await sendBody(member, `/rooms/${roomId}/messages`, body, { headers: { "content-type": type } });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    expect(server.logs.filter((line) => line.startsWith("error"))).toEqual([]);
  });

  test("posting moves the room's last activity forward", async () => {
    const id = await posted(member, roomId, "activity");
    const { last_message_at } = server.db.query("SELECT last_message_at FROM rooms WHERE id = ?").get(roomId) as {
      last_message_at: number;
    };
    expect(last_message_at).toBe(
      (server.db.query("SELECT created_at FROM messages WHERE id = ?").get(id) as { created_at: number }).created_at,
    );
  });
});

describe("mentions", () => {
  test("mentioning someone in the room marks the message and records the mention", async () => {
    const response = await postMessage(admin, roomId, "@Milo Member can you look?");
    const html = await response.text();
    const [id] = messageIdsIn(html);
    expect(html).toContain(`data-mentions="${memberUser.id}"`);
    expect(html).toContain(`<span class="mention" data-user-id="${memberUser.id}">@Milo Member</span>`);
    expect(mentionedIn(id!)).toEqual([memberUser.id]);
  });

  test("the fragment a post answers with is exactly the one read back later", async () => {
    const response = await postMessage(admin, roomId, "@Milo Member and @Ada Admin, **see** https://example.com <b>now</b>");
    const posted = await response.text();
    const [id] = messageIdsIn(posted);
    expect(posted).toContain(`data-mentions="${[adminUser.id, memberUser.id].sort((a, b) => a - b).join(" ")}"`);
    expect(await (await member.get(`/rooms/${roomId}/messages/${id}`)).text()).toBe(posted);
  });

  test("a mention shows the person's current name: after a rename, every reading of the message shows the new one", async () => {
    const id = await posted(admin, roomId, "@Milo Member can you look?");
    const page = async () => (await (await member.get(`/rooms/${roomId}`)).text()) as string;
    expect(await page()).toContain(">@Milo Member</span>");
    renameUser(server.db, memberUser.id, "Milo Renamed");
    server.ctx.cache.personChanged(memberUser.id); // what a rename does after its commit
    const chip = `<span class="mention" data-user-id="${memberUser.id}">@Milo Renamed</span>`;
    expect(await (await member.get(`/rooms/${roomId}/messages/${id}`)).text()).toContain(chip);
    expect(await page()).toContain(chip);
    expect(await page()).not.toContain("@Milo Member");
    expect(await (await admin.get(`/rooms/${roomId}/messages?after=0`)).text()).toContain(chip);
    // The author editing it gets the current name back in the text, so saving keeps the mention.
    const form = await (await admin.get(`/rooms/${roomId}/messages/${id}/edit`)).text();
    expect(form).toContain("@Milo Renamed can you look?");
    expect((await editMessage(admin, roomId, id, "@Milo Renamed can you look?")).status).toBe(200);
    expect(mentionedIn(id)).toEqual([memberUser.id]);
  });

  test("text typed without the picker, as a bot or a script posts it, resolves the same way", async () => {
    const response = await sendBody(member, `/rooms/${roomId}/messages`, new URLSearchParams({ body: "cc @ada admin: done" }));
    expect(response.status).toBe(201);
    const html = await response.text();
    expect(html).toContain(`<span class="mention" data-user-id="${adminUser.id}">@Ada Admin</span>: done`);
    expect(mentionedIn(messageIdsIn(html)[0]!)).toEqual([adminUser.id]);
  });

  test("a mention cannot be forged by typing its markup", async () => {
    const forged = `<span class="mention" data-user-id="${memberUser.id}"></span>`;
    const html = await (await postMessage(admin, roomId, forged)).text();
    expect(html).not.toContain("data-mentions");
    expect(html).toContain("&lt;span class=&quot;mention&quot;");
    expect(mentionedIn(messageIdsIn(html)[0]!)).toEqual([]);
  });

  test("mentioning someone who is not in the room records nothing", async () => {
    const response = await postMessage(admin, roomId, "@Tess Third is not here");
    const html = await response.text();
    expect(html).not.toContain("data-mentions");
    expect(html).not.toContain('class="mention"');
    expect(mentionedIn(messageIdsIn(html)[0]!)).toEqual([]);
  });

  test("editing a message updates whom it mentions", async () => {
    const id = await posted(admin, ALL_TALK, "@Milo Member hi");
    const response = await editMessage(admin, ALL_TALK, id, "@Tess Third and @Ada Admin instead");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`data-mentions="${[adminUser.id, thirdUser.id].sort().join(" ")}"`);
    expect(mentionedIn(id)).toEqual([adminUser.id, thirdUser.id].sort((a, b) => a - b));
  });
});

describe("reading history", () => {
  test("the room page shows the latest 40 messages, oldest first, and says there are older ones", async () => {
    const ids = await seedMessages(roomId, 100);
    const html = await (await member.get(`/rooms/${roomId}`)).text();
    expect(messageIdsIn(html)).toEqual(range(ids, 60, 100));
    expect(html).toContain('data-has-older="true"');
    expect(html).toContain('data-has-newer="false"');
  });

  test("the room page, remembered between visits, follows every post, edit, deletion and room deletion", async () => {
    const page = async (room = roomId) => (await (await member.get(`/rooms/${room}`)).text()) as string;
    const first = await posted(member, roomId, "first words");
    expect(messageIdsIn(await page())).toEqual([first]);
    const second = await posted(admin, roomId, "second words");
    expect(messageIdsIn(await page())).toEqual([first, second]);
    expect((await editMessage(member, roomId, first, "first words, revised")).status).toBe(200);
    expect(await page()).toContain("first words, revised");
    expect((await deleteMessage(admin, roomId, second)).status).toBe(200);
    expect(messageIdsIn(await page())).toEqual([first]);

    // A room created after the newest one is deleted gets a new id (never the deleted one's) and opens empty.
    const doomed = await createRoom(member, "opens", { name: "Short-lived" });
    await posted(member, doomed, "soon gone");
    expect(messageIdsIn(await page(doomed))).toHaveLength(1);
    expect((await member.request(`/rooms/${doomed}`, { method: "DELETE" })).status).toBeLessThan(400);
    const reborn = await createRoom(member, "opens", { name: "Reborn" });
    expect(reborn).toBeGreaterThan(doomed);
    expect(messageIdsIn(await page(reborn))).toEqual([]);
  });

  test("a short room's page has everything and no older messages", async () => {
    const ids = await seedMessages(roomId, 3);
    const html = await (await member.get(`/rooms/${roomId}`)).text();
    expect(messageIdsIn(html)).toEqual(ids);
    expect(html).toContain('data-has-older="false"');
  });

  test("pages of 40 walk back through history in order, with no gaps or overlap", async () => {
    const ids = await seedMessages(roomId, 100);
    const page = async (query: string) => {
      const response = await member.get(`/rooms/${roomId}/messages${query}`);
      return { status: response.status, ids: messageIdsIn(await response.text()) };
    };
    const latest = await page("");
    expect(latest).toEqual({ status: 200, ids: range(ids, 60, 100) });
    const second = await page(`?before=${latest.ids[0]}`);
    expect(second).toEqual({ status: 200, ids: range(ids, 20, 60) });
    const third = await page(`?before=${second.ids[0]}`);
    expect(third).toEqual({ status: 200, ids: range(ids, 0, 20) });
    expect(await page(`?before=${third.ids[0]}`)).toEqual({ status: 204, ids: [] });
    expect([...third.ids, ...second.ids, ...latest.ids]).toEqual(ids);
  });

  test("after= pages forward, oldest first, and says 204 at the end", async () => {
    const ids = await seedMessages(roomId, 100);
    const forward = await member.get(`/rooms/${roomId}/messages?after=${ids[0]}`);
    expect(forward.status).toBe(200);
    expect(messageIdsIn(await forward.text())).toEqual(range(ids, 1, 41));
    const tail = await member.get(`/rooms/${roomId}/messages?after=${ids[79]}`);
    expect(messageIdsIn(await tail.text())).toEqual(range(ids, 80, 100));
    expect((await member.get(`/rooms/${roomId}/messages?after=${ids[99]}`)).status).toBe(204);
  });

  test("a page answers with message fragments only, and an empty room with 204", async () => {
    const empty = await member.get(`/rooms/${roomId}/messages`);
    expect(empty.status).toBe(204);
    await seedMessages(roomId, 2);
    const html = await (await member.get(`/rooms/${roomId}/messages`)).text();
    expect(html.startsWith("<article")).toBe(true);
    expect(html).not.toContain("<html");
  });

  test("pages hold only this room's messages", async () => {
    const elsewhere = await seedMessages(ALL_TALK, 5);
    const here = await seedMessages(roomId, 5);
    expect(messageIdsIn(await (await member.get(`/rooms/${roomId}/messages?after=${elsewhere[0]}`)).text())).toEqual(here);
    expect(messageIdsIn(await (await member.get(`/rooms/${ALL_TALK}/messages?before=${here[4]}`)).text())).toEqual(elsewhere);
  });

  test("a bad before or after is refused with 422", async () => {
    for (const query of ["before=abc", "before=0", "after=-3", "after=1.5", "before=99999999999999999999"]) {
      const response = await member.get(`/rooms/${roomId}/messages?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 422 });
    }
  });

  test("one message can be fetched on its own, but only through its own room", async () => {
    const id = await posted(member, roomId, "fetch me");
    const response = await member.get(`/rooms/${roomId}/messages/${id}`);
    expect(response.status).toBe(200);
    expect(messageIdsIn(await response.text())).toEqual([id]);
    expect((await member.get(`/rooms/${ALL_TALK}/messages/${id}`)).status).toBe(404);
    expect((await member.get(`/rooms/${ALL_TALK}/@${id}`)).status).toBe(404);
  });
});

describe("permalinks", () => {
  test("a permalink to an old message opens the room around it and marks it", async () => {
    const ids = await seedMessages(roomId, 100);
    const target = ids[4]!;
    const response = await member.get(`/rooms/${roomId}/@${target}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`data-highlight-id="${target}"`);
    expect(html).toContain(`id="message_${target}"`);
    expect(messageIdsIn(html)).toEqual(range(ids, 0, 24));
    expect(html).toContain('data-has-older="false"');
    expect(html).toContain('data-has-newer="true"');
    expect(html).not.toContain(`id="message_${ids[99]}"`);
  });

  test("a permalink in the middle shows half a page either side", async () => {
    const ids = await seedMessages(roomId, 100);
    const html = await (await member.get(`/rooms/${roomId}/@${ids[50]}`)).text();
    expect(messageIdsIn(html)).toEqual(range(ids, 30, 70));
    expect(html).toContain('data-has-older="true"');
    expect(html).toContain('data-has-newer="true"');
  });

  test("a permalink to the newest message has nothing newer", async () => {
    const ids = await seedMessages(roomId, 10);
    const html = await (await member.get(`/rooms/${roomId}/@${ids[9]}`)).text();
    expect(messageIdsIn(html)).toEqual(ids);
    expect(html).toContain('data-has-newer="false"');
  });

  test("a permalink to an unknown message is 404", async () => {
    for (const path of [`/rooms/${roomId}/@999999`, `/rooms/${roomId}/@0`, `/rooms/999999/@1`]) {
      expect((await member.get(path)).status).toBe(404);
    }
  });
});

describe("editing and deleting messages", () => {
  test("the author can open the edit form and save an edit: body, plain text and search follow", async () => {
    const id = await posted(member, roomId, "the quick brown fox");
    const form = await member.get(`/rooms/${roomId}/messages/${id}/edit`);
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toContain(`hx-patch="/rooms/${roomId}/messages/${id}"`);
    expect(formHtml).toContain("the quick brown fox</textarea>");

    const response = await editMessage(member, roomId, id, "a <b>lazy</b> dog");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(messageIdsIn(html)).toEqual([id]);
    expect(html).toContain("a &lt;b&gt;lazy&lt;/b&gt; dog"); // typed tags are text
    expect(html).toContain("edited");
    expect(messageRow(id)).toMatchObject({ body_html: "a &lt;b&gt;lazy&lt;/b&gt; dog", body_plain: "a <b>lazy</b> dog" });
    expect(hits("fox")).toBe(0);
    expect(hits("lazy")).toBe(1);
  });

  test("the author can delete: the message and its search entry go", async () => {
    const id = await posted(member, roomId, "ephemeral zeppelin");
    expect(hits("zeppelin")).toBe(1);
    const response = await deleteMessage(member, roomId, id);
    expect(response.status).toBe(200);
    expect(messageRow(id)).toBeNull();
    expect(hits("zeppelin")).toBe(0);
    expect((await member.get(`/rooms/${roomId}/messages/${id}`)).status).toBe(404);
    expect((await member.get(`/rooms/${roomId}/@${id}`)).status).toBe(404);
  });

  test("an administrator can edit and delete someone else's message", async () => {
    const id = await posted(member, roomId, "member's words");
    expect((await admin.get(`/rooms/${roomId}/messages/${id}/edit`)).status).toBe(200);
    expect((await editMessage(admin, roomId, id, "moderated")).status).toBe(200);
    expect(messageRow(id)).toMatchObject({ body_plain: "moderated", creator_id: memberUser.id });
    expect((await deleteMessage(admin, roomId, id)).status).toBe(200);
    expect(messageRow(id)).toBeNull();
  });

  test("another member cannot open the edit form, edit or delete the message", async () => {
    const id = await posted(admin, ALL_TALK, "the administrator's words");
    const refusals = [
      await member.get(`/rooms/${ALL_TALK}/messages/${id}/edit`),
      await editMessage(member, ALL_TALK, id, "hijacked"),
      await deleteMessage(member, ALL_TALK, id),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("Only the person who wrote a message or an administrator can change it.");
    }
    expect(messageRow(id)).toMatchObject({ body_plain: "the administrator's words" });
  });

  test("an edit that leaves no text, or too much, is refused with 422 and the form, and nothing changes", async () => {
    const id = await posted(member, roomId, "keep me");
    for (const body of ["  ", "\u200b\u2060", "q".repeat(10_001)]) {
      const response = await editMessage(member, roomId, id, body);
      expect(response.status).toBe(422);
      expect(await response.text()).toContain(`hx-patch="/rooms/${roomId}/messages/${id}"`);
    }
    expect(messageRow(id)).toMatchObject({ body_plain: "keep me" });
    expect(hits("keep")).toBe(1);
  });

  test("unknown or malformed message ids are 404, never 500", async () => {
    const id = await posted(member, roomId, "exists");
    for (const bad of ["999999", "0", "abc", "-1", "99999999999999999999"]) {
      for (const [method, path] of [
        ["GET", `/rooms/${roomId}/messages/${bad}`],
        ["GET", `/rooms/${roomId}/messages/${bad}/edit`],
        ["PATCH", `/rooms/${roomId}/messages/${bad}`],
        ["DELETE", `/rooms/${roomId}/messages/${bad}`],
        ["GET", `/rooms/${bad}/messages/${id}`],
        ["GET", `/rooms/${bad}/messages`],
        ["POST", `/rooms/${bad}/messages`],
      ]) {
        const response = await member.request(path!, { method, form: method === "GET" ? undefined : { body: "x" } });
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      }
    }
    expect(messageRow(id)).toMatchObject({ body_plain: "exists" });
  });
});

describe("people outside the room", () => {
  // The third person is not in the closed room: every room-scoped request answers as if it did not exist.
  const requests: [string, (id: number) => [string, string, Record<string, string>?]][] = [
    ["read its page", () => ["GET", `/rooms/${roomId}`]],
    ["read a page of messages", (id) => ["GET", `/rooms/${roomId}/messages?before=${id + 1}`]],
    ["read one message", (id) => ["GET", `/rooms/${roomId}/messages/${id}`]],
    ["open a permalink", (id) => ["GET", `/rooms/${roomId}/@${id}`]],
    ["post a message", () => ["POST", `/rooms/${roomId}/messages`, { body: "let me in" }]],
    ["open the edit form of a message", (id) => ["GET", `/rooms/${roomId}/messages/${id}/edit`]],
    ["edit a message", (id) => ["PATCH", `/rooms/${roomId}/messages/${id}`, { body: "defaced" }]],
    ["delete a message", (id) => ["DELETE", `/rooms/${roomId}/messages/${id}`]],
    ["boost a message", (id) => ["POST", `/messages/${id}/boosts`, { content: "👀" }]],
    ["open the room's settings", () => ["GET", `/rooms/${roomId}/edit`]],
    ["set the room's notifications", () => ["PATCH", `/rooms/${roomId}/involvement`, { involvement: "everything" }]],
    ["delete the room", () => ["DELETE", `/rooms/${roomId}`]],
  ];
  for (const [what, build] of requests) {
    test(`cannot ${what}: 404, and nothing changes`, async () => {
      const id = await posted(member, roomId, "inside words");
      const [method, path, form] = build(id);
      const response = await third.request(path, { method, form });
      expect(response.status).toBe(404);
      const body = await response.text();
      expect(body).not.toContain("inside words");
      expect(body).not.toContain("Project");
      expect(messageRows().map((row) => row.body_plain)).toEqual(["inside words"]);
      expect(server.db.query("SELECT count(*) AS n FROM memberships WHERE room_id = ?").get(roomId)).toEqual({ n: 2 });
    });
  }

  test("an administrator outside a closed room is an outsider too", async () => {
    const hidden = await createRoom(member, "closeds", { name: "Members only", user_ids: [thirdUser.id] });
    const id = await posted(member, hidden, "not for admins");
    expect((await admin.get(`/rooms/${hidden}`)).status).toBe(404);
    expect((await admin.get(`/rooms/${hidden}/messages/${id}`)).status).toBe(404);
    expect((await editMessage(admin, hidden, id, "admin edit")).status).toBe(404);
    expect((await deleteMessage(admin, hidden, id)).status).toBe(404);
    expect(messageRow(id)).toMatchObject({ body_plain: "not for admins" });
  });
});
