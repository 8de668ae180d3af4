import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Client } from "../helpers/client.ts";
import { addSignedInMember, postMessage, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { carrying, messageIdFrom, openSocket } from "../helpers/socket.ts";

const ALL_TALK = 1;
const TABS = 100;
const MESSAGES = 50;

let server: TestServer;
let admin: Client;
beforeEach(async () => {
  ({ server, admin } = await startSetUpServer());
});
afterEach(() => server.close());

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

// Correctness only; the timing is printed, not asserted. Server and all 100 client sockets share this
// one process and event loop, so the figure includes the clients' own decoding of every frame.
test(`a message reaches all ${TABS} tabs in the room, once each; time from POST to the last tab is printed`, async () => {
  const { client: milo } = await addSignedInMember(server);
  const tabs = await Promise.all(
    Array.from({ length: TABS }, async (_, i) => {
      const tab = await openSocket(server, i % 2 ? milo : admin);
      await tab.enter(ALL_TALK);
      return tab;
    }),
  );

  const posted: number[] = [];
  const toLastTab: number[] = [];
  const toResponse: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const from = tabs.map((tab) => tab.frames.length);
    const started = performance.now();
    const response = await postMessage(i % 2 ? milo : admin, ALL_TALK, `fan-out ${i}`);
    toResponse.push(performance.now() - started);
    expect(response.status).toBe(201);
    const id = messageIdFrom(response);
    posted.push(id);
    const frames = await Promise.all(tabs.map((tab, t) => tab.waitFor(carrying(id), 5_000, from[t])));
    const arrivals = tabs.map((tab, t) => tab.arrivals[tab.frames.indexOf(frames[t]!, from[t])]!.at);
    toLastTab.push(Math.max(...arrivals) - started);
  }

  for (const tab of tabs) expect(tab.messageIds()).toEqual(posted);
  console.log(
    `fan-out to ${TABS} tabs, ${MESSAGES} messages: POST start → last tab received: median ${median(toLastTab).toFixed(2)} ms ` +
      `(min ${Math.min(...toLastTab).toFixed(2)}, max ${Math.max(...toLastTab).toFixed(2)}); POST start → 201 response: median ${median(toResponse).toFixed(2)} ms`,
  );
});
