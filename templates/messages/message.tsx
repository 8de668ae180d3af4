/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { FC } from "hono/jsx";
import type { Message } from "../../src/messages/messages.ts";
import { domId } from "../dom-id.ts";
import { Avatar } from "../shared/avatar.tsx";
import { LocalTime } from "../shared/time.tsx";

/**
 * One message, the same bytes for every viewer: whether it is mine, mentions me or may be edited by
 * me is worked out in the browser from the data attributes (edit and delete controls included).
 */
export const MessageView: FC<{ message: Message }> = ({ message: m }) => (
  <article
    id={domId("message", m.id)}
    class="message"
    data-message-id={m.id}
    data-client-message-id={m.clientMessageId}
    data-creator-id={m.creatorId}
    data-created-at={m.createdAt}
    data-mentions={m.mentions || undefined}
  >
    <Avatar user={{ id: m.creatorId, name: m.creatorName }} />
    <div class="message__main">
      <header class="message__meta">
        <span class="message__author">{m.creatorName}</span>
        <a class="message__time" href={`/rooms/${m.roomId}/@${m.id}`}>
          <LocalTime at={m.createdAt} />
        </a>
        {m.updatedAt > m.createdAt ? <span class="message__edited">edited</span> : null}
      </header>
      <div class="message__body">{raw(m.bodyHtml)}</div>
    </div>
  </article>
);

/** A run of messages, oldest first: a page of history, a catch-up after reconnecting. */
export const MessageList: FC<{ messages: Message[] }> = ({ messages }) => (
  <>
    {messages.map((message) => (
      <MessageView message={message} />
    ))}
  </>
);
