/** @jsxImportSource hono/jsx */
import { expect, test } from "bun:test";
import { html } from "../../templates/html.ts";
import { Layout, layoutHtml } from "../../templates/layout.tsx";
import { renderToString } from "../../templates/render.ts";

const bodyOf = (page: string) => page.slice(page.indexOf("</div>", page.indexOf('id="flash"')) + "</div>".length, page.indexOf("</body>"));

test("a JSX page's children are set in the layout one after another, with its text escaped", () => {
  const page = renderToString(
    <Layout title="A & B">
      <p>one</p>
      text & more
      <p>two</p>
    </Layout>,
  );
  expect(page.startsWith('<!DOCTYPE html><html lang="en"><head>')).toBe(true);
  expect(page).toContain("<title>A &amp; B</title>");
  expect(bodyOf(page)).toBe("<p>one</p>text &amp; more<p>two</p>");
  expect(page.endsWith("</body></html>")).toBe(true);
});

test("the layout escapes the person's name and title, and shows a notice, the nonce and a stylesheet only when given", () => {
  const user = { id: 7, name: `Ada "<b>"`, role: "member" as const, soundsMuted: 1 as const };
  const page = layoutHtml(
    { title: "<i>Room</i>", bodyClass: "app", user, notice: "Saved & done", nonce: "abc123", stylesheet: "/x.css" },
    html`<main>${"<b>kept as text</b>"}</main>`,
  ).text;
  expect(page).toContain("<title>&lt;i&gt;Room&lt;/i&gt;</title>");
  expect(page).toContain(
    '<body class="app" data-user-id="7" data-user-name="Ada &quot;&lt;b&gt;&quot;" data-user-role="member" data-sounds-muted="true">',
  );
  expect(page).toContain("Saved &amp; done");
  expect(page).toContain('<meta name="csp-nonce" content="abc123">');
  expect(page).toContain('<link rel="stylesheet" href="/x.css">');
  expect(page).toContain("<main>&lt;b&gt;kept as text&lt;/b&gt;</main></body></html>");

  const plain = layoutHtml({ title: "Plain" }, html`<main></main>`).text;
  expect(plain).toContain('<body><div id="flash" class="flash" aria-live="polite"></div><main></main></body></html>');
  expect(plain).not.toContain("csp-nonce");
  expect(plain).not.toContain("/x.css");
});
