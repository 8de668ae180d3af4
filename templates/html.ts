import type { HtmlEscapedString } from "hono/utils/html";

/**
 * HTML made by `html` (or marked by `raw`): its text can be sent as it is. Hono's JSX renderer
 * takes any value with `isEscaped` as it is too, so a fragment built here can sit inside a
 * component (see `inJsx`) without being escaped twice.
 */
export class Html {
  readonly isEscaped = true;
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Html | string | number | null | undefined | false | readonly Value[];

/**
 * The hot fragments (messages, sidebar items, search results, frames) are built as strings for
 * speed, several times faster than JSX; this template makes that safe by default: every
 * interpolated string is escaped, numbers are written as they are, nested `html` fragments (and
 * lists of them) are kept, and null, undefined and false write nothing. A line break and the
 * indentation after it are dropped next to a tag and become one space elsewhere, so a long tag can
 * be laid out one attribute a line without changing the bytes.
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let build = builders.get(strings);
  if (!build) builders.set(strings, (build = builderFor(layoutOf(strings))));
  return new Html(build(values));
}

type Builder = (values: Value[]) => string;
const builders = new WeakMap<TemplateStringsArray, Builder>();

/**
 * Each template becomes one function that joins its parts in a single `+` expression, which JSC
 * builds in one go: a loop of `+=` over the values made a page of messages 1.5× slower to render.
 * Only the template's own literal text goes into the function, as JSON strings; values are passed in.
 */
function builderFor(parts: string[]): Builder {
  const value = (i: number) => `(typeof v[${i}] === "number" ? "" + v[${i}] : typeof v[${i}] === "string" ? e(v[${i}]) : w(v[${i}]))`;
  const expression = parts.map((part, i) => (i === 0 ? JSON.stringify(part) : `${value(i - 1)} + ${JSON.stringify(part)}`)).join(" + ");
  const make = new Function("w", "e", `return (v) => ${expression};`) as (
    w: (value: Value) => string,
    e: (text: string) => string,
  ) => Builder;
  return make(written, escapeText);
}

/**
 * Fragments one after another, in one piece. What `html` makes is a rope in JSC (`a + b` is joined
 * lazily), walked again each time it is used: ~50 µs per use of a kept page of 40 messages, where
 * Array.join's single string costs nothing more after the first time.
 */
export const joinHtml = (fragments: readonly Html[]): Html => new Html(fragments.map((fragment) => fragment.text).join(""));

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Text that is kept and put into many pages, as one flat string. JSC keeps `a + b` (and Hono's JSX
 * output) as a rope of pieces until its characters are read, and a kept rope is walked piece by
 * piece again inside every page that holds it: the room page's kept composer (4 KB) cost as much
 * to send as the rest of the page around the messages (10 KB). A round trip through UTF-8 makes a
 * new, flat string, one byte a character when it is all ASCII.
 */
export const flatText = (text: string): string => decoder.decode(encoder.encode(text));

/** A fragment that is kept and sent many times (see `flatText`). */
export const keep = (fragment: Html): Html => new Html(flatText(fragment.text));

/**
 * The last fragment made for each object of a kind the read cache replaces rather than changes
 * (a person's sidebar), kept (see `keep`) for as long as `key`, everything else the fragment
 * shows, stays the same. It goes with its object; with the cache off every request brings a new one.
 */
export function keptWith<T extends object>(): (owner: T, key: string, make: () => Html) => Html {
  const made = new WeakMap<T, { key: string; html: Html }>();
  return (owner, key, make) => {
    let last = made.get(owner);
    if (last?.key !== key) made.set(owner, (last = { key, html: keep(make()) }));
    return last.html;
  };
}

/** A fragment as the UTF-8 bytes that are sent: for one that is kept and sent many times. */
export const utf8 = (fragment: Html): Uint8Array => encoder.encode(fragment.text);

/**
 * A page as UTF-8 bytes: its two halves around a part already kept as bytes (a room's newest
 * messages). A page as one string costs, per request, joining its pieces into one UTF-16 string
 * (any emoji makes it two bytes a character) and encoding that again to send it: ~45 µs for a
 * 43 KB room page, two thirds of it for messages that were the same on the last visit.
 */
export function pageBytes(before: Html, kept: Uint8Array, after: Html): Uint8Array<ArrayBuffer> {
  const head = encoder.encode(before.text);
  const tail = encoder.encode(after.text);
  const page = new Uint8Array(head.length + kept.length + tail.length);
  page.set(head);
  page.set(kept, head.length);
  page.set(tail, head.length + kept.length);
  return page;
}

/** Trusted HTML, written as it is: only for what has just come out of the sanitizer (a message body). */
export const raw = (sanitized: string): Html => new Html(sanitized);

/**
 * Text the code made itself from numbers and fixed ASCII with nothing to escape (a message's time,
 * an element id), written as it is. Never for anything a person or another system supplied.
 * Checking such freshly joined strings cost a fifth of rendering a message (escapeText has to
 * flatten each one first), for nothing.
 */
export const formatted = (text: string): Html => new Html(text);

/** A fragment inside JSX: Hono's renderer writes it as it is, since it is already escaped. */
export const inJsx = (fragment: Html): HtmlEscapedString => fragment as unknown as HtmlEscapedString;

function written(value: Value): string {
  if (typeof value === "string") return escapeText(value);
  if (typeof value === "number") return "" + value;
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false) return "";
  let text = "";
  for (const item of value) text += written(item);
  return text;
}

const ESCAPABLE = /[&<>"']/g;
const NEEDS_ESCAPING = /[&<>"']/;
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Text and attribute values alike (quoted either way). Most text has nothing to escape, so it is
 * looked at first: a regular expression's test took 130 ns for a 150-character excerpt where a
 * loop over its char codes took 550, and no longer for a short name (~120 ns each).
 */
export function escapeText(text: string): string {
  return NEEDS_ESCAPING.test(text) ? text.replace(ESCAPABLE, (ch) => ESCAPES[ch]!) : text;
}

// Each template's literal parts are laid out once: the strings array is the same object on every call.
const layouts = new WeakMap<TemplateStringsArray, string[]>();

function layoutOf(strings: TemplateStringsArray): string[] {
  let parts = layouts.get(strings);
  if (!parts) {
    parts = strings.map((part) =>
      part
        .replace(/>\n\s*/g, ">")
        .replace(/\n\s*</g, "<")
        .replace(/\n\s*/g, " "),
    );
    layouts.set(strings, parts);
  }
  return parts;
}
