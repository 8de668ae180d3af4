/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { type Attachment, playerFor } from "../../src/attachments/attachments.ts";
import { shownBody } from "../../src/messages/mentions.ts";
import type { Message } from "../../src/messages/messages.ts";
import { domId } from "../../src/realtime/protocol.ts";
import type { LinkPreview } from "../../src/unfurl/link-previews.ts";
import { formatted, type Html, html, inJsx, joinHtml, raw } from "../html.ts";
import { avatarHtml } from "../shared/avatar.tsx";
import { isoTime } from "../shared/time.tsx";

const EDITED = html`<span class="message__edited">edited</span>`;

/**
 * One message, the same bytes for every viewer: whether it is mine, mentions me or may be edited by
 * me is worked out in the browser from the data attributes (edit and delete controls included).
 * Built with `html` rather than JSX because it is the hottest fragment there is (40 per room page,
 * one per broadcast); it is several times faster and the markup is small enough to read.
 */
export function messageHtml(m: Message): Html {
  const iso = isoTime(m.createdAt);
  const { name, avatar } = authorHtml(m.creatorId, m.creatorName, m.creatorAvatarKey ?? null);
  return html`<article
      id="${formatted(domId("message", m.id))}"
      class="message"
      data-message-id="${m.id}"
      data-client-message-id="${m.clientMessageId}"
      data-creator-id="${m.creatorId}"
      data-created-at="${m.createdAt}"
      data-change-seq="${m.changeSeq}"${m.mentions ? html` data-mentions="${m.mentions}"` : ""}>
    ${avatar}
    <div class="message__main">
      <header class="message__meta">
        <span class="message__author">${name}</span>
        <a class="message__time" href="/rooms/${m.roomId}/@${m.id}"><time datetime="${formatted(iso)}" data-local-time="time">${formatted(iso.slice(11, 16))}</time></a>
        ${m.updatedAt > m.createdAt ? EDITED : ""}
      </header>
      <div class="message__body"${m.linkPreview && isJustTheLink(m.bodyHtml, m.linkPreview.url) ? " hidden" : ""}>${raw(shownBody(m))}</div>
      ${m.attachment ? attachmentHtml(m.attachment) : ""}${m.linkPreview ? linkPreviewHtml(m.linkPreview) : ""}${m.boosts.length > 0 ? boostsHtml(m) : ""}
    </div>
  </article>`;
}

/**
 * Whether a body says nothing but the card's URL: then the card says it all and the text is hidden,
 * as Campfire does (it stays in the markup, for editing and search). Only messages with a card ask.
 */
function isJustTheLink(bodyHtml: string, url: string): boolean {
  const text = bodyHtml
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[name]!)
    .trim();
  return URL.canParse(text) && new URL(text).href === url;
}

/** A pasted link's card: its title links to the URL as pasted, its picture is our own copy. */
function linkPreviewHtml(p: LinkPreview): Html {
  const image =
    p.imageKey &&
    html`<img class="link-preview__image" src="/unfurls/${p.imageKey}" width="${p.imageWidth ?? 0}" height="${p.imageHeight ?? 0}" alt="" loading="lazy">`;
  return html`<a class="link-preview" href="${p.url}" target="_blank" rel="noopener noreferrer nofollow">
      ${image}
      <span class="link-preview__text">
        <strong class="link-preview__title">${p.title}</strong>
        ${p.description ? html`<span class="link-preview__description">${p.description}</span>` : ""}
      </span>
    </a>`;
}

// A page is mostly the same few authors: their escaped name and avatar are worked out once each,
// kept by id and made again when the name is not the one they were made from (a rename).
const authors = new Map<number, { rawName: string; avatarKey: string | null; name: Html; avatar: Html }>();
const MAX_AUTHORS = 1000;

function authorHtml(id: number, rawName: string, avatarKey: string | null): { name: Html; avatar: Html } {
  let author = authors.get(id);
  if (author?.rawName !== rawName || author.avatarKey !== avatarKey) {
    if (authors.size >= MAX_AUTHORS) authors.clear();
    const name = html`${rawName}`;
    author = { rawName, avatarKey, name, avatar: avatarHtml({ id, name: rawName, avatarKey }, false) };
    authors.set(id, author);
  }
  return author;
}

// Past this many different boosts the rest fold behind "+N", so a popular message stays one line.
const BOOSTS_SHOWN = 6;

/**
 * A message's boosts, one button per different content with its count and, as a tooltip, who gave
 * it: a row of twenty 👍 says less than "👍 20". The ids let the reader's script mark their own
 * (data-booster-ids) and remove it (data-boost-ids, in the same order).
 */
function boostsHtml(m: Message): Html {
  const groups = new Map<string, { ids: number[]; boosterIds: number[]; names: string[] }>();
  for (const { id, boosterId, boosterName, content } of m.boosts) {
    let group = groups.get(content);
    if (!group) groups.set(content, (group = { ids: [], boosterIds: [], names: [] }));
    group.ids.push(id);
    group.boosterIds.push(boosterId);
    group.names.push(boosterName);
  }
  const buttons = [...groups].map(
    ([content, group]) =>
      html`<button
        type="button"
        class="boost"
        data-boost="${content}"
        data-boost-ids="${group.ids.join(" ")}"
        data-booster-ids="${group.boosterIds.join(" ")}"
        title="${group.names.join(", ")}">${content}<span class="boost__count">${group.ids.length}</span></button>`,
  );
  const folded = buttons.slice(BOOSTS_SHOWN);
  const more =
    folded.length > 0 && html`<details class="boosts__more"><summary class="boosts__fold">+${folded.length}</summary>${folded}</details>`;
  return html`<div class="boosts">${buttons.slice(0, BOOSTS_SHOWN)}${more}</div>`;
}

/**
 * A picture: its preview with its size (the page does not jump when it loads), linking to the
 * original, which the lightbox script opens. A video or a sound: the browser's own player, which
 * with preload=metadata fetches only the start of the file (a video shows its first frame, so no
 * poster image is made), then the name as a download link. Any other file: its name, size and a
 * download link.
 */
function attachmentHtml(file: Attachment): Html {
  const url = `/attachments/${file.fileKey}`;
  if (file.previewKey && file.width && file.height) {
    return html`<a class="attachment attachment--image" href="${url}" data-lightbox target="_blank"><img src="${url}/preview" width="${file.width}" height="${file.height}" alt="${file.filename}" loading="lazy"></a>`;
  }
  const download = html`<a class="attachment__name" href="${url}" download="${file.filename}">${file.filename}</a> <span class="attachment__size">${fileSize(file.byteSize)}</span>`;
  const player = playerFor(file.contentType);
  if (player === "video") {
    const size = file.width && file.height ? html` width="${file.width}" height="${file.height}"` : "";
    return html`<div class="attachment attachment--video"><video src="${url}" controls preload="metadata"${size}></video>${download}</div>`;
  }
  if (player === "audio") {
    return html`<div class="attachment attachment--audio"><audio src="${url}" controls preload="metadata"></audio>${download}</div>`;
  }
  return html`<a class="attachment attachment--file" href="${url}" download="${file.filename}"><span class="attachment__icon" aria-hidden="true">📄</span><span class="attachment__name">${file.filename}</span> <span class="attachment__size">${fileSize(file.byteSize)}</span></a>`;
}

const fileSize = (bytes: number): string =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** A run of messages, oldest first: a page of history, a catch-up after reconnecting. */
export const messagesHtml = (messages: Message[]): Html => joinHtml(messages.map(messageHtml));

export const MessageView: FC<{ message: Message }> = ({ message }) => inJsx(messageHtml(message));
