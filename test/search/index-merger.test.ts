import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccount } from "../../src/accounts/accounts.ts";
import { ReadCache } from "../../src/cache/read-cache.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrations.ts";
import { insertMessage } from "../../src/messages/messages.ts";
import { createOpenRoom, type Room } from "../../src/rooms/rooms.ts";
import { IndexMerger, MERGE_EVERY_MS, mergeWholeIndex, QUIET_MS, segmentCount } from "../../src/search/index-merger.ts";
import { indexPendingMessages } from "../../src/search/indexer.ts";
import { parseSearch } from "../../src/search/query.ts";
import { searchMessages } from "../../src/search/searches.ts";
import { createUser, type User } from "../../src/users/users.ts";

let dir: string;
let db: Database;
let ada: User;
let room: Room;
let posted = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "campfire-merge-"));
  db = openDatabase(join(dir, "campfire.sqlite3"));
  migrate(db);
  createAccount(db, "Acme Chat");
  ada = createUser(db, { name: "Ada Admin", emailAddress: "ada@example.com", passwordDigest: "unused", role: "admin" });
  room = createOpenRoom(db, ada, "All Talk");
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Posts `count` messages and indexes them, as one indexer tick would: one more segment. */
function postAndIndex(count: number): void {
  for (let i = 0; i < count; i++) {
    const plain = `deploy number ${++posted} went out`;
    insertMessage(db, room.id, ada, { clientMessageId: `m${posted}`, html: plain, plain, rich: false, mentionIds: [], mentionNames: {} });
  }
  expect(indexPendingMessages(db)).toBe(count);
}

const deployResults = () => {
  const parsed = parseSearch("deploy");
  if ("error" in parsed) throw new Error(parsed.error);
  const outcome = searchMessages({ db, cache: new ReadCache(db) }, ada, parsed.query, { limit: 1000 });
  if ("error" in outcome) throw new Error(outcome.error);
  return outcome.results.length;
};

/** Ticks at one moment until the merger has nothing more to do there; how many steps it took. */
function tickUntilDone(merger: IndexMerger, at: number): number {
  let steps = 0;
  while (merger.tick(at)) steps++;
  return steps;
}

test("after a quiet spell the index's segments are merged into one, and every message is still found", () => {
  const merger = new IndexMerger(db, 0);
  for (let batch = 0; batch < 6; batch++) postAndIndex(40);
  const before = segmentCount(db);
  expect(before).toBeGreaterThan(1);

  expect(merger.tick(0)).toBe(false); // sees the new messages: the quiet spell starts now
  expect(merger.tick(QUIET_MS - 1)).toBe(false); // not quiet long enough yet
  expect(segmentCount(db)).toBe(before);

  expect(tickUntilDone(merger, QUIET_MS)).toBeGreaterThan(0);
  expect(segmentCount(db)).toBe(1);
  db.run("INSERT INTO message_search_index (message_search_index) VALUES ('integrity-check')");
  expect(deployResults()).toBe(240);
});

test("nothing is merged while messages keep arriving", () => {
  const merger = new IndexMerger(db, 0);
  for (let at = 0; at <= 3 * QUIET_MS; at += QUIET_MS / 2) {
    postAndIndex(5);
    expect(merger.tick(at)).toBe(false);
  }
  expect(segmentCount(db)).toBeGreaterThan(1);
});

test("a merged index is merged again at most once per MERGE_EVERY_MS, and only when it is in pieces", () => {
  const merger = new IndexMerger(db, 0);
  postAndIndex(10);
  postAndIndex(10);
  merger.tick(0);
  tickUntilDone(merger, QUIET_MS);
  expect(segmentCount(db)).toBe(1);

  postAndIndex(10);
  const postedAt = QUIET_MS + 1;
  merger.tick(postedAt); // sees the new message
  expect(tickUntilDone(merger, postedAt + QUIET_MS)).toBe(0);
  expect(segmentCount(db)).toBe(2);

  expect(tickUntilDone(merger, QUIET_MS + MERGE_EVERY_MS)).toBeGreaterThan(0);
  expect(segmentCount(db)).toBe(1);
  expect(deployResults()).toBe(30);

  // Already in one piece an hour later: nothing to do, and no merge is started.
  expect(tickUntilDone(merger, QUIET_MS + 2 * MERGE_EVERY_MS)).toBe(0);
});

test("a script can merge the whole index at once, and the server's merger then finds nothing to do", () => {
  for (let batch = 0; batch < 5; batch++) postAndIndex(20);
  expect(segmentCount(db)).toBeGreaterThan(1);
  mergeWholeIndex(db);
  expect(segmentCount(db)).toBe(1);
  expect(deployResults()).toBe(100);
  expect(tickUntilDone(new IndexMerger(db, 0), QUIET_MS + 1)).toBe(0);
});
