import { type Html, joinHtml, keep } from "../../templates/html.ts";
import { messageHtml } from "../../templates/messages/message.tsx";
import type { ReadCache, Reads } from "../cache/read-cache.ts";
import { type Message, peopleShownIn, withDetails } from "./messages.ts";
import { messageRowsWithIds, type PageEntry } from "./pages.ts";

/**
 * A run of messages as HTML, each rendered once per change and kept in the read cache: a page of
 * history, a catch-up, and a room's newest page after a post, where 49 of its 50 messages are the
 * ones it showed before. Rendering was ~1.6 µs a message in the server, a kept one is a lookup.
 */
export function renderedMessagesHtml({ cache }: Pick<Reads, "cache">, messages: Message[]): Html {
  return joinHtml(messages.map((message) => renderedKept(cache, message, () => message).html));
}

/**
 * The same for a page read as entries (which messages, at which change): only the messages that
 * are not kept are read whole, with their mentions, boosts and files (three or more queries; the
 * whole page's rows were ~55 µs of a page of history). With the people they show, for a kept page
 * that a rename must make stale (ReadCache.personChanged). Inside the caller's read transaction,
 * so the rows are those of the entries.
 */
export function renderedEntries({ db, cache }: Reads, entries: PageEntry[]): { html: Html; people: Set<number> } {
  const missing = entries.filter((entry) => !cache.hasRenderedMessage(entry.id, entry.changeSeq)).map((entry) => entry.id);
  const read = (ids: number[]) => new Map(withDetails(db, messageRowsWithIds(db, ids)).map((message) => [message.id, message]));
  const completed = missing.length > 0 ? read(missing) : new Map<number, Message>();
  // An entry kept when asked may be gone a moment later (a write by another process empties the cache): then it is read alone.
  const kept = entries.map((entry) => renderedKept(cache, entry, () => completed.get(entry.id) ?? read([entry.id]).get(entry.id)!));
  const people = new Set<number>();
  for (const message of kept) for (const id of message.people) people.add(id);
  return { html: joinHtml(kept.map((message) => message.html)), people };
}

function renderedKept(cache: ReadCache, { id, changeSeq }: PageEntry, complete: () => Message) {
  return cache.renderedMessage(id, changeSeq, () => {
    const message = complete();
    return { changeSeq, people: peopleShownIn([message]), html: keep(messageHtml(message)) };
  });
}
