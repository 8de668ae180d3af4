import { escapeText, Html } from "../../templates/html.ts";

// excerpt.ts puts these around each word the search matched: private-use characters, so they are
// never confused with markup. It drops any a message holds; and every piece of text is escaped
// before it reaches the page either way.
export const START = "\uE000";
export const END = "\uE001";

const STRAY = new RegExp(`[${START}${END}]`, "g");

/** Text with any fence characters in it dropped. Nearly no text holds one, so it is looked for before anything is replaced. */
export const withoutFences = (text: string): string => (text.includes(START) || text.includes(END) ? text.replace(STRAY, "") : text);

/**
 * An excerpt as HTML: the plain text escaped, and only the fenced words wrapped in <mark>
 * (whatever the message's text holds, even "<mark>" typed by its author, is text). A mark is a
 * START, text without fences, then an END; any other fence character is dropped. Found with
 * indexOf rather than a regular expression's matches: ~2× faster on a page of results.
 */
export function snippetHtml(fenced: string): Html {
  let out = "";
  let from = 0; // where the text not yet written starts
  for (let open = fenced.indexOf(START); open >= 0; open = fenced.indexOf(START, from)) {
    const close = fenced.indexOf(END, open + 1);
    if (close < 0) break;
    // A START with another one before the END was stray: the mark starts at the last.
    const start = fenced.lastIndexOf(START, close);
    out += `${unfenced(fenced.slice(from, start))}<mark>${escapeText(fenced.slice(start + 1, close))}</mark>`;
    from = close + 1;
  }
  return new Html(out + unfenced(fenced.slice(from)));
}

/** Text with any fence characters in it dropped, escaped. */
const unfenced = (text: string): string => escapeText(withoutFences(text));
