// The room's WebSocket (/cable), carried by htmx's ws extension: htmx swaps plain out-of-band
// fragments (presence); <template data-frame> frames go to the handlers registered here.
import { type ClientFrame, type FrameDataset, type FrameKind, PING_MS, SIGNED_OUT_CLOSE_CODE } from "../../src/realtime/protocol.ts";
import { changeSeq } from "./message-list.ts";

/** What a frame handler gets: the frame's data attributes and its content, which it must not consume. */
export type FrameHandler<K extends FrameKind> = (data: FrameDataset<K>, content: DocumentFragment) => void;

// The parts of htmx-ext-ws's event details used here.
type SocketWrapper = { send(message: string): void; reconnect(): void };
type SocketEvent = CustomEvent<{ socketWrapper: SocketWrapper; event: CloseEvent; message: unknown }>;

const RETRIED_BY_HTMX = [1006, 1011, 1012, 1013];
const handlers: { [K in FrameKind]?: FrameHandler<K>[] } = {};
let wrapper: SocketWrapper | null = null;
let pingTimer: ReturnType<typeof setInterval> | undefined;
let attempts = 0;
// Set while this page's own Sign out is on its way: the server closes the socket before it answers,
// and the answer's redirect does the navigating. Navigating on the close as well would abort one of them.
let signingOut = false;

const roomElement = () => document.querySelector<HTMLElement>("main.room[data-room-id]");

export function send(frame: ClientFrame): void {
  if (wrapper) wrapper.send(JSON.stringify(frame));
}

function setConnected(connected: boolean) {
  const status = document.querySelector<HTMLElement>("[data-connection-status]");
  if (status) status.hidden = connected;
  document.body.classList.toggle("is-disconnected", !connected);
}

document.addEventListener("htmx:wsOpen", (event) => {
  wrapper = (event as SocketEvent).detail.socketWrapper;
  attempts = 0;
  setConnected(true);
  const room = roomElement();
  // `since` is the room's latest change this page has, so a reconnect brings exactly what was missed:
  // new messages, edits and deletions.
  if (room) send({ type: "enter", room_id: Number(room.dataset.roomId), since: changeSeq() });
  clearInterval(pingTimer);
  pingTimer = setInterval(() => send({ type: "ping" }), PING_MS);
});

document.addEventListener("htmx:wsClose", (event) => {
  const { detail } = event as SocketEvent;
  clearInterval(pingTimer);
  if (!roomElement()) return;
  setConnected(false);
  const code = detail.event.code;
  if (code === SIGNED_OUT_CLOSE_CODE) {
    if (!signingOut) window.location.href = "/session/new";
    return;
  }
  // htmx retries abnormal closes itself; a server restart or shutdown closes cleanly, so retry those too.
  if (!RETRIED_BY_HTMX.includes(code)) {
    attempts += 1;
    const delay = Math.random() * 1000 * 2 ** Math.min(attempts, 5);
    setTimeout(() => detail.socketWrapper.reconnect(), delay);
  }
});

const isSignOut = (event: Event) => (event.target as Element).matches('[hx-delete="/session"]');
document.addEventListener("htmx:beforeRequest", (event) => {
  if (isSignOut(event)) signingOut = true;
});
// (Not afterRequest: htmx skips setting `successful` when it follows a redirect.)
for (const failed of ["htmx:responseError", "htmx:sendError"]) {
  document.addEventListener(failed, (event) => {
    if (isSignOut(event)) signingOut = false;
  });
}

document.addEventListener("htmx:wsBeforeMessage", (event) => {
  const data = (event as SocketEvent).detail.message;
  if (typeof data !== "string" || !data.startsWith("<template data-frame")) return;
  event.preventDefault();
  const holder = document.createElement("template");
  holder.innerHTML = data;
  for (const frame of holder.content.querySelectorAll<HTMLTemplateElement>("template[data-frame]")) {
    const kind = frame.dataset.frame as FrameKind;
    const kindHandlers = handlers[kind] as FrameHandler<typeof kind>[] | undefined;
    // A kind nobody handles means this script and the server disagree: say so rather than drop it quietly.
    if (!kindHandlers) console.error(`Campfire: no handler for "${kind}" frames`);
    for (const handle of kindHandlers ?? []) handle(frame.dataset as FrameDataset<typeof kind>, frame.content);
  }
});

/** Adds something to do with one kind of frame. */
export function on<K extends FrameKind>(kind: K, handler: FrameHandler<K>): void {
  ((handlers[kind] ??= []) as FrameHandler<K>[]).push(handler);
}
