/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { FC } from "hono/jsx";
import type { Message } from "../../src/messages/messages.ts";
import { escapeHtml } from "../../src/messages/sanitize.ts";
import { domId } from "../../src/realtime/protocol.ts";
import { avatarClass, initials } from "../shared/avatar.tsx";

/**
 * One message, the same bytes for every viewer: whether it is mine, mentions me or may be edited by
 * me is worked out in the browser from the data attributes (edit and delete controls included).
 * Built as a string rather than JSX because it is the hottest fragment there is (40 per room page,
 * one per broadcast); it is several times faster and the markup is small enough to read.
 */
export function messageHtml(m: Message): string {
  const iso = new Date(m.createdAt).toISOString();
  const { name, avatar } = authorHtml(m.creatorId, m.creatorName);
  return (
    `<article id="${domId("message", m.id)}" class="message" data-message-id="${m.id}" data-client-message-id="${escapeHtml(m.clientMessageId)}"` +
    ` data-creator-id="${m.creatorId}" data-created-at="${m.createdAt}" data-change-seq="${m.changeSeq}"${m.mentions ? ` data-mentions="${m.mentions}"` : ""}>` +
    avatar +
    `<div class="message__main"><header class="message__meta"><span class="message__author">${name}</span>` +
    `<a class="message__time" href="/rooms/${m.roomId}/@${m.id}"><time datetime="${iso}" data-local-time="time">${iso.slice(11, 16)}</time></a>` +
    (m.updatedAt > m.createdAt ? `<span class="message__edited">edited</span>` : "") +
    `</header><div class="message__body">${m.bodyHtml}</div></div></article>`
  );
}

// A page is mostly the same few authors: their escaped name and avatar are worked out once each.
const authors = new Map<string, { name: string; avatar: string }>();
const MAX_AUTHORS = 1000;

function authorHtml(id: number, rawName: string): { name: string; avatar: string } {
  const key = `${id}:${rawName}`;
  let author = authors.get(key);
  if (!author) {
    if (authors.size >= MAX_AUTHORS) authors.clear();
    const name = escapeHtml(rawName);
    author = { name, avatar: `<span class="${avatarClass(id)}" title="${name}" aria-hidden="true">${escapeHtml(initials(rawName))}</span>` };
    authors.set(key, author);
  }
  return author;
}

/** A run of messages, oldest first: a page of history, a catch-up after reconnecting. */
export const messagesHtml = (messages: Message[]): string => messages.map(messageHtml).join("");

export const MessageView: FC<{ message: Message }> = ({ message }) => raw(messageHtml(message));

