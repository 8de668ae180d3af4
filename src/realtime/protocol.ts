// What the server and the browser code (assets/client) must agree on, defined once and imported by
// both: the frames each sends the other, close codes, element ids and limits. The browser bundle
// takes this file whole, so it imports nothing and holds no secrets.

/** Messages per page of history: the room page, its older and newer pages, and the client's "was that the last page?". */
export const PAGE_SIZE = 40;

/** The longest message, in characters of its plain text. */
export const MAX_BODY_CHARS = 10_000;

/** The longest boost, in characters as a reader sees them (grapheme clusters: 👍🏽 or a flag is one). */
export const MAX_BOOST_CHARS = 16;

/** A tab pings this often to keep its presence (the server's CONNECTION_TTL_MS, 60 s) from expiring. */
export const PING_MS = 50_000;

/** A typing tab repeats "start" at most this often; the others forget a typist not heard from for TYPING_EXPIRES_MS. */
export const TYPING_THROTTLE_MS = 1000;
export const TYPING_EXPIRES_MS = 5000;

/** A private-use close code the client reads as "go to the sign-in page" rather than "reconnect". */
export const SIGNED_OUT_CLOSE_CODE = 4401;

/** The standard "policy violation" code: the socket asked too much (frames, catch-ups, tabs); reconnect later. */
export const POLICY_VIOLATION_CLOSE_CODE = 1008;

/** The standard "service restart" code: the server is shutting down; reconnect in a moment (htmx retries it by itself). */
export const RESTARTING_CLOSE_CODE = 1012;

/** The standard "internal error" code: handling a frame failed on the server; reconnect (htmx retries it by itself). */
export const SERVER_ERROR_CLOSE_CODE = 1011;

/** Element ids the server renders and the client looks up: domId("message", 42) → "message_42". */
export type DomKind = "message" | "room" | "sidebar_room" | "search_result" | "push_subscription";
export const domId = (kind: DomKind, id: number | string, suffix?: string): string =>
  suffix ? `${kind}_${id}_${suffix}` : `${kind}_${id}`;

export type TypingState = "start" | "stop";

/** Browser → server, as JSON; the server parses them with zod (realtime/socket.ts). */
export type ClientFrame =
  // since: the highest room change number the tab has seen (its page's data-change-seq, or a later frame's);
  // the server answers with every change after it: new and edited messages, and removals.
  // after (a message id) is what pages loaded before change numbers existed still send: they are told to reload.
  | { type: "enter"; room_id: number; since?: number; after?: number }
  | { type: "leave"; room_id: number }
  | { type: "typing"; room_id: number; state: TypingState }
  | { type: "ping" };

/**
 * Server → browser frames that the client script handles itself (everything else on the socket
 * is an htmx out-of-band swap): `<template data-frame="kind" data-…>content</template>`.
 */
export const FRAME = {
  messages: "messages",
  messageRemoved: "message-removed",
  activity: "activity",
  typing: "typing",
  read: "read",
  refresh: "refresh",
  roomRemoved: "room-removed",
  sidebarRoom: "sidebar-room",
  sidebarRemove: "sidebar-remove",
  avatar: "avatar",
  person: "person",
} as const;
export type FrameKind = (typeof FRAME)[keyof typeof FRAME];

/** Each frame's data attributes, as the server writes them (data-room-id="…"). */
export type FrameData = {
  [FRAME.messages]: { "room-id": number; "catch-up"?: "true" };
  [FRAME.messageRemoved]: { "room-id": number; "message-id": number; "change-seq": number };
  [FRAME.activity]: { "room-id": number; "creator-id": number; mentions?: string };
  [FRAME.typing]: { "room-id": number; "user-id": number; "user-name": string; state: TypingState };
  [FRAME.read]: { "room-id": number };
  [FRAME.refresh]: { "room-id": number };
  [FRAME.roomRemoved]: { "room-id": number; reason: string };
  [FRAME.sidebarRoom]: { "room-id": number };
  [FRAME.sidebarRemove]: { "room-id": number };
  [FRAME.avatar]: { "user-id": number };
  [FRAME.person]: { "user-id": number; name: string };
};

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
type Dataset<T> = { [K in keyof T as CamelCase<K & string>]-?: undefined extends T[K] ? string | undefined : string };

/** The same data as the client reads it from `template.dataset` (data-room-id → roomId, every value a string). */
export type FrameDataset<K extends FrameKind> = Dataset<FrameData[K]>;
