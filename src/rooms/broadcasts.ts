import { roomRemovedFrame, sidebarRemoveFrame, sidebarRoomFrame } from "../../templates/frames.ts";
import { presenceHtml } from "../../templates/rooms/presence.ts";
import { sidebarItemHtml } from "../../templates/rooms/sidebar.tsx";
import type { AppContext } from "../http/env.ts";
import { roomTopic } from "../realtime/topics.ts";
import { visibleMemberIds } from "./memberships.ts";
import { expireStalePresence, presentUsers } from "./presence.ts";
import { type MembershipChange, type Room, roomPeople } from "./rooms.ts";

type Deps = Pick<AppContext, "db" | "publisher" | "connections">;

/** The room's sidebar entry, rendered once for everyone who has it. */
function sidebarFrame({ db }: Deps, room: Room): string {
  const members = room.kind === "direct" ? roomPeople(db, room.id) : [];
  return sidebarRoomFrame(room.id, sidebarItemHtml({ ...room, unread: false, members }));
}

/** A room appeared for these people: it shows in their sidebars and their tabs follow it. */
export function announceRoom(deps: Deps, room: Room, userIds: number[]): void {
  deps.publisher.publishToUsers(userIds, sidebarFrame(deps, room));
  deps.connections.follow(userIds, room.id);
}

/** A room was renamed or its people changed: keepers see the new entry, newcomers get it, leavers lose it. */
export function announceRoomChange(deps: Deps, room: Room, change: MembershipChange): void {
  const visible = new Set(visibleMemberIds(deps.db, room.id));
  deps.publisher.publishToUsers(
    [...change.kept, ...change.granted].filter((id) => visible.has(id)),
    sidebarFrame(deps, room),
  );
  deps.connections.follow(change.granted, room.id);
  withdrawRoom(deps, room.id, change.revoked, "You were removed from this room.");
  // Anyone removed while looking at the room leaves its "here now" list too.
  if (change.revoked.length > 0) announcePresence(deps, room.id);
}

// Comings and goings within this long go out as one update.
const PRESENCE_DELAY_MS = 50;

/** Who is looking at the room, for everyone looking at it, as of a moment from now. */
export function announcePresence({ db, publisher }: Deps, roomId: number): void {
  publisher.publishLatest(
    `presence:${roomId}`,
    roomTopic(roomId),
    () => presenceHtml(roomId, presentUsers(db, roomId), true).text,
    PRESENCE_DELAY_MS,
  );
}

/** People lost a room: it leaves their sidebars and nothing more of it reaches their open tabs. */
export function withdrawRoom(deps: Deps, roomId: number, userIds: number[], reason: string): void {
  if (userIds.length === 0) return;
  deps.publisher.publishToUsers(userIds, roomRemovedFrame(roomId, reason));
  deps.connections.revoke(userIds, roomId);
}

/** Hiding a room takes it out of the sidebar only; showing it again brings it back. */
export function announceVisibility(deps: Deps, room: Room, userId: number, visible: boolean): void {
  if (visible) announceRoom(deps, room, [userId]);
  else {
    deps.publisher.publishToUsers([userId], sidebarRemoveFrame(room.id));
    deps.connections.unfollow([userId], room.id);
  }
}

/** Run every little while: people whose tabs went silent leave the rooms' "here now" lists. */
export function sweepPresence(deps: Deps): void {
  for (const roomId of expireStalePresence(deps.db)) announcePresence(deps, roomId);
}
