// The room's WebSocket (/cable), carried by htmx's ws extension: htmx swaps plain out-of-band
// fragments (presence); <template data-frame> frames go to the handlers registered here.
import { lastId } from "./message-list.ts";

/** What a frame handler gets: the frame's data attributes and its content, which it must not consume. */
export type FrameHandler = (data: DOMStringMap, content: DocumentFragment) => void;

// The parts of htmx-ext-ws's event details used here.
type SocketWrapper = { send(message: string): void; reconnect(): void };
type SocketEvent = CustomEvent<{ socketWrapper: SocketWrapper; event: CloseEvent; message: unknown }>;

const PING_MS = 50_000;
const SIGNED_OUT = 4401;
const RETRIED_BY_HTMX = [1006, 1011, 1012, 1013];
const handlers: Record<string, FrameHandler[]> = {};
let wrapper: SocketWrapper | null = null;
let pingTimer: ReturnType<typeof setInterval> | undefined;
let attempts = 0;

const roomElement = () => document.querySelector<HTMLElement>("main.room[data-room-id]");

export function send(frame: object): void {
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
  // `after` is the newest message on screen, so a reconnect brings exactly what was missed.
  if (room) send({ type: "enter", room_id: Number(room.dataset.roomId), after: lastId() });
  clearInterval(pingTimer);
  pingTimer = setInterval(() => send({ type: "ping" }), PING_MS);
});

document.addEventListener("htmx:wsClose", (event) => {
  const { detail } = event as SocketEvent;
  clearInterval(pingTimer);
  if (!roomElement()) return;
  setConnected(false);
  const code = detail.event.code;
  if (code === SIGNED_OUT) {
    window.location.href = "/session/new";
    return;
  }
  // htmx retries abnormal closes itself; a server restart or shutdown closes cleanly, so retry those too.
  if (!RETRIED_BY_HTMX.includes(code)) {
    attempts += 1;
    const delay = Math.random() * 1000 * 2 ** Math.min(attempts, 5);
    setTimeout(() => detail.socketWrapper.reconnect(), delay);
  }
});

document.addEventListener("htmx:wsBeforeMessage", (event) => {
  const data = (event as SocketEvent).detail.message;
  if (typeof data !== "string" || !data.startsWith("<template data-frame")) return;
  event.preventDefault();
  const holder = document.createElement("template");
  holder.innerHTML = data;
  for (const frame of holder.content.querySelectorAll<HTMLTemplateElement>("template[data-frame]")) {
    for (const handle of handlers[frame.dataset.frame!] ?? []) handle(frame.dataset, frame.content);
  }
});

/** Adds something to do with one kind of frame. */
export function on(kind: string, handler: FrameHandler): void {
  (handlers[kind] ??= []).push(handler);
}
