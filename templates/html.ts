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
  const parts = layoutOf(strings);
  let text = parts[0]!;
  for (let i = 0; i < values.length; i++) text += written(values[i]) + parts[i + 1]!;
  return new Html(text);
}

/**
 * Fragments one after another, in one piece. What `html` makes is a rope in JSC (`a + b` is joined
 * lazily), walked again each time it is used: ~50 µs per use of a kept page of 40 messages, where
 * Array.join's single string costs nothing more after the first time.
 */
export const joinHtml = (fragments: readonly Html[]): Html => new Html(fragments.map((fragment) => fragment.text).join(""));

/** Trusted HTML, written as it is: only for what has just come out of the sanitizer (a message body). */
export const raw = (sanitized: string): Html => new Html(sanitized);

/** A fragment inside JSX: Hono's renderer writes it as it is, since it is already escaped. */
export const inJsx = (fragment: Html): HtmlEscapedString => fragment as unknown as HtmlEscapedString;

function written(value: Value): string {
  if (typeof value === "string") return escapeText(value);
  if (typeof value === "number") return String(value);
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false) return "";
  let text = "";
  for (const item of value) text += written(item);
  return text;
}

const NEEDS_ESCAPING = /[&<>"']/;
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text and attribute values alike (quoted either way). Most names and ids have nothing to escape. */
export function escapeText(text: string): string {
  return NEEDS_ESCAPING.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
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
