import { END, START, STRAY } from "./highlight.ts";
import { stem } from "./porter.ts";
import { tokenize, Words } from "./tokens.ts";

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

/** Each quoted word of a match expression (see query.ts) as FTS5 reads it: a phrase of stems. */
export function phrasesOf(match: string): string[][] {
  return match
    .slice(1, -1)
    .split('" "')
    .map((word) => tokenize(word).map((token) => stem(token.folded)))
    .filter((phrase) => phrase.length > 0);
}

/**
 * Stems already worked out: the stemmer costs ~1 µs a word, a page has ~900 words, and people
 * repeat theirs. Emptied when full, which bounds the memory.
 */
const stems = new Map<string, string>();
const STEMS_KEPT = 50_000;

/** Whether a word's stem is `wanted`. Stemming keeps a word's first character, so most words are told apart by it alone. */
function stemIs(words: Words, i: number, wanted: string): boolean {
  if (words.firstUnit(i) !== wanted.charCodeAt(0)) return false;
  const folded = words.folded(i);
  let stemmed = stems.get(folded);
  if (stemmed === undefined) {
    if (stems.size >= STEMS_KEPT) stems.clear();
    stemmed = stem(folded);
    stems.set(folded, stemmed);
  }
  return stemmed === wanted;
}

type Hit = { first: number; last: number; phrase: number };

/** Where each phrase occurs, by token index, in order of first token. */
function hitsIn(words: Words, phrases: string[][]): Hit[] {
  const hits: Hit[] = [];
  for (let i = 0; i < words.count; i++)
    for (let p = 0; p < phrases.length; p++) {
      const phrase = phrases[p]!;
      let k = 0;
      while (k < phrase.length && i + k < words.count && stemIs(words, i + k, phrase[k]!)) k++;
      if (k === phrase.length) hits.push({ first: i, last: i + k - 1, phrase: p });
    }
  return hits;
}

/**
 * The window of `size` tokens holding the most different phrases (then the most hits), moved so
 * its hits sit in the middle, as snippet() does. Returns its first token. One pass over the hits
 * (a window slides along them), so a message of one word repeated 5,000 times costs no more than
 * its tokenizing.
 */
function bestWindow(hits: Hit[], phraseCount: number, count: number, size: number): number {
  if (count <= size || hits.length === 0) return 0;
  const inside = new Array<number>(phraseCount).fill(0);
  let distinct = 0;
  let end = 0; // hits[from, end) start inside the window that starts at hits[from]
  let best = { score: -1, from: 0, to: 0 };
  for (let from = 0; from < hits.length; from++) {
    if (from > 0 && --inside[hits[from - 1]!.phrase]! === 0) distinct--;
    while (end < hits.length && hits[end]!.first < hits[from]!.first + size) if (inside[hits[end++]!.phrase]!++ === 0) distinct++;
    const score = distinct * 10_000 + (end - from);
    if (score > best.score) best = { score, from: hits[from]!.first, to: Math.min(hits[end - 1]!.last, hits[from]!.first + size - 1) };
  }
  const centred = best.from - Math.floor((size - (best.to - best.from + 1)) / 2);
  return Math.max(0, Math.min(centred, count - size));
}

/**
 * The excerpt of `text` for the phrases: about `size` words around the matches, "…" where the text
 * is cut, each match fenced (phrases that overlap share one mark, as in highlight()). The text's
 * own fence characters are dropped, so they can't move a mark. With
 * size = Infinity, the whole text marked as highlight() marks it.
 */
export function excerpt(text: string, phrases: string[][], size = EXCERPT_TOKENS): string {
  const words = new Words(text);
  const { starts, ends } = words;
  const hits = hitsIn(words, phrases);
  const first = bestWindow(hits, phrases.length, words.count, size);
  const last = Math.min(words.count, first + size) - 1;
  const from = first === 0 ? 0 : starts[first]!;
  const to = last >= words.count - 1 ? text.length : ends[last]!;
  let out = first === 0 ? "" : "…";
  let at = from;
  let open = -1; // the token where the current mark ends, or -1 outside a mark
  for (const hit of hits) {
    if (hit.first < first || hit.first > last) continue;
    const end = Math.min(hit.last, last);
    if (open >= hit.first) open = Math.max(open, end);
    else {
      if (open >= 0) {
        out += `${text.slice(at, ends[open]!).replace(STRAY, "")}${END}`;
        at = ends[open]!;
      }
      out += `${text.slice(at, starts[hit.first]!).replace(STRAY, "")}${START}`;
      at = starts[hit.first]!;
      open = end;
    }
  }
  if (open >= 0) {
    out += `${text.slice(at, ends[open]!).replace(STRAY, "")}${END}`;
    at = ends[open]!;
  }
  return out + text.slice(at, to).replace(STRAY, "") + (to < text.length ? "…" : "");
}
