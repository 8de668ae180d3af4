import type { Database } from "bun:sqlite";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Serve, Server } from "bun";
import { findAccount } from "./accounts/accounts.ts";
import { createApp } from "./app.ts";
import { BackupSchedule } from "./backup/schedule.ts";
import { BannedAddresses } from "./bans/bans.ts";
import { WEBHOOK_TIMEOUT_MS } from "./bots/webhooks.ts";
import { ReadCache } from "./cache/read-cache.ts";
import type { Config } from "./config.ts";
import { Checkpointer } from "./db/checkpointer.ts";
import { databasePath, openDatabase } from "./db/connection.ts";
import { DiskSpace } from "./db/disk-space.ts";
import { GroupCommit } from "./db/group-commit.ts";
import { migrate } from "./db/migrations.ts";
import { FORM_MAX_BYTES, incomingDir } from "./http/body-limits.ts";
import type { AppContext } from "./http/env.ts";
import { JobRunner, type RunnerOptions } from "./jobs/runner.ts";
import { consoleLogger, type Logger } from "./log.ts";
import { loadVapidKeys } from "./push/vapid.ts";
import { Connections, type SocketData } from "./realtime/connections.ts";
import { closeEndedSessions } from "./realtime/ended-sessions.ts";
import { RESTARTING_CLOSE_CODE } from "./realtime/protocol.ts";
import { Publisher } from "./realtime/publish.ts";
import { socketHandlers } from "./realtime/socket.ts";
import { sweepPresence } from "./rooms/broadcasts.ts";
import { IndexMerger } from "./search/index-merger.ts";
import { indexPendingMessages } from "./search/indexer.ts";
import { SignInThrottle } from "./sessions/throttle.ts";
import type { GuardOptions } from "./unfurl/guarded-fetch.ts";
import { Unfurler } from "./unfurl/unfurler.ts";

export type RunningServer = {
  server: Server<SocketData>;
  db: Database;
  ctx: AppContext;
  url: string;
  /** Stops gracefully: in-flight requests get up to `graceMs` to finish. */
  stop: (graceMs?: number) => Promise<void>;
  /** Serves a renewed certificate (read again from config.tls) to new connections; open ones stay. */
  reloadTls: () => void;
  checkpointer: Checkpointer;
};

export { databasePath };

// Half the presence TTL, so a silent tab leaves "here now" within 90 s at most.
const PRESENCE_SWEEP_MS = 30_000;
// Posts reach the search index this often, a small batch at a time so that no request waits long
// behind it (a search catches up first anyway).
const SEARCH_INDEXING_MS = 50;
const SEARCH_INDEXING_BATCH = 250;
// Another process (the CLI) may end sessions or change anything; SQLite's data_version says so.
// A second is soon enough for a signed-out tab, and the look costs a few microseconds.
const OUTSIDE_WRITES_CHECK_MS = 1000;
// The checkpoint thread starts within this long of the first write (until then SQLite checkpoints as usual).
const CHECKPOINTER_START_CHECK_MS = 1000;
// A tab sends only small JSON frames (enter, leave, typing, ping: under 200 bytes); Bun's 16 MB
// default let one socket make the server parse megabytes per frame. Larger ones close with 1009.
const MAX_CLIENT_FRAME_BYTES = 16 * 1024;
// Long enough for any sign-in or post, short enough for systemd's default 90 s stop timeout.
export const SHUTDOWN_GRACE_MS = 10_000;

/** What only tests set, never the environment: e.g. the private-network guard's allowance for a local test server. */
export type TestHooks = { networkGuard?: GuardOptions; acmeTrustedCa?: string; jobs?: RunnerOptions; webhookTimeoutMs?: number };

/** Opens and migrates the data directory, then listens: the only place a port is opened. */
export function startServer(config: Config, log: Logger = consoleLogger, hooks: TestHooks = {}): RunningServer {
  // The first directory this start creates, if any: a start that fails (a busy port) takes it away again.
  const created = mkdirSync(join(config.dataDir, "files"), { recursive: true });
  // Uploads cut off by a crash or a kill: nothing refers to them.
  rmSync(incomingDir(config.dataDir), { recursive: true, force: true });
  try {
    return listen(config, log, hooks);
  } catch (error) {
    if (created) rmSync(created, { recursive: true, force: true });
    throw error;
  }
}

function listen(config: Config, log: Logger, hooks: TestHooks): RunningServer {
  const db = openDatabase(databasePath(config.dataDir));
  const applied = migrate(db);
  if (applied.length > 0) log("info", "database migrated", { applied });

  const ctx: AppContext = {
    db,
    writer: new GroupCommit(db),
    cache: new ReadCache(db, config.readCache),
    diskSpace: new DiskSpace(db, log),
    config,
    log,
    signInThrottle: new SignInThrottle(),
    publisher: new Publisher((error) => log("error", "a deferred broadcast failed", { error })),
    connections: new Connections(),
    bans: BannedAddresses.load(db),
    unfurler: new Unfurler(db, config.dataDir, log, hooks.networkGuard),
    jobs: new JobRunner(db, log, hooks.jobs),
    webhookTimeoutMs: hooks.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS,
    push: { vapid: loadVapidKeys(db, config.vapid), guard: hooks.networkGuard ?? {} },
    stopping: false,
  };
  // The layout's logo and stylesheet are this account's from the first page on, an error page included.
  findAccount(ctx);
  const app = createApp(ctx);
  const options = (): Serve.Options<SocketData> => ({
    port: config.port,
    hostname: config.host,
    fetch: app.fetch,
    tls: config.tls ? { cert: Bun.file(config.tls.certPath), key: Bun.file(config.tls.keyPath) } : undefined,
    // A renewed certificate is served by a second listener on the same port while the first one
    // finishes its connections (reloadTls); only automatic HTTPS needs that.
    reusePort: config.autoTls !== undefined,
    // Uploads on slow connections need longer than Bun's 10 s default.
    idleTimeout: 120,
    // Nothing larger than an upload (plus the form fields around it) is read at all; each route has
    // its own, smaller limit (http/body-limits.ts).
    maxRequestBodySize: config.maxUploadBytes + FORM_MAX_BYTES,
    websocket: { ...socketHandlers(ctx), idleTimeout: 120, sendPings: true, maxPayloadLength: MAX_CLIENT_FRAME_BYTES },
  });
  let server: Server<SocketData>;
  const retired: Server<SocketData>[] = [];
  try {
    server = Bun.serve<SocketData>(options());
  } catch (error) {
    db.close();
    throw error;
  }
  ctx.publisher.attach(server);
  ctx.unfurler.startSweeping();
  ctx.jobs.start(ctx);
  const presenceSweep = setInterval(() => {
    try {
      sweepPresence(ctx);
    } catch (error) {
      log("error", "presence sweep failed", { error });
    }
  }, PRESENCE_SWEEP_MS);
  const indexMerger = new IndexMerger(db, performance.now());
  const searchIndexing = setInterval(() => {
    try {
      indexPendingMessages(db, SEARCH_INDEXING_BATCH);
      indexMerger.tick(performance.now());
    } catch (error) {
      log("error", "search indexing failed", { error });
    }
  }, SEARCH_INDEXING_MS);
  let outsideWritesSeen = ctx.cache.outsideWrites;
  const outsideWritesCheck = setInterval(() => {
    try {
      ctx.cache.noticeOutsideWrites();
      if (ctx.cache.outsideWrites === outsideWritesSeen) return;
      outsideWritesSeen = ctx.cache.outsideWrites;
      ctx.jobs.wake(); // another process may have enqueued one
      closeEndedSessions(ctx);
    } catch (error) {
      log("error", "checking for writes by other processes failed", { error });
    }
  }, OUTSIDE_WRITES_CHECK_MS);
  const checkpointer = new Checkpointer(db, databasePath(config.dataDir), log);
  const checkpointerStart = setInterval(() => {
    try {
      checkpointer.tick();
    } catch (error) {
      log("error", "starting the checkpoint thread failed", { error });
    }
  }, CHECKPOINTER_START_CHECK_MS);
  const backups = config.backup ? new BackupSchedule(config.dataDir, config.backup, log) : undefined;
  backups?.start();
  const url = server.url.href.replace(/\/$/, "");
  return {
    get server() {
      return server;
    },
    db,
    ctx,
    url,
    checkpointer,
    stop: async (graceMs = SHUTDOWN_GRACE_MS) => {
      ctx.stopping = true;
      clearInterval(presenceSweep);
      clearInterval(searchIndexing);
      clearInterval(outsideWritesCheck);
      clearInterval(checkpointerStart);
      ctx.unfurler.stopSweeping();
      backups?.stop();
      ctx.publisher.cancelPending();
      // Stop accepting, and let the requests already in flight (a sign-in, an upload) finish.
      const drained = Promise.all([server, ...retired].map((listener) => listener.stop(false)));
      ctx.connections.close(() => true, "Campfire is restarting", RESTARTING_CLOSE_CODE);
      // Jobs wait with the requests, in the same grace period: one that is cut off runs again after the next start.
      await Promise.race([Promise.all([drained, ctx.jobs.stop(graceMs)]), Bun.sleep(graceMs)]);
      await Promise.all([server, ...retired].map((listener) => listener.stop(true))); // whatever is still open after the grace period
      ctx.publisher.cancelPending(); // anything the last requests deferred
      ctx.writer.flush();
      await checkpointer.stop();
      try {
        // Folds the WAL into the database file, so a backup or copy of the file alone is complete.
        db.run("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (error) {
        log("error", "the checkpoint at shutdown failed", { error });
      }
      db.close();
    },
    reloadTls: () => {
      const next = Bun.serve<SocketData>(options());
      retired.push(server);
      server.stop(false); // stops listening; its requests and sockets carry on until they end
      server = next;
      ctx.publisher.attach(next);
      log("info", "serving the renewed certificate");
    },
  };
}
