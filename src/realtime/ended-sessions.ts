import type { AppContext } from "../http/env.ts";
import { liveSessionIds } from "../sessions/sessions.ts";

/**
 * Closes the sockets whose session has ended or whose person is no longer active, for changes made
 * by another process (the CLI's reset-password): the server's own sign-outs close them at once.
 * One query for every open socket.
 */
export function closeEndedSessions({ db, connections }: Pick<AppContext, "db" | "connections">): void {
  const open = connections.sessionIds();
  if (open.length === 0) return;
  const live = liveSessionIds(db, open);
  connections.close((socket) => !live.has(socket.sessionId), "Signed out");
}
