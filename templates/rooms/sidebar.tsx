/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { domId } from "../../src/realtime/protocol.ts";
import type { SidebarRoom, SidebarRooms } from "../../src/rooms/rooms.ts";
import { isAdministrator, type User } from "../../src/users/users.ts";
import { Html, html, inJsx, joinHtml, keep, keptWith } from "../html.ts";
import { renderToString } from "../render.ts";
import { avatarHtml } from "../shared/avatar.tsx";
import { soundsToggleHtml } from "../users/sounds-toggle.tsx";
import { BellIcon } from "./involvement.tsx";

/**
 * One room in the sidebar. The same bytes go to every member when it changes, so a direct room
 * lists everyone and the client hides the reader's own name; unread and current marks are added
 * per reader (on the page by the server, live by the client). Built with `html`, like messageHtml,
 * because every page renders twenty of them.
 */
export function sidebarItemHtml(room: SidebarRoom, currentRoomId?: number, viewerId?: number): Html {
  const current = room.id === currentRoomId;
  const classes = `sidebar__item${room.unread && !current ? " sidebar__item--unread" : ""}${current ? " sidebar__item--current" : ""}`;
  return html`<li
      id="${domId("sidebar_room", room.id)}"
      class="${classes}"
      data-room-id="${room.id}"
      data-kind="${room.kind}"${room.name === null ? "" : html` data-sort-name="${room.name.toLowerCase()}"`}
      data-last-message-at="${room.lastMessageAt ?? 0}">
    <a class="sidebar__room" href="/rooms/${room.id}"${current ? CURRENT : ""}>${room.kind === "direct" ? directNames(room, viewerId) : (room.name ?? "")}</a>
  </li>`;
}

/**
 * A shared room's item is the same for every reader but for two marks (unread, current), so each
 * of its three looks is made once and kept by room, made again when the room's name or time moves
 * on. Every page has a sidebar of some twenty items; making them took most of its ~20 µs. A direct
 * room's item hides the reader's own name, so it is made each time (there are few).
 */
function keptItemHtml(room: SidebarRoom, currentRoomId: number | undefined, viewerId: number): Html {
  if (room.kind === "direct") return sidebarItemHtml(room, currentRoomId, viewerId);
  let kept = keptItems.get(room.id);
  if (kept?.name !== room.name || kept.kind !== room.kind || kept.lastMessageAt !== room.lastMessageAt) {
    if (keptItems.size >= MAX_KEPT_ITEMS) keptItems.clear();
    kept = { name: room.name, kind: room.kind, lastMessageAt: room.lastMessageAt, looks: [undefined, undefined, undefined] };
    keptItems.set(room.id, kept);
  }
  const look = room.id === currentRoomId ? 2 : room.unread ? 1 : 0;
  return (kept.looks[look] ??= keep(sidebarItemHtml(room, currentRoomId, viewerId)));
}

type KeptItem = Pick<SidebarRoom, "name" | "kind" | "lastMessageAt"> & { looks: [Html?, Html?, Html?] };
const keptItems = new Map<number, KeptItem>();
const MAX_KEPT_ITEMS = 1000;

const CURRENT = html` aria-current="page"`;
const HIDDEN = html` hidden`;

function directNames(room: SidebarRoom, viewerId?: number): Html {
  // On a page the server knows the reader and hides their name itself; broadcasts leave it to the client.
  const hideViewer = viewerId !== undefined && room.members.some((member) => member.id !== viewerId);
  const names = room.members.map(
    (member) =>
      html`<span class="direct-names__name" data-user-id="${member.id}"${hideViewer && member.id === viewerId ? HIDDEN : ""}>${avatarHtml(member)}${member.name}</span>`,
  );
  return html`<span class="direct-names">${names}</span>`;
}

export const SidebarItem: FC<{ room: SidebarRoom; currentRoomId?: number; viewerId?: number }> = ({ room, currentRoomId, viewerId }) =>
  inJsx(sidebarItemHtml(room, currentRoomId, viewerId));

type SidebarProps = { sidebar: SidebarRooms; user: User; accountName: string; currentRoomId?: number; canCreateRooms: boolean };

/**
 * The whole sidebar, on every page. Built with `html` like its items: as JSX it took twice as long
 * as the rest of a room page's markup together (about 25 µs more per page), since every page has one.
 * The last one made is kept with the read cache's sidebar object (see `keptWith`) while the
 * person, the account's name, the current room and room creation stay the same: ~20 µs of every
 * full page, ~6 % of a search page. One look, not one per room visited, so it costs at most a
 * sidebar's bytes per person kept.
 */
export const sidebarHtml = (props: SidebarProps): Html =>
  keptSidebars(props.sidebar, JSON.stringify([props.user, props.accountName, props.currentRoomId ?? null, props.canCreateRooms]), () =>
    makeSidebarHtml(props),
  );

const keptSidebars = keptWith<SidebarRooms>();

function makeSidebarHtml({ sidebar, user, accountName, currentRoomId, canCreateRooms }: SidebarProps): Html {
  const items = (rooms: SidebarRoom[]) => joinHtml(rooms.map((room) => keptItemHtml(room, currentRoomId, user.id)));
  return html`<nav id="sidebar" class="sidebar" aria-label="Rooms">
    <header class="sidebar__header"><a class="sidebar__account" href="/account">${accountName}</a></header>
    <div class="sidebar__section">
      <h2 class="sidebar__heading">Rooms</h2>${canCreateRooms ? ADD_ROOM : ""}
    </div>
    <ul id="shared_rooms" class="sidebar__rooms" data-sort="name">${items(sidebar.shared)}</ul>
    <div class="sidebar__section">
      <h2 class="sidebar__heading">Direct messages</h2>
      <a class="sidebar__add" href="/rooms/directs/new" title="New direct message" aria-label="New direct message">+</a>
    </div>
    <ul id="direct_rooms" class="sidebar__rooms" data-sort="recent">${items(sidebar.directs)}</ul>
    ${sidebarExtrasHtml(user, sidebar.hiddenCount)}
    <footer class="sidebar__footer">
      <a class="sidebar__profile" href="/profile" title="Your profile">${avatarHtml(user)}<span class="visually-hidden">Your profile</span></a>
      <span class="sidebar__who">
        <span class="sidebar__me" title="${user.name}">${user.name}</span>
        <button class="sidebar__sign-out" type="button" hx-delete="/session">Sign out</button>
      </span>
      ${soundsToggleHtml(user.soundsMuted === 1)}
    </footer>
  </nav>`;
}

// The same on every page (the client sets its state), so rendered once; JSX escapes what it holds.
// In the extras, not the footer: beside the name and Sign out it cut long names.
const NOTIFICATIONS = keep(
  new Html(
    renderToString(
      <li>
        <a class="sidebar__extra sidebar__notifications" href="/users/me/push_subscriptions" data-notifications-bell data-state="off">
          <BellIcon muted={false} class="sidebar__notifications-icon" />
          Notifications
        </a>
      </li>,
    ),
  ),
);

const ADD_ROOM = html`<a class="sidebar__add" href="/rooms/new" title="New room" aria-label="New room">+</a>`;

export const Sidebar: FC<SidebarProps> = (props) => inJsx(sidebarHtml(props));

/** The ☰ button in a page's header that slides the sidebar in on a phone (assets/client/sidebar.ts). */
export const sidebarToggleHtml = (page: "room" | "search"): Html =>
  html`<button type="button" class="${page}__menu button button--quiet" data-sidebar-toggle aria-label="Show rooms"
    aria-expanded="false" aria-controls="sidebar">☰</button>`;

/**
 * The way back to hidden rooms (when there are some) and, for administrators, to inviting people.
 * Swapped in out of band when the person hides or shows a room, so the count is right at once.
 */
function sidebarExtrasHtml(user: User, hiddenCount: number, oob = false): Html {
  const hidden = hiddenCount > 0 && html`<li><a class="sidebar__extra" href="/rooms/hidden">Hidden rooms (${hiddenCount})</a></li>`;
  return html`<ul id="sidebar_extras" class="sidebar__extras"${oob ? OOB : ""}>${hidden}${NOTIFICATIONS}${isAdministrator(user) ? INVITE : ""}</ul>`;
}

const OOB = html` hx-swap-oob="true"`;
const INVITE = html`<li><a class="sidebar__extra sidebar__invite" href="/account#account_invite">Invite people</a></li>`;

export const SidebarExtras: FC<{ user: User; hiddenCount: number; oob?: boolean }> = ({ user, hiddenCount, oob }) =>
  inJsx(sidebarExtrasHtml(user, hiddenCount, oob));
