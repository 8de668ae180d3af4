import { afterAll, beforeAll, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { FALLBACK_PAGES } from "../../src/db/checkpointer.ts";
import { databasePath } from "../../src/server.ts";
import { resumeSession, startSession } from "../../src/sessions/sessions.ts";
import { findUser } from "../../src/users/users.ts";
import { completeFirstRun } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

// A statement left un-reset (e.g. `INSERT … RETURNING` read with .get()) pins the WAL so checkpoints
// can never finish and the file grows without bound. Many writes with reads in between must not do that.
let server: TestServer;
beforeAll(() => {
  server = startTestServer();
});
afterAll(() => server.close());

test("the WAL stays bounded after thousands of writes interleaved with reads and requests", async () => {
  const admin = await completeFirstRun(server);
  const user = findUser(server.db, 1)!;
  const client = { ipAddress: "127.0.0.1", userAgent: "wal test" };
  for (let i = 0; i < 5_000; i++) {
    const token = startSession(server.db, user, client);
    expect(resumeSession(server.ctx, token, () => client)).not.toBeNull();
    if (i % 500 === 0) expect((await admin.get("/rooms/1")).status).toBe(200);
  }
  const walBytes = statSync(`${databasePath(server.dataDir)}-wal`).size;
  // Once the checkpoint thread runs, SQLite's own checkpoint waits for 4,000 pages, so a burst the
  // thread falls behind on takes the WAL to that size (4,000 frames of 4 KB and a 24-byte header:
  // 16.5 MB) before it starts over. 5,000 commits of two pages or more, never checkpointed, would
  // take it past 40 MB.
  const frameBytes = 4096 + 24;
  expect(walBytes).toBeLessThan((FALLBACK_PAGES + 500) * frameBytes);
});
