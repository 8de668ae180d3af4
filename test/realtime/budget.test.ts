import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { postMessage as receiveMessage } from "../../src/messages/receive.ts";
import { CATCH_UP_ROWS_PER_MINUTE, FRAMES_PER_SECOND, MAX_SOCKETS_PER_PERSON } from "../../src/realtime/budget.ts";
import { POLICY_VIOLATION_CLOSE_CODE } from "../../src/realtime/protocol.ts";
import { MISSED_MESSAGES_CAP } from "../../src/realtime/socket.ts";
import { findRoom } from "../../src/rooms/rooms.ts";
import { findUserByEmail } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { ADMIN, addSignedInMember, postMessage, startQuickSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { carrying, frameOf, kindOf, messageIdFrom, openSocket, type TestSocket, WebSocketWithHeaders } from "../helpers/socket.ts";

const ALL_TALK = 1;

let server: TestServer;
let admin: Client;
beforeEach(async () => {
  ({ server, admin } = await startQuickSetUpServer());
});
afterEach(() => server.close());

/** Messages posted through the domain function the route uses (faster than HTTP for a backlog). */
async function seedMessages(count: number): Promise<void> {
  const user = findUserByEmail(server.db, ADMIN.email)!;
  const room = findRoom(server.db, ALL_TALK)!;
  for (let i = 0; i < count; i++) {
    const posted = await receiveMessage(server.ctx, user, room, {
      body: `backlog message ${i} with a few words`,
      clientMessageId: `seed-${i}`,
    });
    if (typeof posted === "string") throw new Error(posted);
  }
}

/** Times GET /up every 10 ms until `stop()` is called; resolves with every latency, in ms. */
function probeUp(): { stop: () => Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(server.url + "/up");
      await response.text();
      expect(response.status).toBe(200);
      latencies.push(performance.now() - started);
      await Bun.sleep(10);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
}

describe("one socket cannot stall the server", () => {
  test("a flood of 20,000 catch-up enters is closed with 1008 while /up stays fast for everyone else", async () => {
    await seedMessages(50);
    const bystander = await openSocket(server, admin);
    await bystander.enter(ALL_TALK);
    const flood = await openSocket(server, admin);
    const probe = probeUp();
    await Bun.sleep(50);

    const frame = JSON.stringify({ type: "enter", room_id: ALL_TALK, since: 0 });
    for (let i = 0; i < 20_000; i++) flood.send(frame);
    const closed = await Promise.race([flood.closed, Bun.sleep(5_000).then(() => null)]);
    await Bun.sleep(200); // /up keeps being timed just after the flood too
    const latencies = await probe.stop();

    expect(closed).toEqual({ code: POLICY_VIOLATION_CLOSE_CODE, reason: "Too many frames; slow down." });
    // It was answered for at most a second's allowance of frames, not for 20,000.
    expect(flood.frames.filter(frameOf("read", ALL_TALK)).length).toBeLessThanOrEqual(FRAMES_PER_SECOND);
    expect(latencies.length).toBeGreaterThan(5);
    expect(Math.max(...latencies)).toBeLessThan(200);
    // The person's other tab was never disturbed.
    const id = messageIdFrom(await postMessage(admin, ALL_TALK, "still flowing"));
    await bystander.waitFor(carrying(id));
  });

  test(`a socket that asks for more than ${CATCH_UP_ROWS_PER_MINUTE.toLocaleString("en")} catch-up rows in a minute is closed with 1008`, async () => {
    await seedMessages(MISSED_MESSAGES_CAP);
    const greedy = await openSocket(server, admin);
    // Each full catch-up reads the whole backlog; a handful a second stays within the frame budget.
    const allowed = Math.ceil(CATCH_UP_ROWS_PER_MINUTE / MISSED_MESSAGES_CAP);
    expect(allowed + 1).toBeLessThan(FRAMES_PER_SECOND);
    for (let i = 0; i <= allowed; i++) greedy.send({ type: "enter", room_id: ALL_TALK, since: 0 });
    const closed = await Promise.race([greedy.closed, Bun.sleep(5_000).then(() => null)]);
    expect(closed).toEqual({ code: POLICY_VIOLATION_CLOSE_CODE, reason: "Too many catch-ups in a minute; reload the page later." });
    expect(greedy.frames.filter(frameOf("messages", ALL_TALK))).toHaveLength(allowed);
  });

  test("a tab within its budget is never closed: enters, typing and pings at a person's pace", async () => {
    const tab = await openSocket(server, admin);
    for (let second = 0; second < 2; second++) {
      for (let i = 0; i < FRAMES_PER_SECOND / 3; i++) {
        tab.send({ type: "enter", room_id: ALL_TALK, since: 0 });
        tab.send({ type: "typing", room_id: ALL_TALK, state: "start" });
        tab.send({ type: "ping" });
      }
      await Bun.sleep(1_050);
    }
    await tab.sync();
    expect(tab.isOpen).toBe(true);
  });
});

describe("how many tabs one person may hold", () => {
  const cookieOf = (client: Client) => [...client.cookies].map(([name, value]) => `${name}=${value}`).join("; ");

  test(`${MAX_SOCKETS_PER_PERSON} tabs open; one more is refused with 429 until one closes, and others are not affected`, async () => {
    const tabs: TestSocket[] = [];
    for (let i = 0; i < MAX_SOCKETS_PER_PERSON; i++) tabs.push(await openSocket(server, admin));
    const handshake = await fetch(server.url + "/cable", {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
        cookie: cookieOf(admin),
        origin: server.url,
      },
    });
    expect(handshake.status).toBe(429);
    expect((await handshake.json()).error).toContain(`${MAX_SOCKETS_PER_PERSON} tabs`);
    const refused = await new Promise<boolean>((resolve) => {
      const ws = new WebSocketWithHeaders(server.url.replace(/^http/, "ws") + "/cable", {
        headers: { cookie: cookieOf(admin), origin: server.url },
      });
      ws.addEventListener("open", () => resolve(false));
      ws.addEventListener("error", () => resolve(true));
    });
    expect(refused).toBe(true);

    // Another person is not counted against them.
    const { client: milo } = await addSignedInMember(server);
    const miloTab = await openSocket(server, milo);
    expect(miloTab.isOpen).toBe(true);

    tabs[0]!.close();
    await tabs[0]!.closed;
    const again = await openSocket(server, admin);
    await again.enter(ALL_TALK);
  });

  test("of tabs opening all at once past the limit, exactly the limit stay open; the rest are refused or closed with 1008", async () => {
    const cookie = cookieOf(admin);
    const outcomes = await Promise.all(
      Array.from(
        { length: MAX_SOCKETS_PER_PERSON + 20 },
        () =>
          new Promise<{ opened: boolean; code: number | null }>((resolve) => {
            const ws = new WebSocketWithHeaders(server.url.replace(/^http/, "ws") + "/cable", { headers: { cookie, origin: server.url } });
            let opened = false;
            ws.addEventListener("open", () => {
              opened = true;
              setTimeout(() => resolve({ opened, code: null }), 300); // still open after a while: kept
            });
            ws.addEventListener("close", (event) => resolve({ opened, code: event.code }));
          }),
      ),
    );
    const kept = outcomes.filter((o) => o.code === null).length;
    expect(kept).toBe(MAX_SOCKETS_PER_PERSON);
    for (const outcome of outcomes.filter((o) => o.code !== null))
      expect(outcome.opened ? outcome.code : POLICY_VIOLATION_CLOSE_CODE).toBe(POLICY_VIOLATION_CLOSE_CODE);
    expect(server.ctx.connections.countOf(findUserByEmail(server.db, ADMIN.email)!.id)).toBe(MAX_SOCKETS_PER_PERSON);
  });
});

describe("read marks", () => {
  test("entering a room already read answers only the entering tab; the person's other tabs hear only of an unread one", async () => {
    const { client: milo } = await addSignedInMember(server);
    const elsewhere = await openSocket(server, milo);
    const tab = await openSocket(server, milo);
    expect(kindOf(await tab.enter(ALL_TALK))).toBe("read");
    await tab.leave(ALL_TALK);
    await elsewhere.sync();
    expect(elsewhere.frames.filter(frameOf("read"))).toEqual([]);

    // Now something is posted while Milo looks elsewhere: the room is unread, and reading it clears every tab's mark.
    await postMessage(admin, ALL_TALK, "news");
    await elsewhere.waitFor(frameOf("activity", ALL_TALK));
    expect(kindOf(await tab.enter(ALL_TALK))).toBe("read");
    await elsewhere.waitFor(frameOf("read", ALL_TALK));
    await tab.sync();
    expect(tab.frames.filter(frameOf("read", ALL_TALK))).toHaveLength(2); // one per enter, never two for one
  });

  test("a hundred tabs of one person entering a read room send a hundred read frames, not ten thousand", async () => {
    const tabs: TestSocket[] = [];
    for (let i = 0; i < MAX_SOCKETS_PER_PERSON; i++) tabs.push(await openSocket(server, admin));
    await Promise.all(tabs.map((tab) => tab.enter(ALL_TALK)));
    await Promise.all(tabs.map((tab) => tab.sync()));
    const reads = tabs.reduce((sum, tab) => sum + tab.frames.filter(frameOf("read")).length, 0);
    expect(reads).toBe(MAX_SOCKETS_PER_PERSON);
  });
});
