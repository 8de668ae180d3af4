/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { roomName, type Room } from "../../src/rooms/rooms.ts";
import type { User } from "../../src/users/users.ts";
import { Avatar } from "../shared/avatar.tsx";

type SidebarProps = { user: User; accountName: string; rooms: Room[]; currentRoomId?: number };

export const Sidebar: FC<SidebarProps> = ({ user, accountName, rooms, currentRoomId }) => (
  <nav class="sidebar" aria-label="Rooms">
    <header class="sidebar__header">
      <span class="sidebar__account">{accountName}</span>
    </header>
    <h2 class="sidebar__heading">Rooms</h2>
    <ul id="shared_rooms" class="sidebar__rooms">
      {rooms.map((room) => (
        <li>
          <a
            id={`sidebar_room_${room.id}`}
            class={`sidebar__room${room.id === currentRoomId ? " sidebar__room--current" : ""}`}
            href={`/rooms/${room.id}`}
            aria-current={room.id === currentRoomId ? "page" : undefined}
          >
            {roomName(room)}
          </a>
        </li>
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
