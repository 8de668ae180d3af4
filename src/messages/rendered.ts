import { type Html, joinHtml, keep } from "../../templates/html.ts";
import { messageHtml } from "../../templates/messages/message.tsx";
import type { ReadCache, Reads } from "../cache/read-cache.ts";
import { type Message, type MessageRow, peopleShownIn, withDetails } from "./messages.ts";

/**
 * A run of messages as HTML, each rendered once per change and kept in the read cache: a page of
 * history, a catch-up, and a room's newest page after a post, where 49 of its 50 messages are the
 * ones it showed before. Rendering was ~1.6 µs a message in the server, a kept one is a lookup.
 */
export function renderedMessagesHtml({ cache }: Pick<Reads, "cache">, messages: Message[]): Html {
  return joinHtml(messages.map((message) => renderedHtml(cache, message, () => message)));
}

/**
 * The same from rows read without their details: only the messages that are not kept get their
 * mentions, boosts and files read (two or more queries, ~12 % of a page of history).
 */
export function renderedRowsHtml({ db, cache }: Reads, rows: MessageRow[]): Html {
  const completed = new Map(
    withDetails(
      db,
      rows.filter((row) => !cache.hasRenderedMessage(row.id, row.changeSeq)),
    ).map((m) => [m.id, m]),
  );
  // A row kept when asked may be gone a moment later (a write by another process empties the cache): then it is completed alone.
  return joinHtml(rows.map((row) => renderedHtml(cache, row, () => completed.get(row.id) ?? withDetails(db, [row])[0]!)));
}

function renderedHtml(cache: ReadCache, { id, changeSeq }: MessageRow, complete: () => Message): Html {
  return cache.renderedMessage(id, changeSeq, () => {
    const message = complete();
    return { changeSeq, people: peopleShownIn([message]), html: keep(messageHtml(message)) };
  }).html;
}
