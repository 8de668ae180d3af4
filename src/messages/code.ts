import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import go from "highlight.js/lib/languages/go";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import ruby from "highlight.js/lib/languages/ruby";
import rust from "highlight.js/lib/languages/rust";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { escapeHtml } from "./sanitize.ts";

// The languages a team chat mostly quotes. A block whose fence names one (```ts) is highlighted as
// that language; an unnamed one is guessed among them all, a pass per language.
const LANGUAGES = { bash, c, cpp, css, diff, go, java, javascript, json, python, ruby, rust, sql, typescript, xml, yaml };

// Registering builds every grammar's object tree, which an idle server does not need: it is done
// when the first code block is posted (idle RSS was 1–2 MB over its 60 MB target with it at start).
let registered = false;
function highlighter(): typeof hljs {
  if (!registered) {
    for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
    registered = true;
  }
  return hljs;
}

// Highlighting runs on the posting path, on the one JS thread, and some grammars slow down with
// the square of a token's length (10,000 "x" take 2.5 s as Java, 0.5 s as TypeScript). Within these
// bounds the worst input we found costs about 25 ms, named or guessed (a typical block: 0.2–1 ms);
// anything bigger is shown as plain, escaped text.
const NAMED_LIMIT = 3000;
const GUESS_LIMIT = 1000;
const LONG_TOKEN = /\S{50}/;
// highlight.js's relevance below which a guess is no better than chance on a short snippet.
const GUESS_MIN_RELEVANCE = 3;

/** Code as HTML: highlight.js's `<span class="hljs-…">`s around escaped text, or only escaped. */
export function highlightCode(code: string, language?: string): string {
  const limit = language ? NAMED_LIMIT : GUESS_LIMIT;
  if (code.length > limit || LONG_TOKEN.test(code)) return escapeHtml(code);
  if (language) return highlighter().highlight(code, { language, ignoreIllegals: true }).value;
  const guess = highlighter().highlightAuto(code);
  return guess.relevance >= GUESS_MIN_RELEVANCE ? guess.value : escapeHtml(code);
}

/** Whether a fence's first line names a language we highlight (```ts, ```ruby). */
export const isLanguageName = (name: string): boolean => /^[\w+#.-]{1,20}$/.test(name) && highlighter().getLanguage(name) !== undefined;
