import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createUser, findUserByEmail, type User } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { ADMIN, addMember, MEMBER, signIn, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
beforeEach(async () => {
  ({ server, admin } = await startSetUpServer());
});
afterEach(() => server.close());

type Match = { id: number; name: string; avatar_url: string };

// People who never sign in in these tests need no real password, and skipping bcrypt keeps the tests fast.
const addPerson = (name: string): User =>
  createUser(server.db, {
    name,
    emailAddress: `${name.toLowerCase().replace(/\W+/g, ".")}@example.com`,
    passwordDigest: "not a real digest",
    role: "member",
  });

const addBot = (name: string): number =>
  Number(
    server.db
      .query("INSERT INTO users (name, role, bot_token, created_at, updated_at) VALUES (?, 'bot', ?, 0, 0)")
      .run(name, crypto.randomUUID()).lastInsertRowid,
  );

// Closed rooms are built by the rooms module later; a row and its memberships are all these tests need.
function addClosedRoom(name: string, members: User[]): number {
  const roomId = Number(
    server.db
      .query("INSERT INTO rooms (kind, name, creator_id, created_at, updated_at) VALUES ('closed', ?, ?, 0, 0)")
      .run(name, members[0]!.id).lastInsertRowid,
  );
  for (const member of members) {
    server.db.query("INSERT INTO memberships (room_id, user_id, created_at) VALUES (?, ?, 0)").run(roomId, member.id);
  }
  return roomId;
}

const autocomplete = (client: Client, params: Record<string, string> = {}) =>
  client.get(`/autocompletable/users?${new URLSearchParams(params)}`, { Accept: "application/json" });

async function namesFor(client: Client, params: Record<string, string>): Promise<string[]> {
  const response = await autocomplete(client, params);
  expect(response.status).toBe(200);
  return ((await response.json()) as Match[]).map((match) => match.name);
}

describe("matching", () => {
  test("answers id, name and avatar URL of active people whose name contains the query", async () => {
    const bob = addPerson("Bob Brown");
    addPerson("Carol Chen");
    const response = await autocomplete(admin, { query: "bob" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual([{ id: bob.id, name: "Bob Brown", avatar_url: `/users/${bob.id}/avatar?v=initials` }]);
  });

  test("ignores case and matches anywhere in the name, ordered by name", async () => {
    for (const name of ["rob roy", "Bob Brown", "Carol Chen", "BOBBY Tables"]) addPerson(name);
    expect(await namesFor(admin, { query: "BOB" })).toEqual(["Bob Brown", "BOBBY Tables"]);
    expect(await namesFor(admin, { query: "ob" })).toEqual(["Bob Brown", "BOBBY Tables", "rob roy"]);
    expect(await namesFor(admin, { query: "  roy  " })).toEqual(["rob roy"]);
  });

  test("an empty or missing query lists everyone active", async () => {
    addPerson("Carol Chen");
    expect(await namesFor(admin, {})).toEqual([ADMIN.name, "Carol Chen"]);
    expect(await namesFor(admin, { query: "" })).toEqual([ADMIN.name, "Carol Chen"]);
  });

  test("wildcard characters in the query are taken literally", async () => {
    addPerson("Carol Chen");
    addPerson("100% Dana");
    expect(await namesFor(admin, { query: "%" })).toEqual(["100% Dana"]);
    expect(await namesFor(admin, { query: "_" })).toEqual([]);
    expect(await namesFor(admin, { query: "\\" })).toEqual([]);
  });

  test("answers at most 20 people", async () => {
    for (let i = 10; i < 35; i++) addPerson(`Person ${i}`);
    const names = await namesFor(admin, { query: "person" });
    expect(names).toHaveLength(20);
    expect(names[0]).toBe("Person 10");
    expect(names.at(-1)).toBe("Person 29");
  });

  test("includes bots but leaves out deactivated and banned people", async () => {
    const gone = addPerson("Zed Gone");
    const banned = addPerson("Zed Banned");
    addPerson("Zed Here");
    addBot("Zed Bot");
    server.db.query("UPDATE users SET status = 'deactivated' WHERE id = ?").run(gone.id);
    server.db.query("UPDATE users SET status = 'banned' WHERE id = ?").run(banned.id);
    expect(await namesFor(admin, { query: "zed" })).toEqual(["Zed Bot", "Zed Here"]);
  });
});

describe("within a room", () => {
  test("only the room's members match", async () => {
    const adminUser = findUserByEmail(server.db, ADMIN.email)!;
    const bob = addPerson("Bob Brown");
    addPerson("Bobby Outsider");
    const roomId = addClosedRoom("Secret plans", [adminUser, bob]);
    expect(await namesFor(admin, { query: "bob", room_id: String(roomId) })).toEqual(["Bob Brown"]);
    expect(await namesFor(admin, { room_id: String(roomId) })).toEqual([ADMIN.name, "Bob Brown"]);
  });

  test("an open room matches everyone in it", async () => {
    addPerson("Bob Brown");
    expect(await namesFor(admin, { room_id: "1" })).toEqual([ADMIN.name, "Bob Brown"]);
  });

  test("a room the asker is not in is a 404, exactly like a room that does not exist", async () => {
    await addMember(server);
    const bob = addPerson("Bob Brown");
    const roomId = addClosedRoom("Not for Milo", [findUserByEmail(server.db, ADMIN.email)!, bob]);
    const { client } = await signIn(server, MEMBER.email, MEMBER.password);

    const hidden = await autocomplete(client, { query: "bob", room_id: String(roomId) });
    const missing = await autocomplete(client, { query: "bob", room_id: "999" });
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await hidden.json()).toEqual(await missing.json());
  });
});

describe("refusals", () => {
  test("a stranger gets 401 JSON, whatever they accept", async () => {
    const stranger = new Client(server.url);
    const acceptHeaders: Record<string, string>[] = [{ Accept: "application/json" }, {}];
    for (const headers of acceptHeaders) {
      const response = await stranger.get("/autocompletable/users?query=a", headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.any(String) });
    }
  });

  const badParams: [string, Record<string, string>][] = [
    ["a room id that is not a number", { room_id: "abc" }],
    ["a room id of zero", { room_id: "0" }],
    ["a negative room id", { room_id: "-1" }],
    ["a fractional room id", { room_id: "1.5" }],
    ["an empty room id", { room_id: "" }],
    ["a query over 100 characters", { query: "a".repeat(101) }],
  ];
  for (const [what, params] of badParams) {
    test(`${what} answers 422 with a JSON error`, async () => {
      const response = await autocomplete(admin, params);
      expect(response.status).toBe(422);
      const body = (await response.json()) as { error: string };
      expect(body.error.length).toBeGreaterThan(0);
    });
  }

  test("a repeated query parameter is refused, not guessed at", async () => {
    const response = await admin.get("/autocompletable/users?query=a&query=b");
    expect(response.status).toBe(422);
  });
});
