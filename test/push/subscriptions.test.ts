import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { createECDH } from "node:crypto";
import { parseConfig } from "../../src/config.ts";
import { subscriptionsOf } from "../../src/push/subscriptions.ts";
import type { Client } from "../helpers/client.ts";
import { addSignedInMember, startQuickSetUpServer } from "../helpers/fixtures.ts";
import { type BrowserKeys, PushEndpoint } from "../helpers/push-endpoint.ts";
import { makeDataDir, startConfiguredTestServer, startTestServer, type TestServer } from "../helpers/server.ts";

const INDEX = "/users/me/push_subscriptions";
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
});

/** A set-up server that may reach the test's push endpoint (and nothing else private). */
async function pushServer() {
  const server = startConfiguredTestServer({}, makeDataDir(), { networkGuard: endpoint.guard });
  servers.push(server);
  return startQuickSetUpServer(server);
}

const subscriptionForm = (keys: Pick<BrowserKeys, "endpoint" | "p256dhKey" | "authKey">) => ({
  "push_subscription[endpoint]": keys.endpoint,
  "push_subscription[p256dh_key]": keys.p256dhKey,
  "push_subscription[auth_key]": keys.authKey,
});

const subscribe = (client: Client, keys: BrowserKeys) =>
  client.post(INDEX, subscriptionForm(keys), { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36" });

const deleteSubscription = (client: Client, id: number) =>
  client.request(`${INDEX}/${id}`, { method: "DELETE", headers: { "HX-Request": "true" } });

test("VAPID keys are made on first start, kept in the database, and the same after a restart", async () => {
  const dataDir = makeDataDir();
  const first = startTestServer(dataDir);
  const keys = first.ctx.push.vapid;
  expect(Buffer.from(keys.publicKey, "base64url")).toHaveLength(65);
  expect(Buffer.from(keys.privateKey, "base64url")).toHaveLength(32);
  // One P-256 pair: the public key is the private key's point, uncompressed, as web-push signs with.
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(Buffer.from(keys.privateKey, "base64url"));
  expect(ecdh.getPublicKey().toString("base64url")).toBe(keys.publicKey);
  await first.stop();
  const second = startTestServer(dataDir);
  servers.push(second);
  expect(second.ctx.push.vapid).toEqual(keys);
});

test("VAPID keys from the environment win over stored ones; a malformed or half pair stops start-up naming the variable", async () => {
  const configured = { publicKey: Buffer.alloc(65, 4).toString("base64url"), privateKey: Buffer.alloc(32, 7).toString("base64url") };
  const config = parseConfig({ VAPID_PUBLIC_KEY: configured.publicKey, VAPID_PRIVATE_KEY: configured.privateKey });
  expect(config.vapid).toEqual(configured);
  const server = startConfiguredTestServer({ vapid: config.vapid });
  servers.push(server);
  expect(server.ctx.push.vapid).toEqual(configured);
  expect(server.db.query("SELECT count(*) AS n FROM secrets WHERE name LIKE 'vapid%'").get()).toEqual({ n: 0 });
  expect(() => parseConfig({ VAPID_PUBLIC_KEY: "not a key", VAPID_PRIVATE_KEY: configured.privateKey })).toThrow(/^VAPID_PUBLIC_KEY: /);
  expect(() => parseConfig({ VAPID_PUBLIC_KEY: configured.publicKey })).toThrow(/^VAPID_PRIVATE_KEY: set both/);
});

test("a browser's subscription is saved once, listed on the notifications page as its device, and saved again only touched", async () => {
  const { server, admin } = await pushServer();
  const keys = await endpoint.subscribe("/devices/one");
  expect((await subscribe(admin, keys)).status).toBe(200);
  const again = await subscribe(admin, keys);
  expect(again.status).toBe(200);
  expect(await again.text()).toContain('id="push_devices"');
  const rows = server.db.query("SELECT endpoint, p256dh_key AS p256dh, auth_key AS auth FROM push_subscriptions").all();
  expect(rows).toEqual([{ endpoint: keys.endpoint, p256dh: keys.p256dhKey, auth: keys.authKey }]);
  const page = await (await admin.get(INDEX)).text();
  expect(page).toContain("Chrome on Linux");
  expect(page).toContain(`data-endpoint="${keys.endpoint}"`);
  expect(page).toContain(`data-vapid-public-key="${server.ctx.push.vapid.publicKey}"`);
});

test("a subscription with a bad endpoint or keys is refused with 422 and a reason, and nothing is stored", async () => {
  const { server, admin } = await pushServer();
  const keys = await endpoint.subscribe("/devices/bad");
  for (const [field, value, reason] of [
    ["push_subscription[endpoint]", "http://push.example.com/x", "https://"],
    ["push_subscription[endpoint]", "javascript:alert(1)", "https://"],
    ["push_subscription[p256dh_key]", "c2hvcnQ", "65 bytes"],
    ["push_subscription[auth_key]", "not base64!", "base64url"],
  ] as const) {
    const response = await admin.post(INDEX, { ...subscriptionForm(keys), [field]: value }, { "HX-Request": "true" });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain(reason);
  }
  expect(subscriptionsOf(server.db, 1)).toEqual([]);
});

test("the subscription routes answer only the signed-in person, and only about their own devices", async () => {
  const { server, admin } = await pushServer();
  const { client: member, user: memberUser } = await addSignedInMember(server);
  await subscribe(member, await endpoint.subscribe("/devices/milo"));
  const [milos] = subscriptionsOf(server.db, memberUser.id);
  expect((await deleteSubscription(admin, milos!.id)).status).toBe(404);
  expect((await admin.post(`${INDEX}/${milos!.id}/test_notifications`, {})).status).toBe(404);
  expect(await (await admin.get(INDEX)).text()).not.toContain("/devices/milo");
  expect(subscriptionsOf(server.db, memberUser.id)).toHaveLength(1);
  const stranger = new (admin.constructor as typeof Client)(server.url);
  expect((await stranger.get(INDEX)).status).toBe(303);
  expect(
    (await stranger.post(INDEX, subscriptionForm(await endpoint.subscribe("/devices/x")), { Accept: "application/json" })).status,
  ).toBe(401);

  const removed = await deleteSubscription(member, milos!.id);
  expect(removed.status).toBe(200);
  expect(await removed.text()).toContain("get notifications any more");
  expect(subscriptionsOf(server.db, memberUser.id)).toEqual([]);
});

test("a test notification arrives at the push service signed with the server's VAPID key and decrypts with the browser's keys", async () => {
  const { server, admin } = await pushServer();
  const keys = await endpoint.subscribe("/devices/test");
  await subscribe(admin, keys);
  const [subscription] = subscriptionsOf(server.db, 1);
  const response = await admin.post(`${INDEX}/${subscription!.id}/test_notifications`, {}, { "HX-Request": "true" });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain("Sent.");
  const [push] = await endpoint.waitFor(1);
  expect(endpoint.rejected).toEqual([]);
  expect(push!.publicKey).toBe(server.ctx.push.vapid.publicKey);
  expect(push!.jwt.sub).toBe("mailto:support@37signals.com");
  expect(push!.headers.get("urgency")).toBe("high");
  expect(push!.payload.title).toBe("Campfire Test");
  expect(push!.payload.options.data).toEqual({ path: INDEX, badge: 0 });
  expect(push!.payload.options.icon).toBe("/icons/campfire-192.png");
  expect(push!.payload.options.tag).toBe("campfire-test");
});

test("a device whose push service answers 404 or 410 is removed, and the person is told", async () => {
  const { server, admin } = await pushServer();
  for (const [path, status] of [
    ["/devices/gone", 410],
    ["/devices/unknown", 404],
  ] as const) {
    endpoint.statuses.set(path, status);
    await subscribe(admin, await endpoint.subscribe(path));
    const subscription = subscriptionsOf(server.db, 1).find((row) => row.endpoint.endsWith(path))!;
    const response = await admin.post(`${INDEX}/${subscription.id}/test_notifications`, {}, { "HX-Request": "true" });
    expect(await response.text()).toContain("so it was removed");
    expect(subscriptionsOf(server.db, 1).map((row) => row.endpoint)).not.toContain(subscription.endpoint);
  }
});

test("a push endpoint on a private network is never contacted: the guard refuses it and the subscription goes", async () => {
  const { server, admin } = await startQuickSetUpServer(
    // Without the test's allowance: push.test resolves to 127.0.0.1, which is private.
    (() => {
      const s = startConfiguredTestServer({}, makeDataDir(), { networkGuard: { resolve: endpoint.guard.resolve, ca: endpoint.ca } });
      servers.push(s);
      return s;
    })(),
  );
  await subscribe(admin, await endpoint.subscribe("/devices/private"));
  const [subscription] = subscriptionsOf(server.db, 1);
  await admin.post(`${INDEX}/${subscription!.id}/test_notifications`, {}, { "HX-Request": "true" });
  expect(subscriptionsOf(server.db, 1)).toEqual([]);
  await Bun.sleep(100);
  expect(endpoint.received.length + endpoint.rejected.length).toBe(0);
});
