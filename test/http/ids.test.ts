import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Client } from "../helpers/client.ts";
import { messageIdsIn, postMessage, sendForm, startQuickSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
beforeAll(async () => {
  ({ server, admin } = await startQuickSetUpServer());
  expect((await postMessage(admin, 1, "the first message")).status).toBe(201);
});
afterAll(() => server.close());

// Each would coerce to 1 (room 1 and message 1 exist), but only "1" is how an id is written.
const NOT_CANONICAL = ["0x1", "%201", "1%20", "01", "1e0", "+1", "1.0", "0b1", "%EF%BC%91" /* fullwidth 1 */];

test("ids in paths are canonical positive integers only; any other spelling is 404 on every route", async () => {
  const answers: string[] = [];
  // Deletions last, so that a route that wrongly accepts one spelling cannot hide the others' answers.
  const routes: ((id: string) => [string, string, Record<string, string>?])[] = [
    (id) => ["GET", `/rooms/${id}`],
    (id) => ["GET", `/rooms/${id}/edit`],
    (id) => ["GET", `/rooms/1/@${id}`],
    (id) => ["PATCH", `/rooms/opens/${id}`, { name: "Renamed" }],
    (id) => ["PATCH", `/rooms/closeds/${id}`, { name: "Renamed" }],
    (id) => ["PATCH", `/rooms/${id}/involvement`, { involvement: "everything" }],
    (id) => ["GET", `/rooms/${id}/messages`],
    (id) => ["POST", `/rooms/${id}/messages`, { body: "hello" }],
    (id) => ["GET", `/rooms/1/messages/${id}`],
    (id) => ["GET", `/rooms/${id}/messages/1`],
    (id) => ["GET", `/rooms/1/messages/${id}/edit`],
    (id) => ["PATCH", `/rooms/1/messages/${id}`, { body: "edited" }],
    (id) => ["DELETE", `/rooms/1/messages/${id}`],
    (id) => ["DELETE", `/rooms/${id}`],
  ];
  for (const route of routes)
    for (const id of NOT_CANONICAL) {
      const [method, path, form] = route(id);
      const response = await sendForm(admin, path, form ?? {}, { method });
      if (response.status !== 404) answers.push(`${method} ${path} → ${response.status}`);
    }
  expect(answers).toEqual([]);
  expect(messageIdsIn(await (await admin.get("/rooms/1/messages")).text())).toHaveLength(1);
  expect((await admin.get("/rooms/1")).status).toBe(200);
});

test("paging may start from the very first message: after=0", async () => {
  const response = await admin.get("/rooms/1/messages?after=0");
  expect(response.status).toBe(200);
  expect(messageIdsIn(await response.text())).toHaveLength(1);
});
