import { afterEach, beforeEach, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import type { Server } from "bun";
import { type Bot, createBot, deactivateBot, updateBot } from "../../src/bots/bots.ts";
import { TIMEOUT_REPLY, WEBHOOK_JOB } from "../../src/bots/webhooks.ts";
import { enqueueJob } from "../../src/jobs/jobs.ts";
import type { User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { addSignedInMember, createRoom, messageIdsIn, postMessage, startQuickSetUpServer } from "../helpers/fixtures.ts";
import { pngOf } from "../helpers/images.ts";
import { startConfiguredTestServer, type TestServer } from "../helpers/server.ts";
import { until } from "../helpers/until.ts";

type Delivery = { body: string; json: Record<string, unknown>; headers: Headers };

let server: TestServer;
let admin: Client;
let member: Client;
let memberUser: User;
let receiver: Server<undefined>;
let deliveries: Delivery[];
/** What the receiver answers to the n-th delivery (from 0). */
let answer: (n: number, delivery: Delivery) => Response | Promise<Response>;
let bot: Bot;
const ALL_TALK = 1;

beforeEach(async () => {
  deliveries = [];
  answer = () => new Response(null, { status: 204 });
  receiver = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) => {
      const body = await request.text();
      const delivery = { body, json: JSON.parse(body), headers: request.headers };
      deliveries.push(delivery);
      return answer(deliveries.length - 1, delivery);
    },
  });
  // Retries after milliseconds and a 300 ms timeout, so the suite needn't wait for the real 7 s.
  const running = startConfiguredTestServer({}, undefined, { webhookTimeoutMs: 300, jobs: { backoffMs: 20, maxBackoffMs: 40 } });
  ({ server, admin } = await startQuickSetUpServer(running));
  ({ client: member, user: memberUser } = await addSignedInMember(server));
  bot = createBot(server.db, { name: "Hook Bot", webhookUrl: `${receiver.url.href}hook` });
});
afterEach(async () => {
  await server.close();
  receiver.stop(true);
});

async function memberPosts(body: string, room = ALL_TALK): Promise<number> {
  const response = await postMessage(member, room, body);
  expect(response.status).toBe(201);
  return messageIdsIn(await response.text())[0]!;
}
const botMessages = (room = ALL_TALK) =>
  server.db
    .query<{ body_plain: string; body_html: string; attachment_id: number | null }, [number, number]>(
      "SELECT body_plain, body_html, attachment_id FROM messages WHERE room_id = ? AND creator_id = ? ORDER BY id",
    )
    .all(room, bot.id);
const pendingJobs = () => (server.db.query("SELECT count(*) AS n FROM jobs WHERE failed_at IS NULL").get() as { n: number }).n;

test("a mention sends the original's payload, signed with the bot's secret", async () => {
  const id = await memberPosts("@Hook Bot  deploy  the app ");
  await until(() => deliveries.length === 1);
  const [delivery] = deliveries;
  expect(delivery!.json).toEqual({
    user: { id: memberUser.id, name: "Milo Member" },
    room: { id: ALL_TALK, name: "All Talk", path: `/rooms/${ALL_TALK}/${bot.key}/messages` },
    message: {
      id,
      body: { html: expect.stringContaining(">@Hook Bot</span>"), plain: "deploy  the app" },
      path: `/rooms/${ALL_TALK}/@${id}`,
    },
  });
  expect(delivery!.headers.get("content-type")).toBe("application/json");
  // What a receiver does: the HMAC of the exact body with the secret from the bot's page.
  const expected = `sha256=${createHmac("sha256", bot.webhookSecret!).update(delivery!.body).digest("hex")}`;
  expect(delivery!.headers.get("x-campfire-signature")).toBe(expected);
  expect(delivery!.headers.get("x-campfire-delivery")).toBe(`${id}-${bot.id}`);
  await until(() => pendingJobs() === 0);
});

test("a text/plain answer is posted back as the bot; text/html is kept as formatting", async () => {
  answer = (n) =>
    n === 0
      ? new Response("Deployed <b>v2</b>", { headers: { "content-type": "text/plain; charset=utf-8" } })
      : new Response("<p>All <strong>green</strong><script>x()</script></p>", { headers: { "content-type": "text/html" } });
  await memberPosts("@Hook Bot deploy");
  await until(() => botMessages().length === 1);
  await memberPosts("@Hook Bot status");
  await until(() => botMessages().length === 2);
  const [text, html] = botMessages();
  expect(text).toMatchObject({ body_plain: "Deployed <b>v2</b>" });
  expect(text!.body_html).toContain("&lt;b&gt;");
  expect(html!.body_html).toContain("<strong>green</strong>");
  expect(html!.body_html).not.toContain("script");
});

test("another media type becomes an attachment", async () => {
  answer = () => new Response(pngOf(4, 4), { headers: { "content-type": "image/png" } });
  await memberPosts("@Hook Bot chart please");
  await until(() => botMessages().length === 1);
  const attachment = server.db.query("SELECT filename, content_type FROM attachments WHERE id = ?").get(botMessages()[0]!.attachment_id!);
  expect(attachment).toEqual({ filename: "attachment.png", content_type: "image/png" });
});

test("a 500 is retried, and the answer that follows is posted once", async () => {
  answer = (n) =>
    n === 0 ? new Response("oops", { status: 500 }) : new Response("second time lucky", { headers: { "content-type": "text/plain" } });
  const id = await memberPosts("@Hook Bot try again");
  await until(() => botMessages().length === 1 && pendingJobs() === 0);
  expect(deliveries.map((d) => d.headers.get("x-campfire-delivery"))).toEqual([`${id}-${bot.id}`, `${id}-${bot.id}`]);
  expect(botMessages().map((m) => m.body_plain)).toEqual(["second time lucky"]);
});

test("a delivery run again (its completion lost in a crash) does not post its reply twice", async () => {
  answer = () => new Response("done once", { headers: { "content-type": "text/plain" } });
  const id = await memberPosts("@Hook Bot do it");
  await until(() => botMessages().length === 1 && pendingJobs() === 0);
  // What a crash between posting the reply and deleting the job leaves: the same job, due again.
  enqueueJob(server.db, WEBHOOK_JOB, { bot_id: bot.id, room_id: ALL_TALK, message_id: id });
  await until(() => deliveries.length === 2 && pendingJobs() === 0);
  expect(botMessages().map((m) => m.body_plain)).toEqual(["done once"]);
});

test("a receiver that doesn't answer in time gets the original's apology posted", async () => {
  answer = async () => {
    await Bun.sleep(2_000);
    return new Response("too late", { headers: { "content-type": "text/plain" } });
  };
  await memberPosts("@Hook Bot are you there?");
  await until(() => botMessages().length === 1);
  expect(botMessages().map((m) => m.body_plain)).toEqual([TIMEOUT_REPLY]);
  expect(TIMEOUT_REPLY).toBe("Failed to respond within 7 seconds");
});

test("a receiver that can't be reached is retried, then the failure is shown on the bot's page", async () => {
  receiver.stop(true);
  await memberPosts("@Hook Bot anyone?");
  await until(() => (server.db.query("SELECT count(*) AS n FROM jobs WHERE failed_at IS NOT NULL").get() as { n: number }).n === 1, 10_000);
  const job = server.db.query<{ attempts: number; last_error: string }, []>("SELECT attempts, last_error FROM jobs").get()!;
  expect(job.attempts).toBe(6);
  expect(job.last_error).toContain("could not reach");
  const page = await (await admin.get(`/account/bots/${bot.id}/edit`)).text();
  expect(page).toContain("could not reach");
  expect(page).toContain("6 tries");
});

test("a 404 answer gives up at once, kept for the bot's page", async () => {
  answer = () => new Response("no such hook", { status: 404, headers: { "content-type": "text/plain" } });
  await memberPosts("@Hook Bot hello");
  await until(() => (server.db.query("SELECT count(*) AS n FROM jobs WHERE failed_at IS NOT NULL").get() as { n: number }).n === 1);
  expect(deliveries).toHaveLength(1);
  expect(botMessages()).toEqual([]);
});

test("every message in a direct room with the bot is delivered, mention or not", async () => {
  const room = await createRoom(member, "directs", { user_ids: [bot.id] });
  await memberPosts("just talking to you", room);
  await until(() => deliveries.length === 1);
  expect(deliveries[0]!.json).toMatchObject({ room: { id: room, name: null }, message: { body: { plain: "just talking to you" } } });
});

test("no delivery for messages without a mention, edits, the bot's own posts, or webhook replies", async () => {
  // The reply mentions another bot with a webhook: were replies delivered, two bots could talk forever.
  createBot(server.db, { name: "Other Bot", webhookUrl: `${receiver.url.href}other` });
  answer = () => new Response("@Hook Bot @Other Bot over to you", { headers: { "content-type": "text/plain" } });
  const plain = await memberPosts("nothing for bots here");
  await member.request(`/rooms/${ALL_TALK}/messages/${plain}`, { method: "PATCH", form: { body: "@Hook Bot edited in" } });
  const response = await fetch(`${server.url}/rooms/${ALL_TALK}/${bot.key}/messages`, {
    method: "POST",
    body: "@Hook Bot talking to myself",
  });
  expect(response.status).toBe(201);
  await memberPosts("@Hook Bot one real mention");
  await until(() => botMessages().length === 2);
  await Bun.sleep(300);
  // One delivery (the real mention); its reply mentions both bots but triggers nothing.
  expect(deliveries).toHaveLength(1);
  expect(botMessages().map((m) => m.body_plain)).toEqual(["@Hook Bot talking to myself", "@Hook Bot @Other Bot over to you"]);
  expect(pendingJobs()).toBe(0);
});

test("a bot whose webhook was removed, or that was deactivated, is not called", async () => {
  updateBot(server.db, bot.id, { name: bot.name, webhookUrl: null });
  await memberPosts("@Hook Bot are you listening?");
  updateBot(server.db, bot.id, { name: bot.name, webhookUrl: `${receiver.url.href}hook` });
  const room = await createRoom(member, "directs", { user_ids: [bot.id] });
  deactivateBot(server.db, bot.id);
  await memberPosts("still there?", room);
  await Bun.sleep(300);
  expect(deliveries).toEqual([]);
  expect(pendingJobs()).toBe(0);
});
