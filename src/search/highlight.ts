import { escapeText, Html } from "../../templates/html.ts";

// FTS5's snippet() puts these around each word it matched: private-use characters, so they are
// never confused with markup. A message that happens to contain them only changes which words get
// marked: every piece of text is escaped before it reaches the page either way.
const START = "\uE000";
const END = "\uE001";

/** The SQL for a result's excerpt: about 24 words around the matches, each matched word fenced by START and END. */
export const SNIPPET = "snippet(message_search_index, 0, char(57344), char(57345), '…', 24)";

const FENCED = new RegExp(`${START}([^${START}${END}]*)${END}`, "g");
const STRAY = new RegExp(`[${START}${END}]`, "g");

/**
 * An excerpt as HTML: the plain text escaped, and only the words FTS5 fenced wrapped in <mark>
 * (whatever the message's text holds, even "<mark>" typed by its author, is text).
 */
export function snippetHtml(fenced: string): Html {
  let out = "";
  let from = 0;
  for (const match of fenced.matchAll(FENCED)) {
    out += `${escapeText(fenced.slice(from, match.index).replace(STRAY, ""))}<mark>${escapeText(match[1]!)}</mark>`;
    from = match.index + match[0].length;
  }
  return new Html(out + escapeText(fenced.slice(from).replace(STRAY, "")));
}
