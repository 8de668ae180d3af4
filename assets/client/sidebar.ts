// Live sidebar and room header: unread marks, rooms appearing, renamed, hidden or gone, direct
// messages ordered by recency, and who is typing.
import { domId, FRAME, TYPING_EXPIRES_MS } from "../../src/realtime/protocol.ts";
import { announce } from "./announcer.ts";
import { flash } from "./flash.ts";
import { onLoad } from "./on-load.ts";
import { on } from "./socket.ts";

const me = () => document.body.dataset.userId;
const currentRoomId = () => document.querySelector<HTMLElement>("main.room[data-room-id]")?.dataset.roomId;
const item = (roomId: string | undefined) => (roomId ? document.getElementById(domId("sidebar_room", roomId)) : null);

/** A direct room lists everyone; the reader sees the others (or themselves, in a note-to-self). */
function nameDirects(root: Element) {
  for (const names of root.querySelectorAll(".direct-names")) {
    const all = [...names.children] as HTMLElement[];
    const others = all.filter((name) => name.dataset.userId !== me());
    for (const name of all) name.hidden = others.length > 0 && name.dataset.userId === me();
  }
}

function moveToTop(entry: HTMLElement | null) {
  const directs = document.getElementById("direct_rooms");
  if (entry && directs && entry.parentElement === directs) directs.prepend(entry);
}

function insertSorted(entry: HTMLElement) {
  if (entry.dataset.kind === "direct") {
    document.getElementById("direct_rooms")?.prepend(entry);
    return;
  }
  const shared = document.getElementById("shared_rooms");
  if (!shared) return;
  const name = entry.dataset.sortName || "";
  const next = ([...shared.children] as HTMLElement[]).find((other) => (other.dataset.sortName || "") > name);
  shared.insertBefore(entry, next ?? null);
}

on(FRAME.sidebarRoom, (data, content) => {
  const entry = content.querySelector("li");
  if (!entry) return;
  const existing = item(data.roomId);
  if (existing) {
    // Unread and current are this reader's own marks; the broadcast copy knows nothing of them.
    for (const mark of ["sidebar__item--unread", "sidebar__item--current"]) entry.classList.toggle(mark, existing.classList.contains(mark));
    existing.remove();
  }
  insertSorted(entry);
  nameDirects(entry);
  // A rename reaches the header of the room being looked at, too.
  const heading = document.querySelector(".room__name");
  if (heading && data.roomId === currentRoomId() && entry.dataset.kind !== "direct") heading.textContent = entry.textContent.trim();
});

on(FRAME.sidebarRemove, (data) => item(data.roomId)?.remove());

on(FRAME.activity, (data) => {
  const entry = item(data.roomId);
  if (!entry) return;
  if (data.roomId !== currentRoomId() && data.creatorId !== me()) entry.classList.add("sidebar__item--unread");
  moveToTop(entry);
});

on(FRAME.read, (data) => item(data.roomId)?.classList.remove("sidebar__item--unread"));

on(FRAME.roomRemoved, (data) => {
  item(data.roomId)?.remove();
  if (data.roomId !== currentRoomId()) return;
  flash(data.reason);
  const composer = document.querySelector<HTMLFormElement>("[data-composer]");
  if (composer) for (const control of composer.elements) (control as HTMLInputElement).disabled = true;
});

on(FRAME.refresh, (data) => {
  if (data.roomId === currentRoomId()) window.location.reload();
});

// Live messages in the open room move its direct conversation up, and end their authors' typing.
on(FRAME.messages, (_data, content) => {
  moveToTop(item(currentRoomId()));
  for (const message of content.querySelectorAll<HTMLElement>(".message[data-creator-id]")) typists.delete(message.dataset.creatorId!);
  showTypists();
});

// Who is typing: names expire on their own, so a lost "stop" never leaves one behind.
const typists = new Map<string, { name: string; until: number }>();
function showTypists() {
  const line = document.querySelector("[data-typing]");
  if (!line) return;
  const now = Date.now();
  for (const [id, typist] of typists) if (typist.until < now) typists.delete(id);
  const names = [...typists.values()].map((typist) => typist.name).sort();
  const text =
    names.length === 0
      ? ""
      : names.length === 1
        ? `${names[0]} is typing…`
        : names.length === 2
          ? `${names[0]} and ${names[1]} are typing…`
          : "Several people are typing…";
  if (line.textContent !== text) line.textContent = text;
}
on(FRAME.typing, (data) => {
  if (data.userId === me() || data.roomId !== currentRoomId()) return;
  // Said once when someone starts, not on every refresh of their "still typing".
  if (data.state === "start" && !typists.has(data.userId)) announce(`${data.userName} is typing`);
  if (data.state === "start") typists.set(data.userId, { name: data.userName, until: Date.now() + TYPING_EXPIRES_MS });
  else typists.delete(data.userId);
  showTypists();
});
setInterval(showTypists, 1000);

// While the tab is in the background, its title counts what arrived from others: "(3) All Talk".
const baseTitle = document.title;
let unseen = 0;
function countUnseen(creatorId: string | undefined) {
  if (!document.hidden || creatorId === me()) return;
  unseen += 1;
  document.title = `(${unseen}) ${baseTitle}`;
}
document.addEventListener("visibilitychange", () => {
  if (document.hidden) return;
  unseen = 0;
  document.title = baseTitle;
});
on(FRAME.activity, (data) => countUnseen(data.creatorId));
on(FRAME.messages, (_data, content) => {
  // An edit comes as a messages frame too, but it is not something new to read.
  const message = content.querySelector<HTMLElement>(".message[data-creator-id]");
  if (message && !message.querySelector(".message__edited")) countUnseen(message.dataset.creatorId);
});

// Phones: the Rooms button opens the sidebar over the room as a drawer; choosing a room, tapping
// away or Escape closes it. Closed, it is inert (off screen is not enough: its links would still be
// Tab stops and read out); open, the focus moves into it, and back to the button when it closes.
const phone = window.matchMedia("(max-width: 700px)");
const toggle = () => document.querySelector<HTMLElement>("[data-sidebar-toggle]");

function setDrawer(open: boolean, { returnFocus = false } = {}) {
  const sidebar = document.querySelector<HTMLElement>("nav.sidebar");
  const button = toggle();
  if (!sidebar || !button) return;
  const wasOpen = document.body.classList.contains("sidebar-open");
  document.body.classList.toggle("sidebar-open", open);
  button.setAttribute("aria-expanded", String(open));
  sidebar.inert = phone.matches && !open;
  if (open && !wasOpen)
    (sidebar.querySelector<HTMLElement>(".sidebar__item--current a") ?? sidebar.querySelector<HTMLElement>("a[href]"))?.focus();
  if (!open && wasOpen && returnFocus) button.focus();
}

document.addEventListener("click", (event) => {
  const target = event.target as Element;
  const open = document.body.classList.contains("sidebar-open");
  if (target.closest("[data-sidebar-toggle]")) setDrawer(!open);
  else if (open && (!target.closest(".sidebar") || target.closest(".sidebar__room"))) setDrawer(false);
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !document.body.classList.contains("sidebar-open")) return;
  event.preventDefault();
  setDrawer(false, { returnFocus: true });
});
phone.addEventListener("change", () => setDrawer(false));
document.addEventListener("DOMContentLoaded", () => setDrawer(false));

// Frames sent while the socket was down are lost, so a reconnect brings the whole sidebar again.
let opened = false;
document.addEventListener("htmx:wsOpen", async () => {
  if (!opened) {
    opened = true;
    return;
  }
  const response = await fetch(`/users/me/sidebar?room_id=${currentRoomId() ?? ""}`, { headers: { "hx-request": "true" } });
  const sidebar = document.querySelector<HTMLElement>("nav.sidebar");
  if (!response.ok || !sidebar) return;
  const fresh = document.createElement("template");
  fresh.innerHTML = await response.text();
  const nav = fresh.content.querySelector<HTMLElement>("nav.sidebar");
  if (!nav) return;
  nameDirects(nav);
  nav.inert = sidebar.inert;
  sidebar.replaceWith(nav);
});

onLoad(nameDirects);
