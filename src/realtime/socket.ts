import type { WebSocketHandler } from "bun";
import { z } from "zod";
import { messageRemovedFrame, messagesFrame, readFrame, refreshFrame, roomRemovedFrame, typingFrame } from "../../templates/frames.ts";
import { isDiskFull } from "../db/disk-space.ts";
import type { AppContext } from "../http/env.ts";
import { changesSince } from "../messages/messages.ts";
import { renderedMessagesHtml } from "../messages/rendered.ts";
import { announcePresence } from "../rooms/broadcasts.ts";
import { involvementOf, isMember, visibleRoomIds } from "../rooms/memberships.ts";
import { enterRoom, leaveRoom, refreshPresence } from "../rooms/presence.ts";
import { MAX_SOCKETS_PER_PERSON } from "./budget.ts";
import type { Socket, SocketData } from "./connections.ts";
import { type ClientFrame, POLICY_VIOLATION_CLOSE_CODE, SERVER_ERROR_CLOSE_CODE } from "./protocol.ts";
import { activityTopic, roomTopic, userTopic } from "./topics.ts";

/** Past this many missed changes, a reload is cheaper than a catch-up frame. */
export const MISSED_MESSAGES_CAP = 200;

const roomId = z.number().int().positive();
const ClientFrameSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("enter"),
    room_id: roomId,
    since: z.number().int().nonnegative().optional(),
    after: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal("leave"), room_id: roomId }),
  z.object({ type: z.literal("typing"), room_id: roomId, state: z.enum(["start", "stop"]) }),
  z.object({ type: z.literal("ping") }),
]) satisfies z.ZodType<ClientFrame>;

/** Bun's handlers for /cable sockets; the upgrade route has already resolved the session. */
export function socketHandlers(ctx: AppContext): WebSocketHandler<SocketData> {
  const { db, publisher, connections } = ctx;

  function refuse(ws: Socket, reason: string): void {
    ws.data.closing = true;
    ws.close(POLICY_VIOLATION_CLOSE_CODE, reason);
  }

  function enter(ws: Socket, id: number, since: number | undefined): void {
    if (!isMember(db, ws.data.userId, id)) {
      ws.send(roomRemovedFrame(id, "This room doesn't exist or you're not in it."));
      return;
    }
    if (since !== undefined && !ws.data.budget.hasRows(performance.now())) {
      refuse(ws, "Too many catch-ups in a minute; reload the page later.");
      return;
    }
    const newTab = !ws.data.entered.has(id);
    if (newTab) {
      ws.data.entered.add(id);
      ws.unsubscribe(activityTopic(id));
      ws.subscribe(roomTopic(id));
    }
    const wasUnread = enterRoom(db, ws.data.userId, id, newTab);
    if (wasUnread) ctx.cache.membershipChanged(ws.data.userId);
    if (since !== undefined) sendMissed(ws, id, since);
    announcePresence(ctx, id);
    // The person's other tabs only need telling when the room was unread: a thousand tabs entering
    // a room already read then cost a thousand small sends, not a thousand publishes to a thousand tabs.
    if (wasUnread) publisher.publish(userTopic(ws.data.userId), readFrame(id));
    else ws.send(readFrame(id));
  }

  // Subscribing and reading happen in the same tick as any post's insert-and-publish, so nothing
  // falls between the query and the subscription; the client places a message it already has over itself.
  function sendMissed(ws: Socket, id: number, since: number): void {
    const { changed, removed } = changesSince(db, id, since, MISSED_MESSAGES_CAP + 1);
    ws.data.budget.spendRows(changed.length + removed.length);
    if (changed.length + removed.length > MISSED_MESSAGES_CAP) {
      ws.send(refreshFrame(id));
      return;
    }
    if (changed.length > 0) ws.send(messagesFrame(id, renderedMessagesHtml(ctx, changed), { catchUp: true }));
    for (const message of removed) ws.send(messageRemovedFrame(id, message.id, message.changeSeq));
  }

  function leave(ws: Socket, id: number, closing = false): void {
    if (!ws.data.entered.delete(id)) return;
    if (!closing) {
      ws.unsubscribe(roomTopic(id));
      // Back to the sidebar's view of the room, unless it is not in the sidebar (hidden, or lost meanwhile).
      const involvement = involvementOf(db, ws.data.userId, id);
      if (involvement !== null && involvement !== "invisible") ws.subscribe(activityTopic(id));
    }
    leaveRoom(db, ws.data.userId, id);
    announcePresence(ctx, id);
  }

  function handle(ws: Socket, raw: string | Buffer): void {
    if (ws.data.closing) return;
    // Counted before parsing, so a flood costs a counter per frame, not a JSON parse.
    if (!ws.data.budget.takeFrame(performance.now())) {
      refuse(ws, "Too many frames; slow down.");
      return;
    }
    let parsed: ReturnType<typeof ClientFrameSchema.safeParse>;
    try {
      parsed = ClientFrameSchema.safeParse(JSON.parse(String(raw)));
    } catch {
      return; // not JSON: nothing to act on
    }
    if (!parsed.success) return;
    const frame = parsed.data;
    switch (frame.type) {
      case "enter":
        // A page from before an upgrade knows only message ids; reloading gives it the new script and a cursor.
        if (frame.since === undefined && frame.after !== undefined) ws.send(refreshFrame(frame.room_id));
        else enter(ws, frame.room_id, frame.since);
        return;
      case "leave":
        leave(ws, frame.room_id);
        return;
      case "typing":
        // Only to others in the room; ws.publish skips the sender.
        if (ws.data.entered.has(frame.room_id))
          ws.publish(roomTopic(frame.room_id), typingFrame(frame.room_id, { id: ws.data.userId, name: ws.data.userName }, frame.state));
        return;
      case "ping":
        for (const id of refreshPresence(db, ws.data.userId, [...ws.data.entered])) announcePresence(ctx, id);
        return;
    }
  }

  /**
   * Bun ends the process when a socket handler throws, so every handler runs inside this, as HTTP
   * routes run inside app.onError: the error is logged, that one socket is closed (its tab
   * reconnects), and everyone else carries on.
   */
  function guarded<A extends unknown[]>(name: string, handler: (ws: Socket, ...args: A) => void) {
    return (ws: Socket, ...args: A): void => {
      try {
        handler(ws, ...args);
      } catch (error) {
        if (isDiskFull(error)) ctx.diskSpace.markFull({ userId: ws.data.userId, socket: name });
        else ctx.log("error", `socket ${name} failed`, { error, userId: ws.data.userId });
        if (name === "close") return;
        ws.data.closing = true;
        ws.close(SERVER_ERROR_CLOSE_CODE, "Something went wrong on the server; reconnecting.");
      }
    };
  }

  return {
    open: guarded("open", (ws) => {
      // The upgrade route refuses the 101st tab; tabs opening together can all pass it before any opens.
      if (connections.countOf(ws.data.userId) >= MAX_SOCKETS_PER_PERSON) {
        refuse(ws, `You have ${MAX_SOCKETS_PER_PERSON} tabs connected already; close some and reload.`);
        return;
      }
      ws.subscribe(userTopic(ws.data.userId));
      for (const id of visibleRoomIds(db, ws.data.userId)) ws.subscribe(activityTopic(id));
      connections.add(ws);
    }),
    message: guarded("message", handle),
    close: guarded("close", (ws) => {
      connections.remove(ws);
      if (ctx.stopping) return; // the database is closing with the server; presence expires by itself
      for (const id of [...ws.data.entered]) leave(ws, id, true);
    }),
  };
}
