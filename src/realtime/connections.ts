import type { ServerWebSocket } from "bun";
import type { SocketBudget } from "./budget.ts";
import { SIGNED_OUT_CLOSE_CODE } from "./protocol.ts";
import { activityTopic, roomTopic } from "./topics.ts";

export type SocketData = {
  userId: number;
  userName: string;
  sessionId: number;
  entered: Set<number>;
  budget: SocketBudget;
  /** Set once the server has decided to close it: frames still queued behind that are not handled. */
  closing: boolean;
};
export type Socket = ServerWebSocket<SocketData>;

/**
 * Which sockets each person has open, so that a change in who may see a room takes effect on their
 * open tabs at once instead of at their next reconnect.
 */
export class Connections {
  private readonly byUser = new Map<number, Set<Socket>>();

  add(ws: Socket): void {
    const sockets = this.byUser.get(ws.data.userId) ?? new Set();
    sockets.add(ws);
    this.byUser.set(ws.data.userId, sockets);
  }

  remove(ws: Socket): void {
    const sockets = this.byUser.get(ws.data.userId);
    sockets?.delete(ws);
    if (sockets?.size === 0) this.byUser.delete(ws.data.userId);
  }

  countOf(userId: number): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  socketsOf(userId: number): Socket[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  /** The sessions behind the open sockets, each once. */
  sessionIds(): number[] {
    const ids = new Set<number>();
    for (const sockets of this.byUser.values()) for (const ws of sockets) ids.add(ws.data.sessionId);
    return [...ids];
  }

  get size(): number {
    let count = 0;
    for (const sockets of this.byUser.values()) count += sockets.size;
    return count;
  }

  /** The room now shows in these people's sidebars: their tabs hear about its activity. */
  follow(userIds: Iterable<number>, roomId: number): void {
    for (const userId of userIds)
      for (const ws of this.socketsOf(userId)) if (!ws.data.entered.has(roomId)) ws.subscribe(activityTopic(roomId));
  }

  /** The room left their sidebar (hidden) but they may still open it. */
  unfollow(userIds: Iterable<number>, roomId: number): void {
    for (const userId of userIds) for (const ws of this.socketsOf(userId)) ws.unsubscribe(activityTopic(roomId));
  }

  /** They lost the room (removed, or it was deleted): nothing more of it reaches their tabs. */
  revoke(userIds: Iterable<number>, roomId: number): void {
    for (const userId of userIds)
      for (const ws of this.socketsOf(userId)) {
        ws.unsubscribe(activityTopic(roomId));
        ws.unsubscribe(roomTopic(roomId));
        ws.data.entered.delete(roomId);
      }
  }

  /** Signed out, deactivated or banned: the tabs are closed with a code that tells them not to come back. */
  close(match: (data: SocketData) => boolean, reason: string, code = SIGNED_OUT_CLOSE_CODE): void {
    for (const sockets of this.byUser.values()) for (const ws of sockets) if (match(ws.data)) ws.close(code, reason);
  }
}
