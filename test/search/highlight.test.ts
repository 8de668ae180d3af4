import { expect, test } from "bun:test";
import { matchedWords, wordMarker } from "../../src/search/highlight.ts";

const markWords = (html: string, words: string[]) => wordMarker(words)(html);

test("the words FTS5 fenced are read back once each, in lower case", () => {
  expect(matchedWords("The \uE000Report\uE001 on \uE000reports\uE001 and the \uE000report\uE001")).toEqual(["report", "reports"]);
  expect(matchedWords("nothing matched here")).toEqual([]);
});

test("whole words are marked in the text, whatever their case, and nowhere else", () => {
  expect(markWords("<p>Report the reporter&#39;s report</p>", ["report"])).toBe(
    "<p><mark>Report</mark> the reporter&#39;s <mark>report</mark></p>",
  );
});

test("tags, attributes and entities are never split, even when they spell a matched word", () => {
  const html = '<a href="https://example.com/strong" rel="noopener">strong &amp; amp</a> <strong>quot</strong> &quot;';
  expect(markWords(html, ["strong", "amp", "quot", "href"])).toBe(
    '<a href="https://example.com/strong" rel="noopener"><mark>strong</mark> &amp; <mark>amp</mark></a> <strong><mark>quot</mark></strong> &quot;',
  );
});

test("a word is matched as text, so nothing in it can become markup or a pattern", () => {
  expect(markWords("<p>a.b axb &lt;b&gt;</p>", ["a.b", ".*", "<b>"])).toBe("<p><mark>a.b</mark> axb &lt;b&gt;</p>");
  expect(markWords("<p>café Café</p>", ["café"])).toBe("<p><mark>café</mark> <mark>Café</mark></p>");
  expect(markWords("<p>nothing to mark</p>", [])).toBe("<p>nothing to mark</p>");
});
