import type { Database } from "bun:sqlite";
import type { Server } from "bun";
import type { BannedAddresses } from "../bans/bans.ts";
import type { ReadCache } from "../cache/read-cache.ts";
import type { Config } from "../config.ts";
import type { DiskSpace } from "../db/disk-space.ts";
import type { GroupCommit } from "../db/group-commit.ts";
import type { JobRunner } from "../jobs/runner.ts";
import type { Logger } from "../log.ts";
import type { VapidKeys } from "../push/vapid.ts";
import type { Connections, SocketData } from "../realtime/connections.ts";
import type { Publisher } from "../realtime/publish.ts";
import type { Session } from "../sessions/sessions.ts";
import type { SignInThrottle } from "../sessions/throttle.ts";
import type { GuardOptions } from "../unfurl/guarded-fetch.ts";
import type { Unfurler } from "../unfurl/unfurler.ts";
import type { User } from "../users/users.ts";
import type { ReceivedFile } from "./multipart.ts";

/** What every route needs, built once at start and passed down explicitly. */
export type AppContext = {
  db: Database;
  /** Where posts are written, so that posts arriving together share one commit. */
  writer: GroupCommit;
  /** Everything kept in memory to skip a query or a render; write paths tell it what changed. */
  cache: ReadCache;
  /** Marked full when a write fails for lack of space, so /up can say so. */
  diskSpace: DiskSpace;
  config: Config;
  log: Logger;
  signInThrottle: SignInThrottle;
  publisher: Publisher;
  connections: Connections;
  /** The addresses of banned people, refused for anything but reading. */
  bans: BannedAddresses;
  /** Link previews, fetched through the private-network guard. */
  unfurler: Unfurler;
  /** Runs the jobs table: webhooks, push; started and stopped with the server. */
  jobs: JobRunner;
  /** How long a webhook may take to answer: the original's 7 s, shorter only in tests. */
  webhookTimeoutMs: number;
  /** Web Push: the server's keys, and the private-network guard every push goes through. */
  push: { vapid: VapidKeys; guard: GuardOptions };
  /** Set while the server shuts down, so closing sockets leave the database alone. */
  stopping: boolean;
};

export type AppEnv = {
  Bindings: Server<SocketData>;
  Variables: {
    requestId: string;
    /** Made only by pages with the editor (security.ts cspNonce). */
    cspNonce?: string;
    user: User | null;
    session: Session | null;
    /** The file of a multipart upload, on disk until the route moves it (http/body-limits.ts). */
    upload: ReceivedFile | null;
  };
};
