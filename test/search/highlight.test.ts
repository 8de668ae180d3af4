import { expect, test } from "bun:test";
import { snippetHtml } from "../../src/search/highlight.ts";
import { escapeText } from "../../templates/html.ts";

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

test("marks are found as a regular expression would find them, over thousands of strings with stray fences", () => {
  // The regular expression snippetHtml once used, as the reference: START, text without fences, END.
  const reference = (fenced: string) => {
    let out = "";
    let from = 0;
    for (const match of fenced.matchAll(/\uE000([^\uE000\uE001]*)\uE001/g)) {
      out += `${escapeText(fenced.slice(from, match.index).replace(/[\uE000\uE001]/g, ""))}<mark>${escapeText(match[1]!)}</mark>`;
      from = match.index + match[0].length;
    }
    return out + escapeText(fenced.slice(from).replace(/[\uE000\uE001]/g, ""));
  };
  const pieces = ["a", "bc", " ", "<", "&", '"', "\uE000", "\uE001", "\uE000x\uE001"];
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < 5000; i++) {
    let fenced = "";
    for (let k = next(12); k > 0; k--) fenced += pieces[next(pieces.length)];
    expect({ fenced, html: marked(fenced) }).toEqual({ fenced, html: reference(fenced) });
  }
});
