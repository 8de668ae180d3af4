import type { WebSocketHandler } from "bun";
import { z } from "zod";
import { messagesFrame, readFrame, refreshFrame, roomRemovedFrame, typingFrame } from "../../templates/frames.ts";
import { messagesHtml } from "../../templates/messages/message.tsx";
import type { AppContext } from "../http/env.ts";
import { messagesAfter } from "../messages/messages.ts";
import { involvementOf, isMember, visibleRoomIds } from "../rooms/memberships.ts";
import { announcePresence } from "../rooms/broadcasts.tsx";
import { enterRoom, leaveRoom, refreshPresence } from "../rooms/presence.ts";
import type { Socket, SocketData } from "./connections.ts";
import type { ClientFrame } from "./protocol.ts";
import { activityTopic, roomTopic, userTopic } from "./topics.ts";

/** Past this many missed messages, a reload is cheaper than a catch-up frame. */
export const MISSED_MESSAGES_CAP = 200;

const roomId = z.number().int().positive();
const ClientFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("enter"), room_id: roomId, after: z.number().int().nonnegative().optional() }),
  z.object({ type: z.literal("leave"), room_id: roomId }),
  z.object({ type: z.literal("typing"), room_id: roomId, state: z.enum(["start", "stop"]) }),
  z.object({ type: z.literal("ping") }),
]) satisfies z.ZodType<ClientFrame>;

/** Bun's handlers for /cable sockets; the upgrade route has already resolved the session. */
export function socketHandlers(ctx: AppContext): WebSocketHandler<SocketData> {
  const { db, publisher, connections } = ctx;


  function enter(ws: Socket, id: number, after: number | undefined): void {
    if (!isMember(db, ws.data.userId, id)) {
      ws.send(roomRemovedFrame(id, "This room doesn't exist or you're not in it."));
      return;
    }
    const newTab = !ws.data.entered.has(id);
    if (newTab) {
      ws.data.entered.add(id);
      ws.unsubscribe(activityTopic(id));
      ws.subscribe(roomTopic(id));
    }
    enterRoom(db, ws.data.userId, id, newTab);
    if (after !== undefined) sendMissed(ws, id, after);
    announcePresence(ctx, id);
    publisher.publish(userTopic(ws.data.userId), readFrame(id));
  }

  // Subscribing and reading happen in the same tick as any post's insert-and-publish, so nothing
  // falls between the query and the subscription; the client drops anything it already has.
  function sendMissed(ws: Socket, id: number, after: number): void {
    const missed = messagesAfter(db, id, after, MISSED_MESSAGES_CAP + 1);
    if (missed.length > MISSED_MESSAGES_CAP) ws.send(refreshFrame(id));
    else if (missed.length > 0) ws.send(messagesFrame(id, messagesHtml(missed)));
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

  return {
    open(ws) {
      ws.subscribe(userTopic(ws.data.userId));
      for (const id of visibleRoomIds(db, ws.data.userId)) ws.subscribe(activityTopic(id));
      connections.add(ws);
    },
    message(ws, raw) {
      let parsed;
      try {
        parsed = ClientFrameSchema.safeParse(JSON.parse(String(raw)));
      } catch {
        return; // not JSON: nothing to act on
      }
      if (!parsed.success) return;
      const frame = parsed.data;
      switch (frame.type) {
        case "enter":
          return enter(ws, frame.room_id, frame.after);
        case "leave":
          return leave(ws, frame.room_id);
        case "typing":
          // Only to others in the room; ws.publish skips the sender.
          if (ws.data.entered.has(frame.room_id))
            ws.publish(roomTopic(frame.room_id), typingFrame(frame.room_id, { id: ws.data.userId, name: ws.data.userName }, frame.state));
          return;
        case "ping":
          for (const id of refreshPresence(db, ws.data.userId, [...ws.data.entered])) announcePresence(ctx, id);
          return;
      }
    },
    close(ws) {
      connections.remove(ws);
      if (ctx.stopping) return; // the database is closing with the server; presence expires by itself
      for (const id of [...ws.data.entered]) leave(ws, id, true);
    },
  };
}
