import sanitizeHtml from "sanitize-html";
import { highlightCode, isLanguageName } from "./code.ts";
import { isEmojiOnly } from "./emoji.ts";

/** Basic formatting, links, lists, quotes and code; everything else (scripts, handlers, images, styles) goes. */
const RICH_TEXT: sanitizeHtml.IOptions = {
  allowedTags: [
    "a",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "del",
    "strike",
    "ins",
    "mark",
    "small",
    "sub",
    "sup",
    "code",
    "pre",
    "kbd",
    "samp",
    "blockquote",
    "cite",
    "q",
    "p",
    "div",
    "br",
    "hr",
    "span",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
  ],
  allowedAttributes: { a: ["href", "title", "rel", "target"], span: ["class"], code: ["class"] },
  // Only the highlighter's own classes (code.ts), which the stylesheet colours.
  allowedClasses: { span: ["hljs-*", "emoji-only"], code: ["language-*"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  // No style attribute is allowed, so none is parsed (and the executable leaves postcss out: build-bundle.ts).
  parseStyleAttributes: false,
  exclusiveFilter: (frame) => frame.tag === "a" && !frame.attribs.href && !frame.text.trim(),
};

const EXTERNAL_LINK = { rel: "noopener noreferrer nofollow", target: "_blank" };
// A path on this server ("/rooms/1/@5"), not "//host" or "/\\host", which browsers read as another host.
const OWN_PATH = /^\/(?![/\\])/;

/**
 * Whether a link stays in Campfire (a reply's permalink, a pasted link to a message): those open
 * in the same tab; any other opens in a new one that can't reach back into this page. `origin` is
 * the address the message was written from (see linkOrigin in routes.tsx).
 */
export function isOwnLink(href: string, origin?: string): boolean {
  const trimmed = href.trim();
  if (OWN_PATH.test(trimmed)) return true;
  if (!origin || !trimmed.toLowerCase().startsWith(origin.toLowerCase())) return false;
  return URL.canParse(trimmed) && new URL(trimmed).origin === new URL(origin).origin;
}

const linkAttributes = (href: string, origin?: string): string =>
  isOwnLink(href, origin) ? "" : ` rel="${EXTERNAL_LINK.rel}" target="${EXTERNAL_LINK.target}"`;

const CODE_BLOCK = /```([\s\S]+?)```/;
// An editor's code block holds text and line breaks only; one with other markup is left as it is.
const PRE_BLOCK = /<pre>((?:[^<]|<br>)*)<\/pre>/g;
const CODE_SPAN = /`([^`\n]+)`/;
// Matched in the typed text, before escaping, so a closing quote ("https://x.com") is never taken
// into the address as "&quot".
const URL_IN_TEXT = /(\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/;
const BLOCK_END = /<\/(p|div|li|blockquote|pre|h[1-6])>|<br\s*\/?>|<hr\s*\/?>/gi;
const TRAILING_EMPTY_BLOCKS = /(?:<div>(?:<br \/>|\s|\u00a0)*<\/div>)+$/;
const LEADING_BLANK_LINES = /^(?:[ \t]*\r?\n)+/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };
// Nothing a reader can see: whitespace, control characters and format characters (zero-width
// spaces and joiners, word joiner, byte-order mark, direction marks).
const INVISIBLE = /[\s\p{Cc}\p{Cf}]/gu;

export type FormattedBody = { html: string; plain: string };

/**
 * What a person typed (the composer, a bot posting text) as HTML plus the plain text that search and
 * notifications read. It is text: "<b>x</b>" comes back exactly as typed, not bold. Line breaks
 * stay, web addresses are linked, and `code` and ```blocks``` are shown as code. NUL bytes go.
 */
export function formatText(input: string, origin?: string): FormattedBody {
  return largeIfEmojiOnly(textToHtml(input.replaceAll("\0", ""), origin));
}

/** HTML from a rich-text editor: basic formatting, links, lists, quotes and code survive, nothing else. */
export function formatRichText(input: string, origin?: string): FormattedBody {
  const options: sanitizeHtml.IOptions = {
    ...RICH_TEXT,
    transformTags: {
      a: (tagName, { rel: _rel, target: _target, ...attribs }) => ({
        tagName,
        attribs: isOwnLink(attribs.href ?? "", origin) ? attribs : { ...attribs, ...EXTERNAL_LINK },
      }),
    },
  };
  // Empty lines an editor leaves at the end (Enter before sending, the line after a reply's quote) go, as typed text's do.
  const html = sanitizeHtml(input.replaceAll("\0", ""), options).trim().replace(TRAILING_EMPTY_BLOCKS, "");
  return largeIfEmojiOnly(html.includes("<pre>") ? html.replace(PRE_BLOCK, highlightPreBlock) : html);
}

/** A message of a few emoji and nothing else is shown large; the class is set once, when it is written. */
function largeIfEmojiOnly(html: string): FormattedBody {
  const plain = htmlToPlain(html);
  // Typed leading spaces are kept elsewhere, but would only push big emoji off centre.
  return isEmojiOnly(plain) ? { html: `<span class="emoji-only">${html.trim()}</span>`, plain } : { html, plain };
}

/** Whether a message's plain text shows nothing at all. */
export const isBlank = (plain: string): boolean => plain.replace(INVISIBLE, "") === "";

function textToHtml(text: string, origin?: string): string {
  // Blank lines before and whitespace after go; leading spaces on the first line stay, as typed.
  const parts = text.replace(LEADING_BLANK_LINES, "").trimEnd().split(CODE_BLOCK);
  return parts
    .map((part, index) => {
      if (index % 2 === 1) return codeBlockHtml(part);
      // A block stands on its own lines; the line breaks around it are not extra blank lines.
      const around = part.replace(index > 0 ? /^\r?\n/ : /^/, "").replace(index < parts.length - 1 ? /\r?\n$/ : /$/, "");
      return inlineText(around, origin);
    })
    .join("");
}

/**
 * A fenced block, highlighted now so that no reader's browser has to: ```ts names its language,
 * otherwise the highlighter guesses. The language stays on the element so editing gets the fence back.
 */
function codeBlockHtml(fenced: string): string {
  const firstLine = /^([^\r\n]*)\r?\n/.exec(fenced);
  const language = firstLine && isLanguageName(firstLine[1]!) ? firstLine[1]! : null;
  const code = (language ? fenced.slice(firstLine![0].length) : fenced.replace(/^\r?\n/, "")).replace(/\r?\n$/, "");
  return `<pre><code${language ? ` class="language-${language}"` : ""}>${highlightCode(code, language ?? undefined)}</code></pre>`;
}

function highlightPreBlock(_: string, inner: string): string {
  return `<pre>${highlightCode(decodeEntities(inner.replace(/<br>/g, "\n")))}</pre>`;
}

function inlineText(text: string, origin?: string): string {
  return text
    .split(CODE_SPAN)
    .map((part, index) => (index % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : linkedText(part, origin).replace(/\r?\n/g, "<br>")))
    .join("");
}

function linkedText(text: string, origin?: string): string {
  return text
    .split(URL_IN_TEXT)
    .map((part, index) => {
      const escaped = escapeHtml(part);
      return index % 2 === 1 ? `<a href="${escaped}"${linkAttributes(part, origin)}>${escaped}</a>` : escaped;
    })
    .join("");
}

export function htmlToPlain(html: string): string {
  const lines = html.replace(BLOCK_END, (tag) => `${tag}\n`).replace(/(?<!\n(?:<\/[a-z0-9]+>)*)<pre[\s>]/gi, (tag) => `\n${tag}`);
  // Most typed messages hold no tag at all (our HTML escapes every "<" of the text): parsing them
  // cost ~14 µs a post for an answer the entity decoding below gives alone.
  const text = lines.includes("<") ? sanitizeHtml(lines, { allowedTags: [], allowedAttributes: {} }) : lines;
  // Editors write a space next to another, or at a line's edge, as a no-break space: for search,
  // notifications and commands it is a space.
  return decodeEntities(text)
    .replace(/\u00a0/g, " ")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

// A /play message (sound-messages.ts) is edited as the command that made it.
const SOUND_MESSAGE = /^<div class="sound" data-sound="(\w+)"/;

const NEEDS_ESCAPING = /[&<>"]/;

export function escapeHtml(text: string): string {
  // Most names and ids have nothing to escape; checking first saves four passes over them.
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/** The text to put back in an editor: what was typed, with `code` and ```blocks``` as they were written. */
export function editableText(html: string): string {
  const sound = SOUND_MESSAGE.exec(html);
  if (sound) return `/play ${sound[1]}`;
  return htmlToPlain(
    html
      .replace(
        /<pre><code(?: class="language-([\w+#.-]+)")?>([\s\S]*?)<\/code><\/pre>/g,
        (_, language: string | undefined, code: string) => `<br>\`\`\`${language ?? ""}<br>${code.replace(/\n/g, "<br>")}<br>\`\`\`<br>`,
      )
      .replace(/<code>([^<]*)<\/code>/g, (_, code: string) => `\`${code}\``),
  );
}

// A mention chip as shown (showMentions): its text is the person's current name.
const SHOWN_MENTION = /<span class="mention" data-user-id="\d+">([^<]*)<\/span>/g;

/**
 * The HTML to load into the toolbar editor to edit a message written there: the body as shown, each
 * mention as its "@Name" text, which saving links again (as a chip, Trix would take its bold look for
 * formatting). Formatting, links and code blocks stay. A /play message goes back as its command.
 */
export function editableHtml(html: string): string {
  const sound = SOUND_MESSAGE.exec(html);
  return sound ? `/play ${sound[1]}` : html.replace(SHOWN_MENTION, "$1");
}
