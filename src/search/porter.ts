/**
 * The Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", 1980), as the search
 * index's `porter` tokenizer applies it: to a folded word of 3 to 64 bytes of UTF-8, where any
 * byte outside ASCII counts as a consonant. So "report", "reports" and "reporting" all become
 * "report", and the excerpt marks what the index matched. Words are handled as strings of bytes
 * (one character a byte) only when they hold non-ASCII characters, the rare case.
 */
const MAX_BYTES = 64;

const isVowelAt = (w: string, i: number): boolean => {
  const c = w[i];
  if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") return true;
  return c === "y" && i > 0 && !isVowelAt(w, i - 1);
};

/** m, the number of vowel-consonant sequences in w[0, end). */
function measure(w: string, end: number): number {
  let m = 0;
  let i = 0;
  while (i < end && !isVowelAt(w, i)) i++;
  while (i < end) {
    while (i < end && isVowelAt(w, i)) i++;
    if (i >= end) break;
    m++;
    while (i < end && !isVowelAt(w, i)) i++;
  }
  return m;
}

const hasVowel = (w: string, end: number): boolean => {
  for (let i = 0; i < end; i++) if (isVowelAt(w, i)) return true;
  return false;
};

/** *o: w[0, end) ends consonant-vowel-consonant, the last not w, x or y ("hop", not "bow"). */
const endsCvc = (w: string, end: number): boolean =>
  end >= 3 &&
  !isVowelAt(w, end - 3) &&
  isVowelAt(w, end - 2) &&
  !isVowelAt(w, end - 1) &&
  w[end - 1] !== "w" &&
  w[end - 1] !== "x" &&
  w[end - 1] !== "y";

/** *d: ends with a double consonant; here (as in SQLite's stemmer) "yy" counts as one. */
const endsDouble = (w: string): boolean => w.length >= 2 && w.at(-1) === w.at(-2) && !/[aeiou]$/.test(w);

type Rule = [suffix: string, replacement: string];

/** The first rule whose suffix w ends with decides: replaced when the rest has m > minM, else w stays. */
function replaceSuffix(w: string, rules: Rule[], minM: number): string {
  for (const [suffix, replacement] of rules) {
    if (!w.endsWith(suffix)) continue;
    const stem = w.length - suffix.length;
    return measure(w, stem) > minM ? w.slice(0, stem) + replacement : w;
  }
  return w;
}

const STEP2: Rule[] = [
  ["ational", "ate"],
  ["tional", "tion"],
  ["enci", "ence"],
  ["anci", "ance"],
  ["izer", "ize"],
  ["bli", "ble"],
  ["alli", "al"],
  ["entli", "ent"],
  ["eli", "e"],
  ["ousli", "ous"],
  ["ization", "ize"],
  ["ation", "ate"],
  ["ator", "ate"],
  ["alism", "al"],
  ["iveness", "ive"],
  ["fulness", "ful"],
  ["ousness", "ous"],
  ["aliti", "al"],
  ["iviti", "ive"],
  ["biliti", "ble"],
  ["logi", "log"],
];
const STEP3: Rule[] = [
  ["icate", "ic"],
  ["ative", ""],
  ["alize", "al"],
  ["iciti", "ic"],
  ["ical", "ic"],
  ["ful", ""],
  ["ness", ""],
];
const STEP4 = [
  "al",
  "ance",
  "ence",
  "er",
  "ic",
  "able",
  "ible",
  "ant",
  "ement",
  "ment",
  "ent",
  "ion",
  "ou",
  "ism",
  "ate",
  "iti",
  "ous",
  "ive",
  "ize",
];
// Longest first, so "ement" is tried before "ment" and "ent".
STEP4.sort((a, b) => b.length - a.length);

function step1(w: string): string {
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);

  let trimmed = false;
  if (w.endsWith("eed")) {
    if (measure(w, w.length - 3) > 0) w = w.slice(0, -1);
  } else if (w.endsWith("ed") && hasVowel(w, w.length - 2)) {
    w = w.slice(0, -2);
    trimmed = true;
  } else if (w.endsWith("ing") && hasVowel(w, w.length - 3)) {
    w = w.slice(0, -3);
    trimmed = true;
  }
  if (trimmed) {
    if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
    else if (endsDouble(w) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
    else if (measure(w, w.length) === 1 && endsCvc(w, w.length)) w += "e";
  }

  if (w.endsWith("y") && hasVowel(w, w.length - 1)) w = `${w.slice(0, -1)}i`;
  return w;
}

function step4(w: string): string {
  for (const suffix of STEP4) {
    if (!w.endsWith(suffix)) continue;
    const stem = w.length - suffix.length;
    if (suffix === "ion" && !/[st]$/.test(w.slice(0, stem))) return w;
    return measure(w, stem) > 1 ? w.slice(0, stem) : w;
  }
  return w;
}

function step5(w: string): string {
  if (w.endsWith("e")) {
    const m = measure(w, w.length - 1);
    if (m > 1 || (m === 1 && !endsCvc(w, w.length - 1))) w = w.slice(0, -1);
  }
  if (w.endsWith("ll") && measure(w, w.length) > 1) w = w.slice(0, -1);
  return w;
}

const NON_ASCII = /[^\p{ASCII}]/u;

/** A folded word's stem, as the index keeps it. */
export function stem(word: string): string {
  const w = NON_ASCII.test(word) ? Buffer.from(word, "utf8").toString("latin1") : word;
  if (w.length < 3 || w.length > MAX_BYTES) return word;
  const stemmed = step5(step4(replaceSuffix(replaceSuffix(step1(w), STEP2, 0), STEP3, 0)));
  return w === word ? stemmed : Buffer.from(stemmed, "latin1").toString("utf8");
}
