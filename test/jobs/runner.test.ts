import { afterEach, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrations.ts";
import { now, setClock, useRealClock } from "../../src/db/time.ts";
import { claimJob, enqueueJob, failedJobs } from "../../src/jobs/jobs.ts";
import { RetryableJobError, registerJobKind } from "../../src/jobs/runner.ts";
import { databasePath } from "../../src/server.ts";
import { makeDataDir, startConfiguredTestServer, type TestServer } from "../helpers/server.ts";
import { until } from "../helpers/until.ts";

const servers: TestServer[] = [];
afterEach(async () => {
  useRealClock();
  for (const server of servers.splice(0)) await server.close();
});

/** A server whose runner retries after a few milliseconds instead of a second. */
function start(dataDir = makeDataDir()): TestServer {
  const server = startConfiguredTestServer({}, dataDir, { jobs: { backoffMs: 10, maxBackoffMs: 40 } });
  servers.push(server);
  return server;
}

let kinds = 0;
/** A kind no other test uses, since kinds are registered for the whole process. */
const uniqueKind = (name: string) => `test-${name}-${++kinds}`;

const jobCount = (server: TestServer, kind: string) =>
  (server.db.query("SELECT count(*) AS n FROM jobs WHERE kind = ?").get(kind) as { n: number }).n;

test("a job written in a transaction runs right after the commit, and its row goes", async () => {
  const server = start();
  const kind = uniqueKind("prompt");
  const seen: unknown[] = [];
  registerJobKind(kind, { run: async (payload) => void seen.push(payload) });
  const enqueuedAt = performance.now();
  server.db.transaction(() => enqueueJob(server.db, kind, { hello: "world" }))();
  await until(() => seen.length === 1);
  // Woken by the enqueue, not found by a poll: well under any polling interval worth having.
  expect(performance.now() - enqueuedAt).toBeLessThan(1_000);
  expect(seen).toEqual([{ hello: "world" }]);
  await until(() => jobCount(server, kind) === 0);
});

test("a job whose transaction rolls back never runs", async () => {
  const server = start();
  const kind = uniqueKind("rolled-back");
  let runs = 0;
  registerJobKind(kind, { run: async () => void runs++ });
  expect(() =>
    server.db.transaction(() => {
      enqueueJob(server.db, kind, {});
      throw new Error("the message failed to insert");
    })(),
  ).toThrow("the message failed");
  await Bun.sleep(100);
  expect(runs).toBe(0);
  expect(jobCount(server, kind)).toBe(0);
});

test("a retryable failure runs again, later each time, until it succeeds", async () => {
  const server = start();
  const kind = uniqueKind("retry");
  const times: number[] = [];
  registerJobKind(kind, {
    run: async () => {
      times.push(performance.now());
      if (times.length < 4) throw new RetryableJobError("503 from the receiver");
    },
  });
  enqueueJob(server.db, kind, {});
  await until(() => times.length === 4 && jobCount(server, kind) === 0);
  // Backoff 10, 20, 40 ms (each jittered to between half and all of it): the gaps can't be shorter than half.
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  expect(gaps[0]!).toBeGreaterThanOrEqual(4);
  expect(gaps[1]!).toBeGreaterThanOrEqual(9);
  expect(gaps[2]!).toBeGreaterThanOrEqual(19);
});

test("any other error gives up at once and keeps why, for an administrator", async () => {
  const server = start();
  const kind = uniqueKind("broken");
  let runs = 0;
  registerJobKind(kind, {
    run: async () => {
      runs++;
      throw new Error("the receiver's URL is not valid");
    },
  });
  enqueueJob(server.db, kind, { bot_id: 7 });
  await until(() => failedJobs(server.db, kind, "bot_id", 7).length === 1);
  await Bun.sleep(50);
  expect(runs).toBe(1);
  const [failed] = failedJobs(server.db, kind, "bot_id", 7);
  expect(failed).toMatchObject({ kind, payload: { bot_id: 7 }, attempts: 1, lastError: "the receiver's URL is not valid" });
  expect(failedJobs(server.db, kind, "bot_id", 8)).toEqual([]);
});

test("a retryable failure that never ends gives up after maxAttempts, keeping the last error", async () => {
  const server = start();
  const kind = uniqueKind("exhausted");
  let runs = 0;
  registerJobKind(kind, {
    maxAttempts: 3,
    run: async () => {
      runs++;
      throw new RetryableJobError(`timed out (try ${runs})`);
    },
  });
  enqueueJob(server.db, kind, { bot_id: 1 });
  await until(() => failedJobs(server.db, kind, "bot_id", 1).length === 1);
  expect(runs).toBe(3);
  expect(failedJobs(server.db, kind, "bot_id", 1)[0]).toMatchObject({ attempts: 3, lastError: "timed out (try 3)" });
});

test("no more jobs of a kind run at once than its concurrency", async () => {
  const server = start();
  const kind = uniqueKind("bounded");
  let running = 0;
  let most = 0;
  let done = 0;
  registerJobKind(kind, {
    concurrency: 2,
    run: async () => {
      most = Math.max(most, ++running);
      await Bun.sleep(20);
      running--;
      done++;
    },
  });
  server.db.transaction(() => {
    for (let i = 0; i < 10; i++) enqueueJob(server.db, kind, { i });
  })();
  await until(() => done === 10);
  expect(most).toBe(2);
});

test("a slow kind at its bound does not hold up another kind", async () => {
  const server = start();
  const slow = uniqueKind("slow");
  const fast = uniqueKind("fast");
  let release = () => {};
  const blocked = new Promise<void>((resolve) => {
    release = resolve;
  });
  let fastRuns = 0;
  registerJobKind(slow, { concurrency: 1, run: () => blocked });
  registerJobKind(fast, { run: async () => void fastRuns++ });
  enqueueJob(server.db, slow, {});
  enqueueJob(server.db, slow, {});
  enqueueJob(server.db, fast, {});
  await until(() => fastRuns === 1);
  release();
  await until(() => jobCount(server, slow) === 0);
});

test("a job due later runs when it falls due, not before", async () => {
  const server = start();
  const kind = uniqueKind("later");
  let ranAt = 0;
  registerJobKind(kind, { run: async () => void (ranAt = performance.now()) });
  const enqueuedAt = performance.now();
  enqueueJob(server.db, kind, {}, { runAt: now() + 300 });
  await Bun.sleep(150);
  expect(ranAt).toBe(0);
  await until(() => ranAt > 0);
  expect(ranAt - enqueuedAt).toBeGreaterThanOrEqual(290);
});

test("a claimed job is claimed again only once its lease has ended", () => {
  const db = openDatabase(databasePath(makeDataDir()));
  migrate(db);
  const start = now();
  setClock(() => start);
  enqueueJob(db, "lease", {});
  const first = claimJob(db, ["lease"], 60_000);
  expect(first).toMatchObject({ kind: "lease", attempts: 1 });
  setClock(() => start + 59_999);
  expect(claimJob(db, ["lease"], 60_000)).toBeNull();
  setClock(() => start + 60_000);
  expect(claimJob(db, ["lease"], 60_000)).toMatchObject({ id: first!.id, attempts: 2 });
  // A kind nobody runs is left alone.
  enqueueJob(db, "unknown", {});
  expect(claimJob(db, ["lease"], 60_000)).toBeNull();
  db.close();
});

test("a job that was running when the process died runs again as soon as the server starts", async () => {
  const dataDir = makeDataDir();
  const kind = uniqueKind("interrupted");
  const db = openDatabase(databasePath(dataDir));
  migrate(db);
  enqueueJob(db, kind, { n: 1 });
  // What a kill -9 mid-job leaves: claimed, its lease still an hour from ending.
  expect(claimJob(db, [kind], 3_600_000)).not.toBeNull();
  db.close();
  const seen: unknown[] = [];
  registerJobKind(kind, { run: async (payload) => void seen.push(payload) });
  const server = start(dataDir);
  await until(() => seen.length === 1);
  expect(seen).toEqual([{ n: 1 }]);
  await until(() => jobCount(server, kind) === 0);
});

test("stopping the server lets a running job finish, within the grace period", async () => {
  const dataDir = makeDataDir();
  const server = startConfiguredTestServer({}, dataDir);
  const kind = uniqueKind("graceful");
  let started = false;
  let finished = false;
  registerJobKind(kind, {
    run: async () => {
      started = true;
      await Bun.sleep(200);
      finished = true;
    },
  });
  enqueueJob(server.db, kind, {});
  await until(() => started);
  await server.stop(5_000);
  expect(finished).toBe(true);
  const db = openDatabase(databasePath(dataDir));
  expect((db.query("SELECT count(*) AS n FROM jobs WHERE kind = ?").get(kind) as { n: number }).n).toBe(0);
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test("a job still running when the grace period ends is left to run again after the next start", async () => {
  const dataDir = makeDataDir();
  const server = startConfiguredTestServer({}, dataDir);
  const kind = uniqueKind("cut-off");
  let runs = 0;
  registerJobKind(kind, {
    run: async () => {
      runs++;
      if (runs === 1) await Bun.sleep(2_000);
    },
  });
  enqueueJob(server.db, kind, {});
  await until(() => runs === 1);
  const stopping = performance.now();
  await server.stop(100);
  expect(performance.now() - stopping).toBeLessThan(1_500);
  const again = start(dataDir);
  await until(() => runs === 2 && jobCount(again, kind) === 0);
});
