/** @jsxImportSource hono/jsx */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { SERVER_ERROR_CLOSE_CODE } from "../../src/realtime/protocol.ts";
import { sweepPresence } from "../../src/rooms/broadcasts.ts";
import { CONNECTION_TTL_MS, presentUsers } from "../../src/rooms/presence.ts";
import { PRESENCE_FACES, presenceHtml } from "../../templates/rooms/presence.ts";
import type { Client } from "../helpers/client.ts";
import { addSignedInMember, createRoom, MEMBER, postMessage, signIn, startSetUpServer, THIRD } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { carrying, frameOf, kindOf, messageIdFrom, openSocket, presentNames, WebSocketWithHeaders } from "../helpers/socket.ts";

const ALL_TALK = 1;

let server: TestServer;
let admin: Client;
beforeEach(async () => {
  ({ server, admin } = await startSetUpServer());
});
afterEach(() => server.close());

const cookieOf = (client: Client) => [...client.cookies].map(([name, value]) => `${name}=${value}`).join("; ");

/** The status /cable answers a WebSocket handshake with, asked over plain HTTP. */
async function handshakeStatus(headers: Record<string, string>): Promise<number> {
  const response = await fetch(server.url + "/cable", {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "sec-websocket-version": "13",
      ...headers,
    },
  });
  await response.arrayBuffer();
  return response.status;
}

/** Whether a real WebSocket with these headers opens (true) or is refused (false). */
function webSocketOpens(headers: Record<string, string>): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocketWithHeaders(server.url.replace(/^http/, "ws") + "/cable", { headers });
    ws.addEventListener("open", () => {
      ws.close();
      resolve(true);
    });
    ws.addEventListener("error", () => resolve(false));
    ws.addEventListener("close", () => resolve(false));
  });
}

const membership = (userId: number, roomId: number) =>
  server.db
    .query<{ connections: number; connectedAt: number | null }, [number, number]>(
      "SELECT connections, connected_at AS connectedAt FROM memberships WHERE user_id = ? AND room_id = ?",
    )
    .get(userId, roomId)!;

const adminId = () => (server.db.query("SELECT id FROM users WHERE role = 'admin'").get() as { id: number }).id;

describe("opening /cable", () => {
  test("without a session the handshake is refused with 401", async () => {
    expect(await handshakeStatus({ origin: server.url })).toBe(401);
    expect(await handshakeStatus({ origin: server.url, cookie: "session_token=not-a-real-token" })).toBe(401);
    expect(await webSocketOpens({ origin: server.url })).toBe(false);
  });

  test("a page on another site cannot open it with the person's cookie: 403", async () => {
    expect(await handshakeStatus({ cookie: cookieOf(admin), origin: "https://evil.example" })).toBe(403);
    expect(await handshakeStatus({ cookie: cookieOf(admin), origin: "null" })).toBe(403);
    expect(await webSocketOpens({ cookie: cookieOf(admin), origin: "https://evil.example" })).toBe(false);
    expect(await webSocketOpens({ cookie: cookieOf(admin), origin: server.url })).toBe(true);
  });

  test("a signed-in tab on our own page opens it and is registered as the person's", async () => {
    const socket = await openSocket(server, admin);
    expect(server.ctx.connections.socketsOf(adminId())).toHaveLength(1);
    socket.close();
    await socket.closed; // the server has run its close handler before it answers the close
    expect(server.ctx.connections.size).toBe(0);
  });
});

describe("frames the server does not understand", () => {
  test("invalid JSON and unknown or malformed frames are ignored without closing the socket", async () => {
    const socket = await openSocket(server, admin);
    for (const junk of [
      "not json",
      "{",
      "[]",
      "null",
      "42",
      JSON.stringify({ type: "shout", room_id: ALL_TALK }),
      JSON.stringify({ room_id: ALL_TALK }),
      JSON.stringify({ type: "enter", room_id: "one" }),
      JSON.stringify({ type: "enter", room_id: -1 }),
      JSON.stringify({ type: "enter", room_id: ALL_TALK, since: -5 }),
      JSON.stringify({ type: "enter", room_id: ALL_TALK, after: -5 }),
      JSON.stringify({ type: "typing", room_id: ALL_TALK, state: "maybe" }),
    ])
      socket.send(junk);
    await socket.sync();
    expect(socket.isOpen).toBe(true);
    // None of the malformed enters did anything: no presence, no read mark, no catch-up.
    expect(socket.frames.filter((frame) => kindOf(frame) !== "room-removed")).toEqual([]);
    expect(membership(adminId(), ALL_TALK).connections).toBe(0);
    // And the socket still works.
    await socket.enter(ALL_TALK);
    const id = messageIdFrom(await postMessage(admin, ALL_TALK, "still here"));
    await socket.waitFor(carrying(id));
  });
});

describe("presence", () => {
  test("tabs entering together reach the others as one presence update, not one each", async () => {
    const watcher = await openSocket(server, admin);
    await watcher.enter(ALL_TALK);
    await Bun.sleep(200); // let the watcher's own arrival go out first
    const from = watcher.frames.length;
    const { client: milo } = await addSignedInMember(server);
    const tabs = await Promise.all(Array.from({ length: 20 }, () => openSocket(server, milo)));
    await Promise.all(tabs.map((tab) => tab.enter(ALL_TALK)));
    const update = await watcher.waitFor(frameOf("presence", ALL_TALK), 3_000, from);
    expect(presentNames(update)).toEqual(["Ada Admin", MEMBER.name]);
    await Bun.sleep(200);
    // One per 50 ms at most while they arrive; without coalescing there would be twenty.
    expect(watcher.frames.slice(from).filter(frameOf("presence", ALL_TALK)).length).toBeLessThan(10);
  });

  test("a crowded room shows twelve faces and how many more are here", () => {
    const users = Array.from({ length: 15 }, (_, i) => ({ id: i + 1, name: `Person ${String(i + 1).padStart(2, "0")}`, avatarKey: null }));
    const html = presenceHtml(ALL_TALK, users, true).text;
    expect(html.match(/class="avatar /g)).toHaveLength(PRESENCE_FACES);
    expect(html).toContain("+3");
    expect(html).toContain("Person 12 and 3 more");
    expect(html).not.toContain("Person 13");
  });

  test("entering lists the person as here now; leaving and closing drop them", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const watcher = await openSocket(server, admin);
    await watcher.enter(ALL_TALK);

    const tab = await openSocket(server, milo);
    let from = watcher.frames.length;
    await tab.enter(ALL_TALK);
    const entered = await watcher.waitFor(frameOf("presence", ALL_TALK), 3_000, from);
    expect(presentNames(entered)).toEqual(["Ada Admin", MEMBER.name]);
    expect(membership(user.id, ALL_TALK).connections).toBe(1);

    from = watcher.frames.length;
    await tab.leave(ALL_TALK);
    expect(presentNames(await watcher.waitFor(frameOf("presence", ALL_TALK), 3_000, from))).toEqual(["Ada Admin"]);
    expect(membership(user.id, ALL_TALK)).toEqual({ connections: 0, connectedAt: null });

    await tab.enter(ALL_TALK);
    from = watcher.frames.length;
    tab.close();
    expect(presentNames(await watcher.waitFor(frameOf("presence", ALL_TALK), 3_000, from))).toEqual(["Ada Admin"]);
    expect(membership(user.id, ALL_TALK)).toEqual({ connections: 0, connectedAt: null });
  });

  test("with two tabs open, closing one keeps the person present", async () => {
    const { client: milo } = await addSignedInMember(server);
    const watcher = await openSocket(server, admin);
    await watcher.enter(ALL_TALK);
    const first = await openSocket(server, milo);
    const second = await openSocket(server, milo);
    await first.enter(ALL_TALK);
    await second.enter(ALL_TALK);

    const from = watcher.frames.length;
    first.close();
    expect(presentNames(await watcher.waitFor(frameOf("presence", ALL_TALK), 3_000, from))).toEqual(["Ada Admin", MEMBER.name]);
  });

  test("entering the same room twice from one tab still counts that tab once", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const watcher = await openSocket(server, admin);
    await watcher.enter(ALL_TALK);
    const tab = await openSocket(server, milo);
    await tab.enter(ALL_TALK);
    await tab.enter(ALL_TALK);
    expect(membership(user.id, ALL_TALK).connections).toBe(1);

    const from = watcher.frames.length;
    tab.close();
    expect(presentNames(await watcher.waitFor(frameOf("presence", ALL_TALK), 3_000, from))).toEqual(["Ada Admin"]);
  });

  test("a ping keeps the tab's presence fresh", async () => {
    const socket = await openSocket(server, admin);
    await socket.enter(ALL_TALK);
    const stale = Date.now() - 2 * CONNECTION_TTL_MS;
    server.db.query("UPDATE memberships SET connected_at = ? WHERE user_id = ? AND room_id = ?").run(stale, adminId(), ALL_TALK);
    expect(presentUsers(server.db, ALL_TALK)).toEqual([]);

    const before = Date.now();
    socket.send({ type: "ping" });
    await socket.sync();
    const { connections, connectedAt } = membership(adminId(), ALL_TALK);
    expect(connectedAt).toBeGreaterThanOrEqual(before);
    expect(connections).toBe(1);
    expect(presentUsers(server.db, ALL_TALK).map((user) => user.name)).toEqual(["Ada Admin"]);
  });

  test("a tab that goes silent leaves the list at the next sweep, and comes back with its next ping", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const watcher = await openSocket(server, admin);
    await watcher.enter(ALL_TALK);
    const tab = await openSocket(server, milo);
    await tab.enter(ALL_TALK);

    server.db
      .query("UPDATE memberships SET connected_at = ? WHERE user_id = ? AND room_id = ?")
      .run(Date.now() - 2 * CONNECTION_TTL_MS, user.id, ALL_TALK);
    let from = watcher.frames.length;
    sweepPresence(server.ctx);
    expect(presentNames(await watcher.waitFor(frameOf("presence", ALL_TALK), 3_000, from))).toEqual(["Ada Admin"]);
    expect(membership(user.id, ALL_TALK)).toEqual({ connections: 0, connectedAt: null });

    from = watcher.frames.length;
    tab.send({ type: "ping" });
    expect(presentNames(await watcher.waitFor(frameOf("presence", ALL_TALK), 3_000, from))).toEqual(["Ada Admin", MEMBER.name]);
    expect(membership(user.id, ALL_TALK).connections).toBe(1);

    // A sweep with nobody stale announces nothing.
    from = watcher.frames.length;
    sweepPresence(server.ctx);
    await watcher.sync();
    expect(watcher.frames.slice(from).filter(frameOf("presence"))).toEqual([]);
  });

  test("a ping from a tab that has entered no room changes nothing", async () => {
    const socket = await openSocket(server, admin);
    socket.send({ type: "ping" });
    await socket.sync();
    expect(socket.isOpen).toBe(true);
    expect(membership(adminId(), ALL_TALK)).toEqual({ connections: 0, connectedAt: null });
  });
});

describe("typing", () => {
  test("typing start and stop reach the others in the room, not the sender", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const adminTab = await openSocket(server, admin);
    const miloTab = await openSocket(server, milo);
    await adminTab.enter(ALL_TALK);
    await miloTab.enter(ALL_TALK);

    miloTab.send({ type: "typing", room_id: ALL_TALK, state: "start" });
    const start = await adminTab.waitFor(frameOf("typing", ALL_TALK));
    expect(start).toContain(`data-user-id="${user.id}"`);
    expect(start).toContain(`data-user-name="${MEMBER.name}"`);
    expect(start).toContain(`data-state="start"`);
    miloTab.send({ type: "typing", room_id: ALL_TALK, state: "stop" });
    await adminTab.waitFor((frame) => frameOf("typing", ALL_TALK)(frame) && frame.includes(`data-state="stop"`));

    // A message posted afterwards reaches Milo's tab after any typing frame would have.
    const marker = messageIdFrom(await postMessage(admin, ALL_TALK, "marker"));
    await miloTab.waitFor(carrying(marker));
    expect(miloTab.frames.filter(frameOf("typing"))).toEqual([]);
  });

  test("typing in a room the tab has not entered goes nowhere", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const secret = await createRoom(admin, "closeds", { name: "Secret", user_ids: [] });
    const adminTab = await openSocket(server, admin);
    await adminTab.enter(secret);
    await adminTab.enter(ALL_TALK);
    const miloTab = await openSocket(server, milo);
    miloTab.send({ type: "typing", room_id: secret, state: "start" });
    miloTab.send({ type: "typing", room_id: ALL_TALK, state: "start" });
    await miloTab.sync();

    const marker = messageIdFrom(await postMessage(admin, ALL_TALK, "marker"));
    await adminTab.waitFor(carrying(marker));
    expect(adminTab.frames.filter((frame) => frame.includes(`data-user-id="${user.id}"`))).toEqual([]);
  });
});

describe("signing out", () => {
  test("closes that session's sockets with 4401 while another session of the same person stays open", async () => {
    const { client: laptop } = await addSignedInMember(server);
    const { client: phone, response } = await signIn(server, MEMBER.email, MEMBER.password);
    expect(response.status).toBe(303);
    const laptopCookie = cookieOf(laptop);
    const laptopTab = await openSocket(server, laptop);
    const phoneTab = await openSocket(server, phone);
    await laptopTab.enter(ALL_TALK);

    expect((await laptop.request("/session", { method: "DELETE" })).status).toBe(303);
    expect(await laptopTab.closed).toEqual({ code: 4401, reason: "Signed out" });

    expect(phoneTab.isOpen).toBe(true);
    const from = phoneTab.frames.length;
    await postMessage(admin, ALL_TALK, "are you still there?");
    await phoneTab.waitFor(frameOf("activity", ALL_TALK), 3_000, from);
    expect(phoneTab.isOpen).toBe(true);

    // The ended session's cookie no longer opens a socket.
    expect(await handshakeStatus({ cookie: laptopCookie, origin: server.url })).toBe(401);
  });

  test("another person's sockets are untouched", async () => {
    const { client: milo } = await addSignedInMember(server);
    const { client: tess } = await addSignedInMember(server, THIRD);
    const miloTab = await openSocket(server, milo);
    const tessTab = await openSocket(server, tess);
    await milo.request("/session", { method: "DELETE" });
    expect((await miloTab.closed).code).toBe(4401);
    await tessTab.sync();
    expect(tessTab.isOpen).toBe(true);
  });
});

describe("a socket handler that fails", () => {
  /** A real failure inside the handlers: the database refuses to count this person's tabs in a room (entering and leaving do). */
  const failMembershipWritesOf = (userId: number) =>
    server.db.run(`CREATE TEMP TRIGGER fail_membership_writes BEFORE UPDATE OF connections ON main.memberships WHEN old.user_id = ${userId}
                   BEGIN SELECT RAISE(ABORT, 'injected membership failure'); END`);
  const healMembershipWrites = () => server.db.run("DROP TRIGGER temp.fail_membership_writes");

  test("a frame whose handling throws closes that socket with 1011 and logs it; the server and other tabs carry on", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const watcher = await openSocket(server, admin);
    await watcher.enter(ALL_TALK);
    const tab = await openSocket(server, milo);
    failMembershipWritesOf(user.id);

    tab.send({ type: "enter", room_id: ALL_TALK, since: 0 });
    expect(await tab.closed).toEqual({ code: SERVER_ERROR_CLOSE_CODE, reason: "Something went wrong on the server; reconnecting." });
    expect(server.logs.filter((line) => line.startsWith("error socket message failed"))).toHaveLength(1);
    expect(server.logs.find((line) => line.startsWith("error socket message failed"))).toContain("injected membership failure");

    expect((await fetch(server.url + "/up")).status).toBe(200);
    const id = messageIdFrom(await postMessage(admin, ALL_TALK, "still serving"));
    await watcher.waitFor(carrying(id));
    // Once the fault is gone, the same person reconnects as usual.
    healMembershipWrites();
    const again = await openSocket(server, milo);
    expect(kindOf(await again.enter(ALL_TALK))).toBe("read");
  });

  test("a close whose handling throws is logged, and the server carries on", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const tab = await openSocket(server, milo);
    await tab.enter(ALL_TALK);
    failMembershipWritesOf(user.id);
    tab.close();
    await tab.closed;
    const deadline = Date.now() + 2_000;
    while (!server.logs.some((line) => line.startsWith("error socket close failed")) && Date.now() < deadline) await Bun.sleep(10);
    expect(server.logs.find((line) => line.startsWith("error socket close failed"))).toContain("injected membership failure");
    expect(server.ctx.connections.size).toBe(0);
    healMembershipWrites();
    expect((await fetch(server.url + "/up")).status).toBe(200);
    const watcher = await openSocket(server, admin);
    expect(kindOf(await watcher.enter(ALL_TALK))).toBe("read");
  });
});
