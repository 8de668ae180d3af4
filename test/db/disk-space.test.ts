import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Client } from "../helpers/client.ts";
import { postMessage, startQuickSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { openSocket } from "../helpers/socket.ts";

let server: TestServer;
let admin: Client;
beforeEach(async () => {
  ({ server, admin } = await startQuickSetUpServer());
});
afterEach(() => server.close());

const messageCount = () => (server.db.query("SELECT count(*) AS n FROM messages").get() as { n: number }).n;
const pages = () => (server.db.query("PRAGMA page_count").get() as { page_count: number }).page_count;

// SQLite stands in for a full disk: past max_page_count, a write that needs a page fails with SQLITE_FULL.
const fillTheDisk = () => server.db.run(`PRAGMA max_page_count = ${pages()}`);
const freeSpace = () => server.db.run("PRAGMA max_page_count = 4294967294");

test("a post on a full disk answers 503 with a clear message, stores nothing, is logged once, and /up says so", async () => {
  fillTheDisk();
  let created = 0;
  let refused: Response | undefined;
  for (let i = 0; i < 500 && !refused; i++) {
    const response = await postMessage(admin, 1, `message ${i} ${"x".repeat(2000)}`);
    if (response.status === 201) created++;
    else refused = response;
  }
  expect(refused?.status).toBe(503);
  expect(await refused!.text()).toContain("disk is full");
  expect(messageCount()).toBe(created);

  const again = await admin.post("/rooms/1/messages", { body: `and again ${"x".repeat(2000)}` }, { "HX-Request": "true" });
  expect(again.status).toBe(503);
  expect(await again.text()).toContain("disk is full");
  expect(messageCount()).toBe(created);
  expect(server.logs.filter((line) => line.includes("disk is full"))).toHaveLength(1);
  expect(server.logs.filter((line) => line.includes("request failed"))).toHaveLength(0);

  const up = await fetch(`${server.url}/up`);
  expect(up.status).toBe(503);
  expect(await up.text()).toContain("unwritable");

  freeSpace();
  await Bun.sleep(1100); // /up probes again at most once a second
  expect((await fetch(`${server.url}/up`)).status).toBe(200);
  expect((await postMessage(admin, 1, "space again")).status).toBe(201);
});

test("a socket frame whose write finds the disk full is logged once, closes that socket for a retry, and /up says so", async () => {
  const socket = await openSocket(server, admin);
  fillTheDisk();
  // Presence updates rewrite a row in place and never need a page; this trigger makes each one
  // also add a row, as on a real full disk, where even an in-place write needs room in the WAL.
  server.db.run(
    `CREATE TEMP TRIGGER presence_needs_space AFTER UPDATE ON main.memberships
     BEGIN INSERT INTO main.searches (user_id, query, updated_at) VALUES (NEW.user_id, hex(randomblob(90)), 0); END`,
  );
  for (let i = 0; ; i++) {
    try {
      server.db.run("INSERT INTO searches (user_id, query, updated_at) VALUES (1, ?, 0)", [`filler ${i} ${"y".repeat(150)}`]);
    } catch {
      break; // no room left for another row
    }
  }
  socket.send({ type: "enter", room_id: 1 });
  expect((await socket.closed).code).toBe(1011);
  const second = await openSocket(server, admin);
  second.send({ type: "enter", room_id: 1 });
  expect((await second.closed).code).toBe(1011);

  expect(server.logs.filter((line) => line.includes("disk is full"))).toHaveLength(1);
  expect(server.logs.filter((line) => line.includes("socket message failed"))).toHaveLength(0);
  expect((await fetch(`${server.url}/up`)).status).toBe(503);
  server.db.run("DROP TRIGGER presence_needs_space");
});
