import type { Database } from "bun:sqlite";
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { openDatabase } from "../../src/db/connection.ts";
import { postMessage as post } from "../../src/messages/receive.ts";
import { subscriptionsOf } from "../../src/push/subscriptions.ts";
import { findRoom } from "../../src/rooms/rooms.ts";
import { databasePath } from "../../src/server.ts";
import { findUserByEmail } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { addSignedInMember, MEMBER, postMessage, startQuickSetUpServer } from "../helpers/fixtures.ts";
import { PushEndpoint } from "../helpers/push-endpoint.ts";
import { makeDataDir, startConfiguredTestServer, type TestServer } from "../helpers/server.ts";

let endpoint: PushEndpoint;
const servers: TestServer[] = [];

beforeAll(async () => {
  endpoint = await PushEndpoint.start();
});
afterAll(() => endpoint.stop());
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  endpoint.received.length = 0;
  endpoint.rejected.length = 0;
  endpoint.statuses.clear();
});

const startPushServer = (dataDir = makeDataDir()) => {
  const server = startConfiguredTestServer({}, dataDir, { networkGuard: endpoint.guard });
  servers.push(server);
  return server;
};

/** Ada (the administrator) with one device subscribed, and Milo, who writes to her. */
async function adaWithDevice(path: string) {
  const { server, admin } = await startQuickSetUpServer(startPushServer());
  const keys = await endpoint.subscribe(path);
  const subscribed = await admin.post("/users/me/push_subscriptions", {
    "push_subscription[endpoint]": keys.endpoint,
    "push_subscription[p256dh_key]": keys.p256dhKey,
    "push_subscription[auth_key]": keys.authKey,
  });
  expect(subscribed.status).toBe(200);
  const { client: milo } = await addSignedInMember(server);
  return { server, admin, milo };
}

const setInvolvement = (client: Client, roomId: number, involvement: string) =>
  client.request(`/rooms/${roomId}/involvement`, { method: "PATCH", form: { involvement }, headers: { "HX-Request": "true" } });

const messageIdOf = async (response: Response) => Number(/id="message_(\d+)"/.exec(await response.text())![1]);

/** Waits until the runner has done every job (none gave up: a test that expects that says so). */
async function jobsSettled(db: Database, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (db.query("SELECT 1 FROM jobs WHERE failed_at IS NULL").get()) {
    if (Date.now() > deadline) throw new Error("jobs still pending");
    await Bun.sleep(20);
  }
}

test("a message from someone else reaches the reader's device: signed, encrypted, titled by the room, opening the message, badged", async () => {
  const { server, admin, milo } = await adaWithDevice("/ada/laptop");
  expect((await setInvolvement(admin, 1, "everything")).status).toBe(200);
  const posted = await postMessage(milo, 1, "Lunch at noon?");
  const messageId = await messageIdOf(posted);
  const [push] = await endpoint.waitFor(1);
  expect(endpoint.rejected).toEqual([]);
  expect(push!.publicKey).toBe(server.ctx.push.vapid.publicKey);
  expect(push!.payload).toEqual({
    title: "All Talk",
    options: {
      body: "Milo Member: Lunch at noon?",
      icon: "/icons/campfire-192.png",
      tag: `message-${messageId}`,
      data: { path: `/rooms/1/@${messageId}`, badge: 1 },
    },
  });
  await jobsSettled(server.db);
  expect(server.db.query("SELECT count(*) AS n FROM jobs").get()).toEqual({ n: 0 });
});

test("in a room set to mentions only a mention is pushed; the author's own message never is", async () => {
  const { server, admin, milo } = await adaWithDevice("/ada/phone");
  await postMessage(milo, 1, "no mention here");
  await postMessage(admin, 1, "talking to myself");
  await jobsSettled(server.db);
  await Bun.sleep(100);
  expect(endpoint.received).toEqual([]);
  expect((await postMessage(milo, 1, "@Ada Admin lunch?")).status).toBe(201);
  const [push] = await endpoint.waitFor(1);
  expect(push!.payload.options.body).toBe("Milo Member: @Ada Admin lunch?");
});

test("a device whose push service answers 410 is removed when a message's push finds it gone", async () => {
  const { server, admin, milo } = await adaWithDevice("/ada/old-phone");
  endpoint.statuses.set("/ada/old-phone", 410);
  await setInvolvement(admin, 1, "everything");
  await postMessage(milo, 1, "anyone there?");
  await endpoint.waitFor(1);
  await jobsSettled(server.db);
  expect(subscriptionsOf(server.db, 1)).toEqual([]);
});

test("a push whose service is down is retried, and survives a restart of the server in between", async () => {
  const { server, admin, milo } = await adaWithDevice("/ada/desktop");
  endpoint.statuses.set("/ada/desktop", 503);
  await setInvolvement(admin, 1, "everything");
  await postMessage(milo, 1, "are you back?");
  await endpoint.waitFor(1);
  // The first try failed and is waiting for its retry, in the database.
  const deadline = Date.now() + 5000;
  while (!server.db.query("SELECT 1 FROM jobs WHERE kind = 'push' AND last_error IS NOT NULL").get()) {
    if (Date.now() > deadline) throw new Error("the push was not marked for a retry");
    await Bun.sleep(20);
  }
  const dataDir = server.dataDir;
  await server.stop();
  servers.splice(servers.indexOf(server), 1);
  // As a version before notification tags queued it: the restarted server still sends it.
  const stored = openDatabase(databasePath(dataDir));
  stored.run("UPDATE jobs SET payload = json_remove(payload, '$.notification.options.tag') WHERE kind = 'push'");
  stored.close();

  endpoint.statuses.set("/ada/desktop", 201);
  const before = endpoint.received.length;
  const restarted = startPushServer(dataDir);
  await endpoint.waitFor(before + 1);
  expect(endpoint.received.at(-1)!.payload.options.body).toBe("Milo Member: are you back?");
  expect(endpoint.received.at(-1)!.payload.options.tag).toBe("");
  await jobsSettled(restarted.db);
  expect(restarted.db.query("SELECT count(*) AS n FROM jobs").get()).toEqual({ n: 0 });
  expect(endpoint.rejected).toEqual([]);
});

test("posting queues a push job only for a message someone may be told about", async () => {
  const { server } = await adaWithDevice("/ada/tablet");
  const milo = findUserByEmail(server.db, MEMBER.email)!;
  const room = findRoom(server.db, 1)!;
  const queued = () => server.db.query("SELECT count(*) AS n FROM jobs WHERE kind = 'push_message'").get();
  // Checked as soon as the post is stored, before the runner's next turn could take a job away.
  await post(server.ctx, milo, room, { body: "nobody on everything, nobody mentioned", clientMessageId: "a" });
  expect(queued()).toEqual({ n: 0 });
  await post(server.ctx, milo, room, { body: "@Ada Admin this one", clientMessageId: "b" });
  expect(queued()).toEqual({ n: 1 });
  await endpoint.waitFor(1);
});

test("a device added after posts that found nobody to push to gets the very next message", async () => {
  const { server, admin } = await startQuickSetUpServer(startPushServer());
  const { client: milo } = await addSignedInMember(server);
  await setInvolvement(admin, 1, "everything");
  const queued = () => server.db.query("SELECT count(*) AS n FROM jobs WHERE kind = 'push_message'").get();
  // Nobody has a device yet: posting queues nothing (and the server remembers that nobody has one).
  expect((await postMessage(milo, 1, "before any device")).status).toBe(201);
  expect(queued()).toEqual({ n: 0 });

  const keys = await endpoint.subscribe("/ada/new-phone");
  const subscribed = await admin.post("/users/me/push_subscriptions", {
    "push_subscription[endpoint]": keys.endpoint,
    "push_subscription[p256dh_key]": keys.p256dhKey,
    "push_subscription[auth_key]": keys.authKey,
  });
  expect(subscribed.status).toBe(200);
  expect((await postMessage(milo, 1, "after the device")).status).toBe(201);
  const [push] = await endpoint.waitFor(1);
  expect(push!.payload.options.body).toBe("Milo Member: after the device");
  expect(endpoint.rejected).toEqual([]);
});
