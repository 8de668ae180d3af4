import type { Client } from "./client.ts";
import type { TestServer } from "./server.ts";

/** A frame as it arrived, with when it arrived (performance.now()), for latency figures. */
export type Arrival = { frame: string; at: number };

export type TestSocket = {
  /** Every frame received so far, in order of arrival. */
  readonly frames: string[];
  readonly arrivals: Arrival[];
  send(frame: unknown): void;
  /** Resolves with the first frame (from index `from` on) that matches; rejects after `timeoutMs` listing what did arrive. */
  waitFor(predicate: (frame: string) => boolean, timeoutMs?: number, from?: number): Promise<string>;
  /** Resolves once `condition()` holds, checked as each frame arrives; rejects after `timeoutMs` listing what arrived. */
  waitUntil(condition: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  /** Sends `enter` and waits until the server has handled it (its `read` frame, or `room-removed` for a stranger). */
  enter(roomId: number, since?: number): Promise<string>;
  /** Sends `leave` and waits until the server has handled everything sent before it. */
  leave(roomId: number): Promise<void>;
  /** Waits until the server has handled every frame sent so far (frames are handled in order). */
  sync(): Promise<void>;
  /** Ids of `<article id="message_N"` in received `messages` frames, in order of arrival. */
  messageIds(): number[];
  /** The highest room change number received (what the browser sends as `since` when it reconnects), or 0. */
  changeSeq(): number;
  /** Resolves with the close code once the socket is closed (by either side). */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly isOpen: boolean;
  close(): void;
};

const DEFAULT_TIMEOUT_MS = 3_000;

/** The `data-frame` kind of a server frame, or "presence" for the presence swap. */
export function kindOf(frame: string): string {
  const template = /^<template data-frame="([\w-]+)"/.exec(frame);
  if (template) return template[1]!;
  if (/^<div id="room_\d+_presence"/.test(frame)) return "presence";
  return "unknown";
}

export function roomOf(frame: string): number | null {
  const match = /data-room-id="(\d+)"/.exec(frame) ?? /^<div id="room_(\d+)_presence"/.exec(frame);
  return match ? Number(match[1]) : null;
}

/** A predicate for `waitFor`: a frame of this kind, optionally about this room. */
export const frameOf =
  (kind: string, roomId?: number) =>
  (frame: string): boolean =>
    kindOf(frame) === kind && (roomId === undefined || roomOf(frame) === roomId);

/** A predicate for `waitFor`: a `messages` frame carrying this message. */
export const carrying =
  (messageId: number) =>
  (frame: string): boolean =>
    kindOf(frame) === "messages" && frame.includes(`<article id="message_${messageId}"`);

/** Every `data-change-seq` in a frame or page: its messages' and its deletion's change numbers. */
export const changeSeqsIn = (html: string): number[] => [...html.matchAll(/data-change-seq="(\d+)"/g)].map((m) => Number(m[1]));

export const idsIn = (frame: string): number[] => [...frame.matchAll(/<article id="message_(\d+)"/g)].map((m) => Number(m[1]));

/** The names a presence frame lists as here now. */
export function presentNames(frame: string): string[] {
  const text = /Here now: ([^<]*)</.exec(frame)?.[1] ?? "";
  return text === "nobody" ? [] : text.split(", ");
}

/** Bun's WebSocket takes request headers (a browser sets Cookie and Origin itself); the DOM typings don't know that. */
export const WebSocketWithHeaders = WebSocket as unknown as new (url: string, options: { headers: Record<string, string> }) => WebSocket;

const cookieHeader = (client: Client): string => [...client.cookies].map(([name, value]) => `${name}=${value}`).join("; ");

/** A socket that a never-seen room id answers with `room-removed`: a round trip with no side effects. */
let syncRoomId = 1_000_000_000;

/** Opens /cable as the client's browser tab would (its cookie, a same-origin Origin) and waits for it to open. */
export async function openSocket(server: Pick<TestServer, "url">, client: Client): Promise<TestSocket> {
  const ws = new WebSocketWithHeaders(server.url.replace(/^http/, "ws") + "/cable", {
    headers: { cookie: cookieHeader(client), origin: server.url },
  });
  const arrivals: Arrival[] = [];
  const frames: string[] = [];
  const listeners = new Set<() => void>();
  let resolveClosed!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));

  ws.addEventListener("message", (event) => {
    const frame = String(event.data);
    arrivals.push({ frame, at: performance.now() });
    frames.push(frame);
    for (const listener of [...listeners]) listener();
  });
  ws.addEventListener("close", (event) => {
    resolveClosed({ code: event.code, reason: event.reason });
    for (const listener of [...listeners]) listener();
  });

  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("error", () => reject(new Error("The WebSocket to /cable did not open.")), { once: true });
  });

  const SHOWN = 40;
  const describe = (from: number) => {
    if (frames.length === from) return "no frames";
    const start = Math.max(from, frames.length - SHOWN);
    const skipped = start > from ? `  … ${start - from} earlier frames\n` : "";
    return (
      skipped +
      frames
        .slice(start)
        .map((frame, i) => `  #${start + i} ${frame.length > 300 ? frame.slice(0, 300) + "…" : frame}`)
        .join("\n")
    );
  };

  async function waitFor(predicate: (frame: string) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS, from = 0): Promise<string> {
    let checked = from;
    let found: string | undefined;
    await waitUntil(
      () => {
        for (; found === undefined && checked < frames.length; checked++) if (predicate(frames[checked]!)) found = frames[checked];
        return found !== undefined;
      },
      timeoutMs,
      `the expected frame (since #${from})`,
      from,
    );
    return found!;
  }

  function waitUntil(condition: () => boolean, timeoutMs = DEFAULT_TIMEOUT_MS, what = "the condition", from = 0): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition()) {
          done();
          resolve();
        } else if (ws.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error(`The socket closed before ${what} held; received:\n${describe(from)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${what} did not hold within ${timeoutMs} ms; received:\n${describe(from)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  }

  const send = (frame: unknown) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));

  async function sync(): Promise<void> {
    const id = ++syncRoomId;
    const from = frames.length;
    send({ type: "enter", room_id: id });
    await waitFor(frameOf("room-removed", id), DEFAULT_TIMEOUT_MS, from);
  }

  return {
    frames,
    arrivals,
    send,
    waitFor,
    waitUntil,
    async enter(roomId, since) {
      const from = frames.length;
      send({ type: "enter", room_id: roomId, since });
      return waitFor((frame) => roomOf(frame) === roomId && ["read", "room-removed"].includes(kindOf(frame)), DEFAULT_TIMEOUT_MS, from);
    },
    async leave(roomId) {
      send({ type: "leave", room_id: roomId });
      await sync();
    },
    sync,
    messageIds: () => frames.filter(frameOf("messages")).flatMap(idsIn),
    changeSeq: () => Math.max(0, ...frames.flatMap(changeSeqsIn)),
    closed,
    get isOpen() {
      return ws.readyState === WebSocket.OPEN;
    },
    close: () => ws.close(),
  };
}

/** The id of the message a `POST /rooms/:id/messages` answered with (its `Location` permalink). */
export function messageIdFrom(response: Response): number {
  const match = /^\/rooms\/\d+\/@(\d+)$/.exec(response.headers.get("location") ?? "");
  if (!match) throw new Error(`expected a posted message, got ${response.status} ${response.headers.get("location")}`);
  return Number(match[1]);
}
