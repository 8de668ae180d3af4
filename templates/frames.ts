import { FRAME, type FrameData, type FrameKind, type TypingState } from "../src/realtime/protocol.ts";
import { type Html, html } from "./html.ts";

/**
 * WebSocket frames the client script handles itself (everything else is an htmx out-of-band swap).
 * Each is a <template data-frame="…"> so it can never render by accident, built from ids and
 * already-rendered fragments only. Kinds and their data are the protocol's (realtime/protocol.ts).
 */
function frame<K extends FrameKind>(kind: K, data: FrameData[K], content?: Html): string {
  const attributes = Object.entries(data).map(([name, value]) =>
    value === undefined ? "" : html` data-${name}="${value as string | number}"`,
  );
  return html`<template data-frame="${kind}"${attributes}>${content}</template>`.text;
}

/**
 * New or changed messages (rendered once by MessageView) for everyone looking at the room; a
 * catch-up (what a tab missed while away) is history, so it plays no /play sounds.
 */
export const messagesFrame = (roomId: number, messagesHtml: Html, { catchUp = false } = {}): string =>
  frame(FRAME.messages, { "room-id": roomId, "catch-up": catchUp ? "true" : undefined }, messagesHtml);

/** Carries the deletion's change number, which the tab keeps as its catch-up cursor. */
export const messageRemovedFrame = (roomId: number, messageId: number, changeSeq: number): string =>
  frame(FRAME.messageRemoved, { "room-id": roomId, "message-id": messageId, "change-seq": changeSeq });

/** For sidebars of people not looking at the room: mark it unread, move a direct message up. */
export const activityFrame = (roomId: number, creatorId: number, mentions: string): string =>
  frame(FRAME.activity, { "room-id": roomId, "creator-id": creatorId, mentions: mentions || undefined });

export const typingFrame = (roomId: number, user: { id: number; name: string }, state: TypingState): string =>
  frame(FRAME.typing, { "room-id": roomId, "user-id": user.id, "user-name": user.name, state });

/** The room was read in one tab: the others clear its unread mark. */
export const readFrame = (roomId: number): string => frame(FRAME.read, { "room-id": roomId });

/** Too much was missed while away to send piece by piece: reload the room. */
export const refreshFrame = (roomId: number): string => frame(FRAME.refresh, { "room-id": roomId });

/** The person lost the room (removed from it, or it was deleted). */
export const roomRemovedFrame = (roomId: number, reason: string): string => frame(FRAME.roomRemoved, { "room-id": roomId, reason });

export const sidebarRoomFrame = (roomId: number, itemHtml: Html): string => frame(FRAME.sidebarRoom, { "room-id": roomId }, itemHtml);

/** The room left this person's sidebar (hidden by them) though they may still open it. */
export const sidebarRemoveFrame = (roomId: number): string => frame(FRAME.sidebarRemove, { "room-id": roomId });

/** A person changed their picture: every face of theirs on screen becomes this one. */
export const avatarFrame = (userId: number, faceHtml: Html): string => frame(FRAME.avatar, { "user-id": userId }, faceHtml);

/** A person was renamed (or deactivated): every name and face of theirs on screen becomes this one. */
export const personFrame = (userId: number, name: string, faceHtml: Html): string =>
  frame(FRAME.person, { "user-id": userId, name }, faceHtml);
