import { type Html, joinHtml, keep } from "../../templates/html.ts";
import { messageHtml } from "../../templates/messages/message.tsx";
import type { Reads } from "../cache/read-cache.ts";
import { type Message, peopleShownIn } from "./messages.ts";

/**
 * A run of messages as HTML, each rendered once per change and kept in the read cache: a page of
 * history, a catch-up, and a room's newest page after a post, where 49 of its 50 messages are the
 * ones it showed before. Rendering was ~1.6 µs a message in the server, a kept one is a lookup.
 */
export function renderedMessagesHtml({ cache }: Pick<Reads, "cache">, messages: Message[]): Html {
  return joinHtml(
    messages.map(
      (message) =>
        cache.renderedMessage(message.id, message.changeSeq, () => ({
          changeSeq: message.changeSeq,
          people: peopleShownIn([message]),
          html: keep(messageHtml(message)),
        })).html,
    ),
  );
}
