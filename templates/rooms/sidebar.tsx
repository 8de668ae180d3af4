/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { SidebarRoom } from "../../src/rooms/rooms.ts";
import type { User } from "../../src/users/users.ts";
import { domId } from "../dom-id.ts";
import { Avatar } from "../shared/avatar.tsx";

/**
 * One room in the sidebar. The same bytes go to every member when it changes, so a direct room
 * lists everyone and the client hides the reader's own name; unread and current marks are added
 * per reader (on the page by the server, live by the client).
 */
export const SidebarItem: FC<{ room: SidebarRoom; currentRoomId?: number; viewerId?: number }> = ({ room, currentRoomId, viewerId }) => {
  const current = room.id === currentRoomId;
  // On a page the server knows the reader and hides their name itself; broadcasts leave it to the client.
  const hideViewer = viewerId !== undefined && room.members.some((member) => member.id !== viewerId);
  return (
    <li
      id={domId("sidebar_room", room.id)}
      class={`sidebar__item${room.unread && !current ? " sidebar__item--unread" : ""}${current ? " sidebar__item--current" : ""}`}
      data-room-id={room.id}
      data-kind={room.kind}
      data-sort-name={room.name?.toLowerCase()}
      data-last-message-at={room.lastMessageAt ?? 0}
    >
      <a class="sidebar__room" href={`/rooms/${room.id}`} aria-current={current ? "page" : undefined}>
        {room.kind === "direct" ? (
          <span class="direct-names">
            {room.members.map((member) => (
              <span class="direct-names__name" data-user-id={member.id} hidden={hideViewer && member.id === viewerId}>
                {member.name}
              </span>
            ))}
          </span>
        ) : (
          room.name
        )}
      </a>
    </li>
  );
};

type SidebarProps = { user: User; accountName: string; shared: SidebarRoom[]; directs: SidebarRoom[]; currentRoomId?: number; canCreateRooms: boolean };

export const Sidebar: FC<SidebarProps> = ({ user, accountName, shared, directs, currentRoomId, canCreateRooms }) => (
  <nav class="sidebar" aria-label="Rooms">
    <header class="sidebar__header">
      <a class="sidebar__account" href="/account">
        {accountName}
      </a>
    </header>
    <div class="sidebar__section">
      <h2 class="sidebar__heading">Rooms</h2>
      {canCreateRooms ? (
        <a class="sidebar__add" href="/rooms/new" title="New room" aria-label="New room">
          +
        </a>
      ) : null}
    </div>
    <ul id="shared_rooms" class="sidebar__rooms" data-sort="name">
      {shared.map((room) => (
        <SidebarItem room={room} currentRoomId={currentRoomId} viewerId={user.id} />
      ))}
    </ul>
    <div class="sidebar__section">
      <h2 class="sidebar__heading">Direct messages</h2>
      <a class="sidebar__add" href="/rooms/directs/new" title="New direct message" aria-label="New direct message">
        +
      </a>
    </div>
    <ul id="direct_rooms" class="sidebar__rooms" data-sort="recent">
      {directs.map((room) => (
        <SidebarItem room={room} currentRoomId={currentRoomId} viewerId={user.id} />
      ))}
    </ul>
    <footer class="sidebar__footer">
      <Avatar user={user} />
      <span class="sidebar__me">{user.name}</span>
      <button class="button button--quiet" type="button" hx-delete="/session">
        Sign out
      </button>
    </footer>
  </nav>
);
