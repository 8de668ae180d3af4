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

/** The text's words, each with where it starts and ends and its folded form. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text))
    tokens.push({ start: match.index, end: match.index + match[0].length, folded: fold(match[0]) });
  return tokens;
}
