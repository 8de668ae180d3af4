import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Client } from "../helpers/client.ts";
import { postMessage, startQuickSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { openSocket, type TestSocket } from "../helpers/socket.ts";

// Every frame type a tab may send (src/realtime/protocol.ts: enter, leave, typing, ping) with
// malformed, wrongly typed, missing, oversized and unicode-edge values: the server ignores what it
// cannot use, keeps the socket working, logs no error and stays up.

let server: TestServer;
let admin: Client;
beforeAll(async () => {
  ({ server, admin } = await startQuickSetUpServer());
  await postMessage(admin, 1, "one message to catch up on");
});
afterAll(() => server.close());

const BAD_IDS: unknown[] = [
  "1",
  1.5,
  -1,
  0,
  -0,
  1e300,
  2 ** 53,
  2 ** 70,
  Number.MAX_SAFE_INTEGER + 2,
  null,
  true,
  [],
  {},
  "",
  "0x1",
  [1],
  { id: 1 },
];
const BAD_AFTERS: unknown[] = [-1, 1.5, "5", 1e300, 2 ** 60, null, false, [], {}, "\u0000"];
const BAD_STATES: unknown[] = ["begin", "START", 1, null, "", ["start"], "start\u0000"];
const BAD_TYPES: unknown[] = [
  "ENTER",
  "enter ",
  " ping",
  "pong",
  "subscribe",
  "",
  null,
  1,
  [],
  {},
  "__proto__",
  "constructor",
  "\u202Eretne",
];

function* frames(): Generator<string | Uint8Array> {
  for (const id of BAD_IDS) {
    yield JSON.stringify({ type: "enter", room_id: id });
    yield JSON.stringify({ type: "leave", room_id: id });
    yield JSON.stringify({ type: "typing", room_id: id, state: "start" });
  }
  for (const after of BAD_AFTERS) {
    yield JSON.stringify({ type: "enter", room_id: 1, after });
    yield JSON.stringify({ type: "enter", room_id: 1, since: after });
  }
  for (const state of BAD_STATES) yield JSON.stringify({ type: "typing", room_id: 1, state });
  for (const type of BAD_TYPES) yield JSON.stringify({ type, room_id: 1 });
  // Missing fields, extra fields, prototype keys.
  yield* [
    { type: "enter" },
    { type: "leave" },
    { type: "typing", room_id: 1 },
    { type: "typing", state: "start" },
    { room_id: 1 },
    { type: "ping", room_id: "x", extra: { deep: [1, 2, 3] } },
    { type: "enter", room_id: 1, after: 0, __proto__: { polluted: true } },
    JSON.parse('{"type":"enter","room_id":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}'),
  ].map((frame) => JSON.stringify(frame));
  // Not JSON objects at all.
  yield* ["", " ", "{", "}", "null", "true", "1", "[]", '"enter"', '[{"type":"ping"}]', "{'type':'ping'}", "undefined", "NaN"];
  // Unicode edges: lone surrogates (as JSON escapes and raw), RTL overrides, NUL, emoji.
  yield '{"type":"enter","room_id":1,"after":"\\ud800"}';
  yield `{"type":"\ud800","room_id":1}`;
  yield '{"type":"typing","room_id":1,"state":"\\u202estart"}';
  yield '{"type":"ping\\u0000"}';
  yield '{"type":"🔥","room_id":"👨‍👩‍👧"}';
  // Binary frames, invalid UTF-8, deep nesting and a frame just under the size limit.
  yield new Uint8Array([0xff, 0xfe, 0xed, 0xa0, 0x80, 0x00]);
  yield new TextEncoder().encode(JSON.stringify({ type: "ping" }));
  yield "[".repeat(8_000) + "]".repeat(8_000);
  yield JSON.stringify({ type: "enter", room_id: 1, pad: "x".repeat(16_000) });
}

async function stillWorks(socket: TestSocket): Promise<void> {
  await socket.sync();
  expect((await fetch(`${server.url}/up`)).status).toBe(200);
}

// Each bad frame is followed by a sync frame; a fresh socket every dozen keeps within the frame
// budget (realtime/budget.ts, 30 a second), which is not what this suite is about.
const FRAMES_PER_SOCKET = 12;

test("bad frames of every type are ignored: the socket keeps working, nothing is logged, the server stays up", async () => {
  let socket = await openSocket(server, admin);
  await socket.enter(1);
  let count = 0;
  const problems: string[] = [];
  for (const frame of frames()) {
    count++;
    if (count % FRAMES_PER_SOCKET === 0) {
      socket.close();
      socket = await openSocket(server, admin);
      await socket.enter(1);
    }
    if (!socket.isOpen) {
      problems.push(`closed before frame ${count}`);
      break;
    }
    socket.send(frame as string);
    try {
      await stillWorks(socket);
    } catch (error) {
      problems.push(`after ${String(frame).slice(0, 60)}: ${(error as Error).message.split("\n")[0]}`);
      break;
    }
  }
  expect(problems).toEqual([]);
  expect(count).toBeGreaterThan(100);
  expect(server.logs.filter((line) => line.startsWith("error"))).toEqual([]);
  // Still a member in good standing: a post reaches this tab.
  const response = await postMessage(admin, 1, "still listening");
  expect(response.status).toBe(201);
  await socket.waitFor((frame) => frame.includes("still listening"));
  socket.close();
}, 60_000);

test("a frame far larger than any the client sends closes only that socket, with 1009", async () => {
  const big = await openSocket(server, admin);
  const other = await openSocket(server, admin);
  big.send(JSON.stringify({ type: "ping", pad: "x".repeat(2_000_000) }));
  const closed = await Promise.race([big.closed, Bun.sleep(3000).then(() => ({ code: "still open after 3 s" }))]);
  expect(closed.code).toBe(1009);
  await stillWorks(other);
  other.close();
});
