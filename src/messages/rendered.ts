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
  return joinHtml(messages.map((message) => renderedKept(cache, message, () => message).html));
}

/**
 * The same from rows read without their details: only the messages that are not kept get their
 * mentions, boosts and files read (two or more queries, ~12 % of a page of history). With the
 * people they show, for a kept page that a rename must make stale (ReadCache.personChanged).
 */
export function renderedRows({ db, cache }: Reads, rows: MessageRow[]): { html: Html; people: Set<number> } {
  const completed = new Map(
    withDetails(
      db,
      rows.filter((row) => !cache.hasRenderedMessage(row.id, row.changeSeq)),
    ).map((m) => [m.id, m]),
  );
  // A row kept when asked may be gone a moment later (a write by another process empties the cache): then it is completed alone.
  const kept = rows.map((row) => renderedKept(cache, row, () => completed.get(row.id) ?? withDetails(db, [row])[0]!));
  const people = new Set<number>();
  for (const message of kept) for (const id of message.people) people.add(id);
  return { html: joinHtml(kept.map((message) => message.html)), people };
}

function renderedKept(cache: ReadCache, { id, changeSeq }: MessageRow, complete: () => Message) {
  return cache.renderedMessage(id, changeSeq, () => {
    const message = complete();
    return { changeSeq, people: peopleShownIn([message]), html: keep(messageHtml(message)) };
  });
}
