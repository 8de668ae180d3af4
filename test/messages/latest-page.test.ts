import { expect, test } from "bun:test";
import { ReadCache } from "../../src/cache/read-cache.ts";
import { openDatabase } from "../../src/db/connection.ts";

test("newest pages are kept per room until their messages change, and only so many rooms' worth", () => {
  const db = openDatabase(":memory:");
  const cache = new ReadCache(db);
  let builds = 0;
  const page = (roomId: number) =>
    cache.latestPage(roomId, () => ({ html: `page of room ${roomId}, build ${++builds}`, authorIds: new Set<number>() })).html;
  expect(page(1)).toBe("page of room 1, build 1");
  expect(page(1)).toBe("page of room 1, build 1");
  cache.messagesChanged(1);
  expect(page(1)).toBe("page of room 1, build 2");

  for (let roomId = 2; roomId <= 201; roomId++) page(roomId); // room 1 is the one kept longest
  const before = builds;
  expect(page(201)).toContain(", build "); // still kept
  expect(builds).toBe(before);
  page(1); // dropped to make room, so built again
  expect(builds).toBe(before + 1);
  db.close();
});
