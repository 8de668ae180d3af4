import { escapeHtml } from "../messages/sanitize.ts";

// FTS5's highlight() puts these around each word it matched; private-use characters, so they are
// never confused with markup, and a message that happens to contain them only changes which words
// get marked (the words are escaped before they reach the page either way).
const START = "\uE000";
const END = "\uE001";

/** The SQL for a result's plain text with its matched words fenced by START and END. */
export const MARKED_TEXT = "highlight(message_search_index, 0, char(57344), char(57345))";

const FENCED = new RegExp(`${START}([^${END}]*)${END}`, "g");

/** The distinct words FTS5 matched in a message (by stem, so "reports" can match "report"). */
export function matchedWords(marked: string): string[] {
  const words = new Set<string>();
  for (const match of marked.matchAll(FENCED)) if (match[1]) words.add(match[1].toLowerCase());
  return [...words];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A function that wraps the given words in <mark> inside sanitized message HTML. Only text between
 * tags and entities is touched, whole words only, so no tag, attribute or entity is ever split; the
 * words are escaped as the text around them is, so nothing typed becomes markup. One marker serves
 * a whole page of results (a word FTS5 matched in one message is a match wherever it appears, the
 * tokenizer being the same), so its pattern is compiled once, not once per result.
 */
export function wordMarker(words: Iterable<string>): (html: string) => string {
  const alternatives = [...new Set(words)].map((word) => escapeRegExp(escapeHtml(word))).join("|");
  if (alternatives === "") return (html) => html;
  const word = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{M}\\p{N}_])`, "giu");
  return (html) =>
    html
      .split(/(<[^>]*>|&[#\w]+;)/)
      .map((part, index) => (index % 2 === 1 ? part : part.replace(word, (text) => `<mark>${text}</mark>`)))
      .join("");
}
