import { expect, test } from "bun:test";
import { snippetHtml } from "../../src/search/highlight.ts";

const marked = (fenced: string) => snippetHtml(fenced).text;

test("the words FTS5 fenced become <mark>, and the text around them is escaped", () => {
  expect(marked("…the \uE000Report\uE001 & the \uE000reports\uE001…")).toBe("…the <mark>Report</mark> &amp; the <mark>reports</mark>…");
  expect(marked("nothing matched here")).toBe("nothing matched here");
});

test("markup typed in a message stays text, even <mark> itself; only our fences make marks", () => {
  expect(marked('<script>alert(1)</script> <mark>x</mark> \uE000"fake"\uE001')).toBe(
    "&lt;script&gt;alert(1)&lt;/script&gt; &lt;mark&gt;x&lt;/mark&gt; <mark>&quot;fake&quot;</mark>",
  );
});

test("fence characters a message happens to contain can only move a mark, never let markup through", () => {
  expect(marked("a \uE000<b>\uE001 c \uE000word\uE001 \uE001")).toBe("a <mark>&lt;b&gt;</mark> c <mark>word</mark> ");
  expect(marked("\uE000unclosed <b>")).toBe("unclosed &lt;b&gt;");
});
