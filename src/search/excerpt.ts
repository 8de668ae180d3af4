import { END, START, withoutFences } from "./highlight.ts";
import { stem } from "./porter.ts";
import { tokenize } from "./tokens.ts";

/**
 * A result's excerpt, made here rather than by FTS5's snippet(): snippet() tokenizes and stems the
 * whole message again for every result, ~20 µs a row, most of a search's cost. On 200,000 seeded
 * messages a page for "deploy" took 0.47–0.62 ms with snippet(), 0.34–0.50 ms reading body_plain and
 * cutting here (interleaved, one process); the server's CPU per search page fell ~15%. FTS5 still
 * finds and orders the messages; this marks the same words its highlight() would
 * (test/search/excerpt.test.ts compares the two through SQLite) in the same fenced form, so
 * highlight.ts turns it into HTML as before.
 */

/** Words shown around the matches, as snippet(…, 24) showed. */
export const EXCERPT_TOKENS = 24;

/** Phrases of stems, each a list of words in a row. */
export type Phrases = readonly (readonly string[])[];

/**
 * Each quoted word of a match expression (see query.ts) as FTS5 reads it: a phrase of stems. The
 * same list for the same expression, kept (people repeat their searches, "More results" repeats
 * the page's), so the expression startsOf makes for it is made once too: tokenizing, stemming and
 * compiling it again were ~5 µs of every search page. Emptied when full; never changed by callers.
 */
export function phrasesOf(match: string): Phrases {
  let phrases = phrasesKept.get(match);
  if (phrases === undefined) {
    if (phrasesKept.size >= PHRASES_KEPT) phrasesKept.clear();
    phrases = match
      .slice(1, -1)
      .split('" "')
      .map((word) => tokenize(word).map((token) => stem(token.folded)))
      .filter((phrase) => phrase.length > 0);
    phrasesKept.set(match, phrases);
  }
  return phrases;
}

const phrasesKept = new Map<string, Phrases>();
const PHRASES_KEPT = 1000;

/**
 * Stems already worked out: the stemmer costs ~1 µs a word, a page has ~900 words, and people
 * repeat theirs. Emptied when full, which bounds the memory.
 */
const stems = new Map<string, string>();
const STEMS_KEPT = 50_000;

function stemOf(folded: string): string {
  let stemmed = stems.get(folded);
  if (stemmed === undefined) {
    if (stems.size >= STEMS_KEPT) stems.clear();
    stemmed = stem(folded);
    stems.set(folded, stemmed);
  }
  return stemmed;
}

/**
 * A phrase found in the text: its characters, and its place counted in words (`first` and `last`,
 * its first and last word). Only the distance between places matters.
 */
type Hit = { start: number; end: number; first: number; last: number; phrase: number };
/** What the excerpt shows: text[from, to); the marks stop at `lastEnd`, the end of its last word. */
type Window = { from: number; to: number; lastEnd: number };

/**
 * The excerpt of `text` for the phrases: about `size` words around the matches, "…" where the text
 * is cut, each match fenced (phrases that overlap share one mark, as in highlight()). The text's
 * own fence characters are dropped, so they can't move a mark. With
 * size = Infinity, the whole text marked as highlight() marks it.
 */
export function excerpt(text: string, phrases: Phrases, size = EXCERPT_TOKENS): string {
  // A string is ASCII when UTF-8 takes a byte per character (~1 µs for a page of results).
  const { hits, window } =
    Buffer.byteLength(text, "utf8") === text.length ? asciiExcerpt(text, phrases, size) : wordsExcerpt(text, phrases, size);
  return fenced(text, hits, window);
}

/** The excerpt made the general way, whatever the text: what the ASCII way is tested against. */
export function excerptReadingEveryWord(text: string, phrases: Phrases, size = EXCERPT_TOKENS): string {
  const { hits, window } = wordsExcerpt(text, phrases, size);
  return fenced(text, hits, window);
}

/**
 * The window of `size` words holding the most different phrases (then the most hits), moved so its
 * hits sit in the middle, as snippet() does: the hit it starts at, and how many words before that
 * hit it should start. One pass over the hits (a window slides along them), so a message of one
 * word repeated 5,000 times costs no more than finding them.
 */
function densest(hits: Hit[], phraseCount: number, size: number): { at: Hit; back: number } {
  const inside = new Array<number>(phraseCount).fill(0);
  let distinct = 0;
  let end = 0; // hits[from, end) start inside the window that starts at hits[from]
  let best = { score: -1, at: hits[0]!, words: 0 };
  for (let from = 0; from < hits.length; from++) {
    if (from > 0 && --inside[hits[from - 1]!.phrase]! === 0) distinct--;
    while (end < hits.length && hits[end]!.first < hits[from]!.first + size) if (inside[hits[end++]!.phrase]!++ === 0) distinct++;
    const score = distinct * 10_000 + (end - from);
    const at = hits[from]!;
    if (score > best.score) best = { score, at, words: Math.min(hits[end - 1]!.last, at.first + size - 1) - at.first + 1 };
  }
  return { at: best.at, back: Math.floor((size - best.words) / 2) };
}

/** The general way, for text with any character outside ASCII: every word of it, tokenized and stemmed. */
function wordsExcerpt(text: string, phrases: Phrases, size: number): { hits: Hit[]; window: Window } {
  const words = tokenize(text);
  const count = words.length;
  const hits: Hit[] = [];
  for (let i = 0; i < count; i++)
    for (let p = 0; p < phrases.length; p++) {
      const phrase = phrases[p]!;
      let k = 0;
      while (k < phrase.length && i + k < count && stemIs(words[i + k]!.folded, phrase[k]!)) k++;
      if (k === phrase.length) hits.push({ start: words[i]!.start, end: words[i + k - 1]!.end, first: i, last: i + k - 1, phrase: p });
    }
  let first = 0;
  if (count > size && hits.length > 0) {
    const { at, back } = densest(hits, phrases.length, size);
    first = Math.max(0, Math.min(at.first - back, count - size));
  }
  const last = Math.min(count, first + size) - 1;
  return {
    hits,
    window: {
      from: first === 0 ? 0 : words[first]!.start,
      to: last >= count - 1 ? text.length : words[last]!.end,
      lastEnd: last >= 0 ? words[last]!.end : 0,
    },
  };
}

/** Whether a folded word's stem is `wanted`. Stemming keeps a word's first character, so most words are told apart by it alone. */
const stemIs = (folded: string, wanted: string): boolean => folded.charCodeAt(0) === wanted.charCodeAt(0) && stemOf(folded) === wanted;

/**
 * ASCII text, nearly every message: only the places a phrase may start are looked at, found by a
 * regular expression, and words are counted only between nearby hits and around the window. On a
 * page of results for "deploy" on the 200,000-message seed (26 messages, ~2,000 words) this took
 * 0.39× the time of reading every word (88 against 225 µs, one process); for "the", found nearly
 * everywhere, 0.62×.
 *
 * It rests on what the stemmer does (porter.ts): a stem is the word's own beginning, except for
 * at most its last two characters ("possibility" → "possibl", "happy" → "happi"). So a word can
 * only stem to "deploy" if it begins with "depl", and the expression looks for words beginning so.
 * test/search/excerpt.test.ts holds the stemmer to this over every suffix it knows, and this way
 * to the general one.
 */
function asciiExcerpt(text: string, phrases: Phrases, size: number): { hits: Hit[]; window: Window } {
  const hits = asciiHits(text, phrases, size);
  const firstWord = wordStart(text, 0);
  let start = firstWord;
  if (hits.length > 0) {
    const { at, back } = densest(hits, phrases.length, size);
    start = wordsBefore(text, at.start, back);
  }
  // The window's words, up to `size`; one that would run past the last word ends there instead
  // (and then the text may hold no more than `size` words: the window starts at the first).
  let lastEnd = 0;
  let next = start; // the first word after the window, or the end
  let words = 0;
  for (; words < size && next < text.length; words++) {
    lastEnd = wordEnd(text, next);
    next = wordStart(text, lastEnd);
  }
  if (words < size) start = wordsBefore(text, start, size - words);
  return { hits, window: { from: start === firstWord ? 0 : start, to: next >= text.length ? text.length : lastEnd, lastEnd } };
}

/**
 * The hits in ASCII text. A hit's `first` counts the words from the hit before it, but no further
 * than `size`: hits that far apart never share a window, so the rest of the gap is not read.
 */
function asciiHits(text: string, phrases: Phrases, size: number): Hit[] {
  const starts = startsOf(phrases);
  if (starts === null) return [];
  const hits: Hit[] = [];
  let previous = -1; // where the last hit started, and its word number
  let previousWord = 0;
  starts.lastIndex = 0;
  // test() rather than exec(): no match array is made. A match is the beginning of a word, so the
  // word starts where the letters before lastIndex do.
  while (starts.test(text)) {
    const at = wordsBefore(text, starts.lastIndex, 1);
    for (let p = 0; p < phrases.length; p++) {
      const phrase = phrases[p]!;
      const end = asciiPhraseEnd(text, at, phrase);
      if (end < 0) continue;
      if (previous !== at) {
        previousWord = previous < 0 ? 0 : previousWord + countWords(text, previous, size, at);
        previous = at;
      }
      hits.push({ start: at, end, first: previousWord, last: previousWord + phrase.length - 1, phrase: p });
    }
  }
  return hits;
}

/** Where `phrase` ends if it starts at the word at `at`, else -1. */
function asciiPhraseEnd(text: string, at: number, phrase: readonly string[]): number {
  let end = at;
  for (let k = 0; k < phrase.length; k++) {
    const start = k === 0 ? at : wordStart(text, end);
    if (start >= text.length) return -1;
    end = wordEnd(text, start);
    const wanted = phrase[k]!;
    // In ASCII, setting bit 0x20 lower-cases a letter and leaves a digit as it is.
    if ((text.charCodeAt(start) | 0x20) !== wanted.charCodeAt(0) || stemOf(text.slice(start, end).toLowerCase()) !== wanted) return -1;
  }
  return end;
}

/**
 * One expression for where the phrases may start: a word beginning with a first stem less its last
 * two characters (at least one), in any case. Made once per search (the phrases are the same list
 * for every result). Null when no phrase can start in ASCII text (its stem is not ASCII).
 */
const startExpressions = new WeakMap<Phrases, RegExp | null>();
function startsOf(phrases: Phrases): RegExp | null {
  let expression = startExpressions.get(phrases);
  if (expression === undefined) {
    const beginnings = phrases
      .map((phrase) => phrase[0]!)
      .filter((first) => /^[a-z0-9]+$/.test(first))
      .map((first) => first.slice(0, Math.max(1, first.length - 2)));
    expression = beginnings.length ? new RegExp(`(?<![A-Za-z0-9])(?:${[...new Set(beginnings)].join("|")})`, "gi") : null;
    startExpressions.set(phrases, expression);
  }
  return expression;
}

// Words in ASCII text are runs of letters and digits (a table read beats comparing ranges).
const ASCII_WORD = new Uint8Array(128);
for (const [from, to] of [
  ["0", "9"],
  ["A", "Z"],
  ["a", "z"],
] as const)
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) ASCII_WORD[c] = 1;

// `at` is any position.
function wordStart(text: string, at: number): number {
  while (at < text.length && ASCII_WORD[text.charCodeAt(at)] !== 1) at++;
  return at;
}

function wordEnd(text: string, at: number): number {
  while (at < text.length && ASCII_WORD[text.charCodeAt(at)] === 1) at++;
  return at;
}

/** How many words start in text[from, to), counted up to `most`. */
function countWords(text: string, from: number, most: number, to = text.length): number {
  let count = 0;
  for (let at = wordStart(text, from); at < to && count < most; at = wordStart(text, wordEnd(text, at))) count++;
  return count;
}

/** The start of the word `count` words before the one at `at`, or of the first word. */
function wordsBefore(text: string, at: number, count: number): number {
  for (let n = 0; n < count; n++) {
    let i = at - 1;
    while (i >= 0 && ASCII_WORD[text.charCodeAt(i)] !== 1) i--;
    if (i < 0) break;
    while (i > 0 && ASCII_WORD[text.charCodeAt(i - 1)] === 1) i--;
    at = i;
  }
  return at;
}

/** The window's text with its hits fenced; hits that overlap share one mark, cut at the window's last word. */
function fenced(text: string, hits: Hit[], { from, to, lastEnd }: Window): string {
  let out = from === 0 ? "" : "…";
  let at = from;
  let open = -1; // where the current mark ends, or -1 outside a mark
  for (const hit of hits) {
    if (hit.start < from || hit.start >= lastEnd) continue;
    const end = Math.min(hit.end, lastEnd);
    if (hit.start < open) open = Math.max(open, end);
    else {
      if (open >= 0) {
        out += `${withoutFences(text.slice(at, open))}${END}`;
        at = open;
      }
      out += `${withoutFences(text.slice(at, hit.start))}${START}`;
      at = hit.start;
      open = end;
    }
  }
  if (open >= 0) {
    out += `${withoutFences(text.slice(at, open))}${END}`;
    at = open;
  }
  return out + withoutFences(text.slice(at, to)) + (to < text.length ? "…" : "");
}
