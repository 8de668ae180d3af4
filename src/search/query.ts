import { z } from "zod";

/** What a search box's text asks for: words to match, and filters that narrow where and when. */
export type SearchQuery = {
  /** The words, each an FTS5 string (quoted), so nothing typed is ever FTS5 syntax; null when there are none. */
  match: string | null;
  room?: string;
  from?: string;
  /** Epoch ms: messages before the start of this UTC day. */
  before?: number;
  /** Epoch ms: messages from the end of this UTC day on. */
  after?: number;
  hasFile: boolean;
  hasLink: boolean;
};

export const FILTERS = ["in", "from", "before", "after", "has"] as const;
const DAY_MS = 86_400_000;
const LIST = FILTERS.map((name) => `${name}:`).join(", ");

/**
 * The FTS5 expression for the words: like the original, everything but word characters becomes a
 * space, and each word left is quoted as an FTS5 string, so quotes, `*`, `-`, parentheses and
 * AND/OR/NOT/NEAR are only words. Null when no word is left.
 */
export function matchExpression(text: string): string | null {
  const words = text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}]+/gu, " ").trim();
  return words
    ? words
        .split(" ")
        .map((word) => `"${word}"`)
        .join(" ")
    : null;
}

const one = (name: string, what: string) =>
  z
    .array(z.string().min(1, `${name}: needs ${what} after the colon.`))
    .max(1, `Use ${name}: once per search.`)
    .optional()
    .transform((values) => values?.[0]);

const day = (name: string) =>
  z
    .array(z.iso.date(`${name}: needs a date written as YYYY-MM-DD, like ${name}:2026-01-31.`))
    .max(1, `Use ${name}: once per search.`)
    .optional()
    .transform((values) => (values?.[0] === undefined ? undefined : Date.parse(`${values[0]}T00:00:00Z`)));

const filters = z
  .strictObject(
    {
      in: one("in", "a room's name (in quotes if it has spaces)"),
      from: one("from", "a person's name (in quotes if it has spaces)"),
      before: day("before"),
      after: day("after"),
      has: z.array(z.enum(["file", "link"], "has: can be has:file or has:link.")).default([]),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `There is no ${issue.keys[0]}: filter. Filters are ${LIST}.` : undefined) },
  )
  .refine((f) => f.before === undefined || f.after === undefined || f.after + DAY_MS < f.before, {
    message: "No day is both after the after: date and before the before: date.",
  });

// A filter is a lower-case name, a colon and a value (quoted when it has spaces); a quoted phrase or
// any other run of non-spaces is words. "Note: …", "12:30" and links stay words.
const TOKEN = /([a-z]+):(?!\/\/)(?:"([^"]*)"?|(\S+))|"[^"]*"?|\S+/giu;

/**
 * Reads the search box: `in:room`, `from:person`, `before:`/`after:` dates and `has:file`/`has:link`
 * anywhere among the words. Unknown filters and bad dates come back as a sentence to show.
 */
export function parseSearch(text: string): { query: SearchQuery } | { error: string } {
  const raw: Record<string, string[]> = {};
  const words: string[] = [];
  for (const token of text.matchAll(TOKEN)) {
    const [whole, name, quoted, bare] = token;
    const value = quoted ?? bare;
    if (name === undefined || value === undefined) words.push(whole);
    else (raw[name.toLowerCase()] ??= []).push(value.trim());
  }
  const parsed = filters.safeParse(raw);
  if (!parsed.success) return { error: parsed.error.issues[0]!.message };
  const { in: room, from, before, after, has } = parsed.data;
  return {
    query: {
      match: matchExpression(words.join(" ")),
      room,
      from,
      before,
      after: after === undefined ? undefined : after + DAY_MS,
      hasFile: has.includes("file"),
      hasLink: has.includes("link"),
    },
  };
}

/** Whether the query asks for anything: words or at least one filter. */
export const asksForSomething = (q: SearchQuery): boolean =>
  q.match !== null ||
  q.room !== undefined ||
  q.from !== undefined ||
  q.before !== undefined ||
  q.after !== undefined ||
  q.hasFile ||
  q.hasLink;
