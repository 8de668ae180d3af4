import type { Database } from "bun:sqlite";
import type { Server } from "bun";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import type { Session } from "../sessions/sessions.ts";
import type { SignInThrottle } from "../sessions/throttle.ts";
import type { User } from "../users/users.ts";

/** What every route needs, built once at start and passed down explicitly. */
export type AppContext = {
  db: Database;
  config: Config;
  log: Logger;
  signInThrottle: SignInThrottle;
};

export type AppEnv = {
  Bindings: Server<undefined>;
  Variables: { requestId: string; user: User | null; session: Session | null };
};
