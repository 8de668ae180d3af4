import { afterAll, beforeAll, expect, test } from "bun:test";
import { now } from "../../src/db/time.ts";
import { insertMessage } from "../../src/messages/messages.ts";
import { messagePush } from "../../src/push/notifications.ts";
import { type PushCase, shouldPush } from "../../src/push/rules.ts";
import { pushRecipients, saveSubscription } from "../../src/push/subscriptions.ts";
import { setInvolvement } from "../../src/rooms/memberships.ts";
import { CONNECTION_TTL_MS, enterRoom } from "../../src/rooms/presence.ts";
import { createClosedRoom, findOrCreateDirectRoom } from "../../src/rooms/rooms.ts";
import { createUser } from "../../src/users/users.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

// FEATURES.md §1.13, every combination: the involvement level × mentioned × direct room × looking at
// the room × their own message → whether their devices get a push. Written out, not computed.
const yes = true;
const no = false;
const PUSH = true;
type Row = [PushCase["involvement"], mentioned: boolean, direct: boolean, present: boolean, own: boolean, pushed: boolean];
// biome-ignore format: one case a line reads as a table
const TABLE: Row[] = [
  //  level    mentioned direct present own   pushed
  ["mentions", no, no, no, no, no],
  ["mentions", no, no, no, yes, no],
  ["mentions", no, no, yes, no, no],
  ["mentions", no, no, yes, yes, no],
  ["mentions", no, yes, no, no, no],
  ["mentions", no, yes, no, yes, no],
  ["mentions", no, yes, yes, no, no],
  ["mentions", no, yes, yes, yes, no],
  ["mentions", yes, no, no, no, PUSH],
  ["mentions", yes, no, no, yes, no],
  ["mentions", yes, no, yes, no, no],
  ["mentions", yes, no, yes, yes, no],
  ["mentions", yes, yes, no, no, PUSH],
  ["mentions", yes, yes, no, yes, no],
  ["mentions", yes, yes, yes, no, no],
  ["mentions", yes, yes, yes, yes, no],
  ["everything", no, no, no, no, PUSH],
  ["everything", no, no, no, yes, no],
  ["everything", no, no, yes, no, no],
  ["everything", no, no, yes, yes, no],
  ["everything", no, yes, no, no, PUSH],
  ["everything", no, yes, no, yes, no],
  ["everything", no, yes, yes, no, no],
  ["everything", no, yes, yes, yes, no],
  ["everything", yes, no, no, no, PUSH],
  ["everything", yes, no, no, yes, no],
  ["everything", yes, no, yes, no, no],
  ["everything", yes, no, yes, yes, no],
  ["everything", yes, yes, no, no, PUSH],
  ["everything", yes, yes, no, yes, no],
  ["everything", yes, yes, yes, no, no],
  ["everything", yes, yes, yes, yes, no],
  ["nothing", no, no, no, no, no],
  ["nothing", no, no, no, yes, no],
  ["nothing", no, no, yes, no, no],
  ["nothing", no, no, yes, yes, no],
  ["nothing", no, yes, no, no, no],
  ["nothing", no, yes, no, yes, no],
  ["nothing", no, yes, yes, no, no],
  ["nothing", no, yes, yes, yes, no],
  ["nothing", yes, no, no, no, no],
  ["nothing", yes, no, no, yes, no],
  ["nothing", yes, no, yes, no, no],
  ["nothing", yes, no, yes, yes, no],
  ["nothing", yes, yes, no, no, no],
  ["nothing", yes, yes, no, yes, no],
  ["nothing", yes, yes, yes, no, no],
  ["nothing", yes, yes, yes, yes, no],
  ["invisible", no, no, no, no, no],
  ["invisible", no, no, no, yes, no],
  ["invisible", no, no, yes, no, no],
  ["invisible", no, no, yes, yes, no],
  ["invisible", no, yes, no, no, no],
  ["invisible", no, yes, no, yes, no],
  ["invisible", no, yes, yes, no, no],
  ["invisible", no, yes, yes, yes, no],
  ["invisible", yes, no, no, no, no],
  ["invisible", yes, no, no, yes, no],
  ["invisible", yes, no, yes, no, no],
  ["invisible", yes, no, yes, yes, no],
  ["invisible", yes, yes, no, no, no],
  ["invisible", yes, yes, no, yes, no],
  ["invisible", yes, yes, yes, no, no],
  ["invisible", yes, yes, yes, yes, no],
];

let server: TestServer;
beforeAll(() => {
  server = startTestServer();
});
afterAll(() => server.close());

test("the table covers every combination once", () => {
  expect(TABLE).toHaveLength(4 * 2 * 2 * 2 * 2);
  expect(new Set(TABLE.map((row) => row.slice(0, 5).join())).size).toBe(TABLE.length);
});

test.each(TABLE)("%s, mentioned %p, direct %p, present %p, own %p → pushed %p", (involvement, mentioned, direct, present, own, pushed) => {
  const situation = { involvement, mentioned, direct, present, own };
  // The rule in words…
  expect(shouldPush(situation)).toBe(pushed);

  // …and the one query that applies it to a room, on a real database: a reader with a device, an
  // author, a room of theirs set up as the case says.
  const { db } = server;
  const tag = crypto.randomUUID().slice(0, 8);
  const reader = createUser(db, { name: `Reader ${tag}`, emailAddress: `r-${tag}@example.com`, passwordDigest: "x", role: "member" });
  const other = createUser(db, { name: `Writer ${tag}`, emailAddress: `w-${tag}@example.com`, passwordDigest: "x", role: "member" });
  const room = direct ? findOrCreateDirectRoom(db, other, [reader.id]).room : createClosedRoom(db, other, `Room ${tag}`, [reader.id]);
  setInvolvement(db, reader.id, room.id, involvement);
  if (present) enterRoom(db, reader.id, room.id);
  saveSubscription(server.ctx, reader.id, { endpoint: `https://push.example.com/${tag}`, p256dhKey: "p", authKey: "a" }, null);
  const author = own ? reader : other;
  const { message } = insertMessage(db, room.id, author, {
    clientMessageId: tag,
    html: "hello",
    plain: "hello",
    rich: false,
    mentionIds: mentioned ? [reader.id] : [],
    mentionNames: {},
  });
  const recipients = pushRecipients(db, message, now() - CONNECTION_TTL_MS);
  expect(recipients.map((recipient) => recipient.userId)).toEqual(pushed ? [reader.id] : []);

  // What it says: a direct room's push is titled by its author, a shared room's by its name.
  const notification = messagePush(db, message.id)!;
  expect(notification.title).toBe(direct ? author.name : `Room ${tag}`);
  expect(notification.body).toBe(direct ? "hello" : `${author.name}: hello`);
  expect(notification.path).toBe(`/rooms/${room.id}/@${message.id}`);
});

test("a presence older than its TTL no longer counts: the reader gets the push again", () => {
  const { db } = server;
  const reader = createUser(db, { name: "Stale Reader", emailAddress: "stale@example.com", passwordDigest: "x", role: "member" });
  const other = createUser(db, { name: "Stale Writer", emailAddress: "stale-w@example.com", passwordDigest: "x", role: "member" });
  const room = createClosedRoom(db, other, "Stale", [reader.id]);
  setInvolvement(db, reader.id, room.id, "everything");
  enterRoom(db, reader.id, room.id);
  saveSubscription(server.ctx, reader.id, { endpoint: "https://push.example.com/stale", p256dhKey: "p", authKey: "a" }, null);
  const { message } = insertMessage(db, room.id, other, {
    clientMessageId: "s",
    html: "hi",
    plain: "hi",
    rich: false,
    mentionIds: [],
    mentionNames: {},
  });
  expect(pushRecipients(db, message, now() - CONNECTION_TTL_MS)).toEqual([]);
  // As the job would see it a minute and more later, the tab having stopped pinging.
  expect(pushRecipients(db, message, now() + 1).map((r) => r.userId)).toEqual([reader.id]);
});

test("every device of a recipient gets the push, with the badge of their unread rooms; a deactivated person's get nothing", () => {
  const { db } = server;
  const reader = createUser(db, { name: "Two Devices", emailAddress: "two@example.com", passwordDigest: "x", role: "member" });
  const other = createUser(db, { name: "Poster", emailAddress: "poster@example.com", passwordDigest: "x", role: "member" });
  const gone = createUser(db, { name: "Gone", emailAddress: "gone@example.com", passwordDigest: "x", role: "member" });
  const room = createClosedRoom(db, other, "Devices", [reader.id, gone.id]);
  for (const person of [reader, gone]) setInvolvement(db, person.id, room.id, "everything");
  saveSubscription(server.ctx, reader.id, { endpoint: "https://push.example.com/phone", p256dhKey: "p", authKey: "a" }, null);
  saveSubscription(server.ctx, reader.id, { endpoint: "https://push.example.com/laptop", p256dhKey: "p", authKey: "a" }, null);
  saveSubscription(server.ctx, gone.id, { endpoint: "https://push.example.com/gone", p256dhKey: "p", authKey: "a" }, null);
  db.query("UPDATE users SET status = 'deactivated' WHERE id = ?").run(gone.id);
  db.query("UPDATE memberships SET unread_at = 1 WHERE room_id = ? AND user_id = ?").run(room.id, reader.id);
  const { message } = insertMessage(db, room.id, other, {
    clientMessageId: "d",
    html: "hi",
    plain: "hi",
    rich: false,
    mentionIds: [],
    mentionNames: {},
  });
  const recipients = pushRecipients(db, message, now() - CONNECTION_TTL_MS);
  expect(recipients.map((r) => [r.endpoint, r.badge])).toEqual([
    ["https://push.example.com/phone", 1],
    ["https://push.example.com/laptop", 1],
  ]);
});
