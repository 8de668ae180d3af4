/**
 * Words as FTS5's `unicode61` tokenizer (the search index's, with its defaults) sees them, so the
 * excerpt can mark in TypeScript exactly what the index matched: runs of letters, numbers,
 * accents and private-use characters; everything else separates. Each word is folded to
 * lower case with the accent dropped from a Latin letter carrying one (é → e, Å → a; ǘ, ά, ø stay).
 * test/search/excerpt.test.ts holds this to SQLite's own tokenizer, character by character.
 */
export type Token = { start: number; end: number; folded: string };

// The accents unicode61 strips: a word may hold them (even on their own, "e\u0301"), and they fold
// to nothing. Other combining marks separate words, as punctuation does. Unassigned code points
// are word characters to it.
const ACCENTS = "\u0300-\u0304\u0306-\u030c\u030f\u0311\u031b\u0323-\u0328\u032d\u032e\u0330\u0331";
const WORD = new RegExp(`[\\p{L}\\p{N}\\p{Co}\\p{Cn}${ACCENTS}]+`, "gu");
const ACCENT = new RegExp(`^[${ACCENTS}]$`);
const NON_ASCII = /[^\p{ASCII}]/u;
const LATIN_WITH_ONE_ACCENT = /^([a-z])[\u0300-\u036f]$/;

// Letters unicode61 folds to another letter that toLowerCase() leaves alone (Unicode's case folding).
const FOLDS: Record<string, string> = {
  µ: "μ",
  İ: "i",
  ſ: "s",
  ẛ: "s",
  ς: "σ",
  ϐ: "β",
  ϑ: "θ",
  ϕ: "φ",
  ϖ: "π",
  ϰ: "κ",
  ϱ: "ρ",
  ϵ: "ε",
  "\u1fbe": "ι",
};

const foldedChars = new Map<string, string>(Object.entries(FOLDS));
/** One non-ASCII character folded as unicode61 folds it (cached: a message has few distinct ones). */
function foldChar(char: string): string {
  let folded = foldedChars.get(char);
  if (folded === undefined) {
    const lower = char.toLowerCase();
    const parts = (lower.length === char.length ? lower : char).normalize("NFD");
    folded = ACCENT.test(char) ? "" : (LATIN_WITH_ONE_ACCENT.exec(parts)?.[1] ?? (lower.length === char.length ? lower : char));
    foldedChars.set(char, folded);
  }
  return folded;
}

export function fold(word: string): string {
  if (!NON_ASCII.test(word)) return word.toLowerCase();
  let out = "";
  for (const char of word) out += char < "\x80" ? char.toLowerCase() : foldChar(char);
  return out;
}

// The characters of an ASCII word: letters and digits. A table read beats comparing ranges.
export const ASCII_WORD = new Uint8Array(128);
for (const [from, to] of [
  ["0", "9"],
  ["A", "Z"],
  ["a", "z"],
] as const)
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) ASCII_WORD[c] = 1;

/**
 * A text's words: where each starts and ends, and each folded only when asked for. Most messages
 * are ASCII, where words are runs of letters and digits: one plain pass finds them ~3× faster than
 * the regex, and no string is made for a word until it is looked at. The pass gives up at the first
 * non-ASCII character and the regex takes over (on a page of results for a common word, 26
 * messages of 13,000 characters, this pass took ~42 µs where lower-casing the text first and
 * testing it for non-ASCII took ~77).
 */
export class Words {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** Each word folded, when the text is not ASCII; an ASCII word is folded when asked for. */
  private readonly foldedWords: string[] | null = null;

  constructor(private readonly text: string) {
    const { starts, ends } = this;
    let start = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) {
        this.foldedWords = [];
        starts.length = 0;
        ends.length = 0;
        WORD.lastIndex = 0;
        for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
          starts.push(match.index);
          ends.push(match.index + match[0].length);
          this.foldedWords.push(fold(match[0]));
        }
        return;
      }
      if (ASCII_WORD[c] === 1) {
        if (start < 0) start = i;
      } else if (start >= 0) {
        starts.push(start);
        ends.push(i);
        start = -1;
      }
    }
    if (start >= 0) {
      starts.push(start);
      ends.push(text.length);
    }
  }

  get count(): number {
    return this.starts.length;
  }

  folded(i: number): string {
    return this.foldedWords === null ? this.text.slice(this.starts[i], this.ends[i]).toLowerCase() : this.foldedWords[i]!;
  }

  /**
   * The folded word's first UTF-16 unit: enough to rule most words out without making the word.
   * In ASCII, setting bit 0x20 lower-cases a letter and leaves a digit as it is.
   */
  firstUnit(i: number): number {
    return this.foldedWords === null ? this.text.charCodeAt(this.starts[i]!) | 0x20 : this.foldedWords[i]!.charCodeAt(0);
  }
}

export function tokenize(text: string): Token[] {
  const words = new Words(text);
  return words.starts.map((start, i) => ({ start, end: words.ends[i]!, folded: words.folded(i) }));
}
