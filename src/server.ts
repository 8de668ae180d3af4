import type { Database } from "bun:sqlite";
import type { Server } from "bun";
import { join } from "node:path";
import { mkdirSync, rmSync } from "node:fs";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { openDatabase } from "./db/connection.ts";
import { GroupCommit } from "./db/group-commit.ts";
import { migrate } from "./db/migrations.ts";
import { consoleLogger, type Logger } from "./log.ts";
import { Connections, type SocketData } from "./realtime/connections.ts";
import { Publisher } from "./realtime/publish.ts";
import { socketHandlers } from "./realtime/socket.ts";
import { sweepPresence } from "./rooms/broadcasts.tsx";
import { indexPendingMessages } from "./search/indexer.ts";
import { SignInThrottle } from "./sessions/throttle.ts";
import type { AppContext } from "./http/env.ts";

export type RunningServer = { server: Server<SocketData>; db: Database; ctx: AppContext; url: string; stop: () => Promise<void> };

export const databasePath = (dataDir: string): string => join(dataDir, "campfire.sqlite3");

// Half the presence TTL, so a silent tab leaves "here now" within 90 s at most.
const PRESENCE_SWEEP_MS = 30_000;
// Posts reach the search index this often, a small batch at a time so that no request waits long
// behind it (a search catches up first anyway).
const SEARCH_INDEXING_MS = 50;
const SEARCH_INDEXING_BATCH = 250;

/** Opens and migrates the data directory, then listens: the only place a port is opened. */
export function startServer(config: Config, log: Logger = consoleLogger): RunningServer {
  // The first directory this start creates, if any: a start that fails (a busy port) takes it away again.
  const created = mkdirSync(join(config.dataDir, "files"), { recursive: true });
  try {
    return listen(config, log);
  } catch (error) {
    if (created) rmSync(created, { recursive: true, force: true });
    throw error;
  }
}

function listen(config: Config, log: Logger): RunningServer {
  const db = openDatabase(databasePath(config.dataDir));
  const applied = migrate(db);
  if (applied.length > 0) log("info", "database migrated", { applied });

  const ctx: AppContext = {
    db,
    writer: new GroupCommit(db),
    config,
    log,
    signInThrottle: new SignInThrottle(),
    publisher: new Publisher((error) => log("error", "a deferred broadcast failed", { error })),
    connections: new Connections(),
    stopping: false,
  };
  const app = createApp(ctx);
  let server: Server<SocketData>;
  try {
    server = Bun.serve<SocketData>({
      port: config.port,
      hostname: config.host,
      fetch: app.fetch,
      tls: config.tls ? { cert: Bun.file(config.tls.certPath), key: Bun.file(config.tls.keyPath) } : undefined,
      // Uploads on slow connections need longer than Bun's 10 s default.
      idleTimeout: 120,
      websocket: { ...socketHandlers(ctx), idleTimeout: 120, sendPings: true },
    });
  } catch (error) {
    db.close();
    throw error;
  }
  ctx.publisher.attach(server);
  const presenceSweep = setInterval(() => {
    try {
      sweepPresence(ctx);
    } catch (error) {
      log("error", "presence sweep failed", { error });
    }
  }, PRESENCE_SWEEP_MS);
  const searchIndexing = setInterval(() => {
    try {
      indexPendingMessages(db, SEARCH_INDEXING_BATCH);
    } catch (error) {
      log("error", "search indexing failed", { error });
    }
  }, SEARCH_INDEXING_MS);
  const url = server.url.href.replace(/\/$/, "");
  return {
    server,
    db,
    ctx,
    url,
    stop: async () => {
      ctx.stopping = true;
      clearInterval(presenceSweep);
      clearInterval(searchIndexing);
      ctx.publisher.cancelPending();
      await server.stop(true);
      ctx.writer.flush();
      db.close();
    },
  };
}
