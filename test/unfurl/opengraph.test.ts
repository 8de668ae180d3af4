import { expect, test } from "bun:test";
import { MAX_TEXT_CHARS, readPageFacts } from "../../src/unfurl/opengraph.ts";

const PAGE = new URL("https://example.com/articles/1");

test("OpenGraph tags give the title, description and image, relative images resolved against the page", () => {
  const facts = readPageFacts(
    `<!doctype html><html><head><title>Plain title</title>
     <meta property="og:title" content="Fish &amp; Chips">
     <meta content='Crispy &lt;b&gt;and&lt;/b&gt; hot &#8212; &#x1F41F;' property='og:description'>
     <meta property=og:image content=/img/fish.png>
     </head><body><meta property="og:title" content="In the body"></body></html>`,
    PAGE,
  );
  expect(facts).toEqual({ title: "Fish & Chips", description: "Crispy and hot — 🐟", image: new URL("https://example.com/img/fish.png") });
});

test("without OpenGraph, the <title> and meta description are used", () => {
  expect(readPageFacts(`<head><TITLE>  Hello\n  world </TITLE><meta name="Description" content="About it"></head>`, PAGE)).toEqual({
    title: "Hello world",
    description: "About it",
    image: null,
  });
});

test("a page without a title gives no card", () => {
  expect(readPageFacts(`<head><meta name="description" content="Only this"></head>`, PAGE)).toBeNull();
  expect(readPageFacts("not html at all", PAGE)).toBeNull();
});

test("tags in comments and scripts are not the page's", () => {
  const facts = readPageFacts(
    `<head><!-- <meta property="og:title" content="Commented"> --><script>"<meta property='og:title' content='Scripted'>"</script>
     <title>Real</title></head>`,
    PAGE,
  );
  expect(facts?.title).toBe("Real");
});

test("only an http(s) image is kept", () => {
  for (const image of ["javascript:alert(1)", "data:image/png;base64,AAAA", "file:///etc/passwd", "  "]) {
    expect(readPageFacts(`<title>T</title><meta property="og:image" content="${image}">`, PAGE)?.image).toBeNull();
  }
});

test("long titles and descriptions are cut, markup in them is dropped", () => {
  const facts = readPageFacts(
    `<title>${"a".repeat(2000)}</title><meta name="description" content="&lt;script&gt;x&lt;/script&gt; y">`,
    PAGE,
  )!;
  expect(facts.title.length).toBe(MAX_TEXT_CHARS);
  expect(facts.title.endsWith("…")).toBe(true);
  expect(facts.description).toBe("x y");
});

test("a quoted value may hold a >", () => {
  const facts = readPageFacts(
    `<meta property="og:title" content="a > b"><meta property="og:description" content='<b>bold</b> claim'>`,
    PAGE,
  );
  expect(facts).toMatchObject({ title: "a > b", description: "bold claim" });
});
