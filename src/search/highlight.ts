import { escapeText, Html } from "../../templates/html.ts";

// excerpt.ts puts these around each word the search matched: private-use characters, so they are
// never confused with markup. It drops any a message holds; and every piece of text is escaped
// before it reaches the page either way.
export const START = "\uE000";
export const END = "\uE001";

const FENCED = new RegExp(`${START}([^${START}${END}]*)${END}`, "g");
export const STRAY = new RegExp(`[${START}${END}]`, "g");

/**
 * An excerpt as HTML: the plain text escaped, and only the fenced words wrapped in <mark>
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
