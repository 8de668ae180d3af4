import { afterEach, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { createAccount } from "../../src/accounts/accounts.ts";
import { createBot } from "../../src/bots/bots.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrations.ts";
import { createOpenRoom } from "../../src/rooms/rooms.ts";
import { databasePath } from "../../src/server.ts";
import { createUser } from "../../src/users/users.ts";
import { ADMIN } from "../helpers/fixtures.ts";
import { freePort, waitUntilUp } from "../helpers/processes.ts";
import { makeDataDir } from "../helpers/server.ts";
import { until } from "../helpers/until.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const children: Subprocess[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill(9);
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/**
 * Principle 4 for webhooks, the hard way: a real server process is killed with SIGKILL while a
 * delivery is in flight (the receiver has it and has not answered), then started again on the same
 * data directory. The delivery is made again (at least once, with the same X-Campfire-Delivery so
 * a receiver can tell), and the bot's reply appears in the room exactly once.
 */
test("a webhook delivery in flight when the server is killed is delivered after the restart, and answered once", async () => {
  const deliveries: string[] = [];
  let hang = true;
  const receiver = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) => {
      deliveries.push(request.headers.get("x-campfire-delivery") ?? "");
      if (hang) await Bun.sleep(60_000); // the server dies while waiting for this answer
      return new Response("back after the crash", { headers: { "content-type": "text/plain" } });
    },
  });
  cleanups.push(() => receiver.stop(true));

  const dir = makeDataDir();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(databasePath(dir));
  migrate(db);
  const { poster, hook } = db.transaction(() => {
    createAccount(db, "Crash Test");
    const admin = createUser(db, { name: ADMIN.name, emailAddress: ADMIN.email, passwordDigest: "x", role: "admin" });
    createOpenRoom(db, admin, "All Talk");
    return {
      poster: createBot(db, { name: "Poster", webhookUrl: null }),
      hook: createBot(db, { name: "Hook", webhookUrl: `${receiver.url.href}hook` }),
    };
  })();
  db.close();

  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const start = async () => {
    const child = Bun.spawn([process.execPath, MAIN, "serve"], {
      env: { PATH: process.env.PATH!, CAMPFIRE_DATA_DIR: dir, PORT: String(port), HOST: "127.0.0.1" },
      stdout: "ignore",
      stderr: "ignore",
    });
    children.push(child);
    await waitUntilUp(base);
    return child;
  };
  const first = await start();
  const posted = await fetch(`${base}/rooms/1/${poster.key}/messages`, { method: "POST", body: "@Hook ship it" });
  expect(posted.status).toBe(201);
  const messageId = Number(posted.headers.get("location")!.split("/").at(-1));
  await until(() => deliveries.length === 1, 10_000);
  first.kill(9);
  await first.exited;

  hang = false;
  await start();
  await until(() => deliveries.length === 2, 10_000);
  expect(deliveries).toEqual([`${messageId}-${hook.id}`, `${messageId}-${hook.id}`]);
  const replies = async () => {
    const response = await fetch(`${base}/rooms/1/${poster.key}/messages`);
    const messages = (await response.json()) as { creator: { id: number }; body: { plain_text: string } }[];
    return messages.filter((m) => m.creator.id === hook.id).map((m) => m.body.plain_text);
  };
  const deadline = performance.now() + 10_000;
  while ((await replies()).length === 0 && performance.now() < deadline) await Bun.sleep(20);
  await Bun.sleep(300); // room for a second reply, if there were going to be one
  expect(await replies()).toEqual(["back after the crash"]);
  expect(deliveries).toHaveLength(2);
}, 30_000);
