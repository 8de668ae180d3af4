import type { Database } from "bun:sqlite";
import { canCreateRooms, findAccount } from "../accounts/accounts.ts";
import { type Attachment, forgetRoomFiles } from "../attachments/attachments.ts";
import type { Reads } from "../cache/read-cache.ts";
import { now } from "../db/time.ts";
import { isAdministrator, type User } from "../users/users.ts";
import {
  grantMemberships,
  grantMembershipsToActiveUsers,
  type Involvement,
  isMember,
  type Member,
  memberIds,
  revokeMemberships,
} from "./memberships.ts";
import { roomEntries, roomEntry } from "./room-entries.ts";

export type RoomKind = "open" | "closed" | "direct";
export type Room = { id: number; kind: RoomKind; name: string | null; creatorId: number; lastMessageAt: number | null };

/** A direct room is named after the people in it, other than the reader (or the reader alone). */
export function roomName(room: Room, members: Member[] = [], viewerId?: number): string {
  if (room.name !== null) return room.name;
  const others = members.filter((member) => member.id !== viewerId);
  return (others.length > 0 ? others : members).map((member) => member.name).join(", ") || "Direct message";
}

const ROOM_COLUMNS = "rooms.id, rooms.kind, rooms.name, rooms.creator_id AS creatorId, rooms.last_message_at AS lastMessageAt";

/** An open room: everyone active is a member, now and when they join later. */
export function createOpenRoom(db: Database, creator: User, name: string): Room {
  const at = now();
  const { lastInsertRowid } = db
    .query("INSERT INTO rooms (kind, name, creator_id, created_at, updated_at) VALUES ('open', ?, ?, ?, ?)")
    .run(name, creator.id, at, at);
  const roomId = Number(lastInsertRowid);
  grantMembershipsToActiveUsers(db, roomId);
  return findRoom(db, roomId)!;
}

export function findRoom(db: Database, id: number): Room | null {
  return db.query<Room, [number]>(`SELECT ${ROOM_COLUMNS} FROM rooms WHERE id = ?`).get(id);
}

/**
 * The only way to look a room up for a person: through their membership, so a stranger gets null.
 * The membership is checked on every call; the room's facts come from its kept entry.
 */
export function findRoomFor(reads: Reads, user: User, id: number): Room | null {
  if (!isMember(reads.db, user.id, id)) return null;
  const entry = roomEntry(reads, id);
  return entry && { id: entry.id, kind: entry.kind, name: entry.name, creatorId: entry.creatorId, lastMessageAt: entry.lastMessageAt };
}

export type SidebarRoom = Room & { unread: boolean; members: Member[] };

export type SidebarRooms = { shared: SidebarRoom[]; directs: SidebarRoom[]; hiddenCount: number };

/**
 * The sidebar: shared rooms by name, direct rooms most recent first, hidden ones left out but
 * counted (so the way to find them again shows only when there are some). Kept by the read cache
 * until a post, a room's change or the person's own membership change; built from the rooms' kept
 * entries and one query of the person's memberships.
 */
export function sidebarFor(reads: Reads, user: User): SidebarRooms {
  return reads.cache.sidebarOr(user.id, () => readSidebar(reads, user));
}

function readSidebar(reads: Reads, user: User): SidebarRooms {
  const all = reads.db
    .query<{ roomId: number; unreadAt: number | null; hidden: number }, [number]>(
      "SELECT room_id AS roomId, unread_at AS unreadAt, involvement = 'invisible' AS hidden FROM memberships WHERE user_id = ?",
    )
    .all(user.id);
  const memberships = all.filter((m) => !m.hidden);
  const unread = new Map(memberships.map((m) => [m.roomId, m.unreadAt !== null]));
  // Sort keys are worked out once per room, not once per comparison: lowering names inside the
  // comparator cost more than the rest of the sidebar's data.
  const shared: { room: SidebarRoom; name: string; recency: number }[] = [];
  const directs: { room: SidebarRoom; name: string; recency: number }[] = [];
  for (const entry of roomEntries(
    reads,
    memberships.map((m) => m.roomId),
  )) {
    const { id, kind, name, creatorId, lastMessageAt, members } = entry;
    const room = { id, kind, name, creatorId, lastMessageAt, members, unread: unread.get(id)! };
    (kind === "direct" ? directs : shared).push({ room, name: name?.toLowerCase() ?? "", recency: lastMessageAt ?? entry.createdAt });
  }
  type Sorted = (typeof shared)[number];
  const byRecency = (a: Sorted, b: Sorted) => b.recency - a.recency || a.room.id - b.room.id;
  const byName = (a: Sorted, b: Sorted) => (a.name < b.name ? -1 : a.name > b.name ? 1 : byRecency(a, b));
  return {
    shared: shared.sort(byName).map((sorted) => sorted.room),
    directs: directs.sort(byRecency).map((sorted) => sorted.room),
    hiddenCount: all.length - memberships.length,
  };
}

/** The rooms a person hid from their sidebar, by name as they see it, so they can bring them back. */
export function hiddenRoomsFor(reads: Reads, user: User): { room: Room; name: string }[] {
  const ids = reads.db
    .query<{ roomId: number }, [number]>("SELECT room_id AS roomId FROM memberships WHERE user_id = ? AND involvement = 'invisible'")
    .all(user.id)
    .map((row) => row.roomId);
  return roomEntries(reads, ids)
    .map(({ createdAt: _, members, ...room }) => ({ room, name: roomName(room, members, user.id) }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.room.id - b.room.id);
}

/** A room's name as this person sees it; a direct room's people come from its kept entry. */
export function roomNameFor(reads: Reads, room: Room, viewerId: number): string {
  return roomName(room, room.kind === "direct" ? (roomEntry(reads, room.id)?.members ?? []) : [], viewerId);
}

/** What every signed-in page shows around its content: the account's name and the person's sidebar. */
export function pageFrame(reads: Reads, user: User) {
  return { user, accountName: findAccount(reads)!.name, sidebar: sidebarFor(reads, user), canCreateRooms: canCreateRooms(reads, user) };
}

/** Everyone in a room with their names (a direct room's title). */
export function roomPeople(db: Database, roomId: number): Member[] {
  return db
    .query<Member, [number]>(
      `SELECT users.id, users.name FROM memberships JOIN users ON users.id = memberships.user_id
       WHERE memberships.room_id = ? ORDER BY lower(users.name), users.id`,
    )
    .all(roomId);
}

/** The room a person lands in when they have no recent one: the oldest they belong to. */
export function firstRoomFor(db: Database, user: User): Room | null {
  return db
    .query<Room, [number]>(
      `SELECT ${ROOM_COLUMNS} FROM rooms JOIN memberships ON memberships.room_id = rooms.id
       WHERE memberships.user_id = ? ORDER BY memberships.involvement = 'invisible', rooms.id LIMIT 1`,
    )
    .get(user.id);
}

/** A closed room: the creator plus the people chosen. */
export function createClosedRoom(db: Database, creator: User, name: string, userIds: number[]): Room {
  return db.transaction(() => {
    const at = now();
    const { lastInsertRowid } = db
      .query("INSERT INTO rooms (kind, name, creator_id, created_at, updated_at) VALUES ('closed', ?, ?, ?, ?)")
      .run(name, creator.id, at, at);
    const roomId = Number(lastInsertRowid);
    grantMemberships(db, roomId, activeUserIds(db, [creator.id, ...userIds]));
    return findRoom(db, roomId)!;
  })();
}

/** The same set of people always gets the same direct room, whoever starts it and in whatever order. */
export function findOrCreateDirectRoom(db: Database, creator: User, userIds: number[]): { room: Room; created: boolean } {
  return db.transaction(() => {
    const people = activeUserIds(db, [creator.id, ...userIds]);
    const directKey = people.join(",");
    const existing = db.query<Room, [string]>(`SELECT ${ROOM_COLUMNS} FROM rooms WHERE direct_key = ?`).get(directKey);
    if (existing) return { room: existing, created: false };
    const at = now();
    const { lastInsertRowid } = db
      .query("INSERT INTO rooms (kind, creator_id, direct_key, created_at, updated_at) VALUES ('direct', ?, ?, ?, ?)")
      .run(creator.id, directKey, at, at);
    const roomId = Number(lastInsertRowid);
    grantMemberships(db, roomId, people, "everything");
    return { room: findRoom(db, roomId)!, created: true };
  })();
}

export type MembershipChange = { kept: number[]; granted: number[]; revoked: number[] };

/**
 * Renames an open or closed room and sets who is in it: open means everyone active, closed means
 * exactly the listed people. Says who stayed, who came and who went, for the broadcasts. The
 * caller tells the read cache (`roomChanged`) once this has committed.
 */
export function updateSharedRoom(
  db: Database,
  room: Room,
  input: { kind: "open" | "closed"; name: string; userIds: number[] },
): MembershipChange {
  return db.transaction(() => {
    const before = new Set(memberIds(db, room.id));
    db.query("UPDATE rooms SET kind = ?, name = ?, updated_at = ? WHERE id = ?").run(input.kind, input.name, now(), room.id);
    if (input.kind === "open") grantMembershipsToActiveUsers(db, room.id);
    else {
      const wanted = new Set(activeUserIds(db, input.userIds));
      revokeMemberships(
        db,
        room.id,
        [...before].filter((id) => !wanted.has(id)),
      );
      grantMemberships(db, room.id, [...wanted]);
    }
    const after = new Set(memberIds(db, room.id));
    return {
      kept: [...after].filter((id) => before.has(id)),
      granted: [...after].filter((id) => !before.has(id)),
      revoked: [...before].filter((id) => !after.has(id)),
    };
  })();
}

/**
 * Deletes the room with its messages; returns who was in it, so their tabs can be told (and the
 * cache, `roomChanged`), and the files its messages carried, for the caller to remove from disk.
 */
export function deleteRoom(db: Database, room: Room): { members: number[]; files: Pick<Attachment, "fileKey" | "previewKey">[] } {
  return db.transaction(() => {
    const members = memberIds(db, room.id);
    const files = forgetRoomFiles(db, room.id);
    db.query("DELETE FROM rooms WHERE id = ?").run(room.id);
    return { members, files };
  })();
}

/** Who may edit or delete a room: its creator and administrators; any member may delete a direct room. */
export const canAdministerRoom = (user: User, room: Room): boolean =>
  isAdministrator(user) || user.id === room.creatorId || room.kind === "direct";

/** Of the given ids, the people who exist and are active, sorted and without repeats. */
function activeUserIds(db: Database, ids: number[]): number[] {
  return db
    .query<{ id: number }, [string]>("SELECT id FROM users WHERE status = 'active' AND id IN (SELECT value FROM json_each(?)) ORDER BY id")
    .all(JSON.stringify(ids))
    .map((row) => row.id);
}

/** Every room the person is in, hidden ones included, by name as they see it, with how much each notifies them. */
export function roomsWithInvolvementFor(reads: Reads, user: User): { room: Room; name: string; involvement: Involvement }[] {
  const rows = reads.db
    .query<{ roomId: number; involvement: Involvement }, [number]>(
      "SELECT room_id AS roomId, involvement FROM memberships WHERE user_id = ?",
    )
    .all(user.id);
  const involvements = new Map(rows.map((row) => [row.roomId, row.involvement]));
  return roomEntries(
    reads,
    rows.map((row) => row.roomId),
  )
    .map(({ createdAt: _, members, ...room }) => ({
      room,
      name: roomName(room, members, user.id),
      involvement: involvements.get(room.id)!,
    }))
    .sort(
      (a, b) =>
        Number(a.room.kind === "direct") - Number(b.room.kind === "direct") || a.name.localeCompare(b.name) || a.room.id - b.room.id,
    );
}
