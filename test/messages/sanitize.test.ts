import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrations.ts";
import { linkMentions } from "../../src/messages/mentions.ts";
import { editableHtml, editableText, formatRichText, formatText, isBlank, isOwnLink } from "../../src/messages/sanitize.ts";
import { createClosedRoom } from "../../src/rooms/rooms.ts";
import { createUser, type User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { addSignedInMember, MEMBER, messageIdsIn, postMessage, startQuickSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

const LINK_ATTRIBUTES = 'rel="noopener noreferrer nofollow" target="_blank"';

describe("formatRichText: what survives", () => {
  test("scripts go with their content, and event handlers go from the tags they were on", () => {
    expect(formatRichText(`<script>alert(1)</script><b onclick="steal()">bold</b><i onmouseover="x">it</i>`)).toEqual({
      html: "<b>bold</b><i>it</i>",
      plain: "boldit",
    });
  });

  test("javascript:, data: and other unsafe links lose their href, however they are spelled", () => {
    for (const href of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "&#106;avascript:alert(1)",
      " javascript:alert(1)",
      "data:text/html,hi",
      "vbscript:x",
      "//evil.example",
    ]) {
      const { html } = formatRichText(`<a href="${href}">click</a>`);
      expect({ href, html }).toEqual({ href, html: `<a ${LINK_ATTRIBUTES}>click</a>` });
    }
  });

  test("https, http and mailto links keep their href and open safely in a new tab", () => {
    expect(formatRichText(`<a href="https://example.com/a?b=1&c=2" onclick="x">site</a>`).html).toBe(
      `<a href="https://example.com/a?b=1&amp;c=2" ${LINK_ATTRIBUTES}>site</a>`,
    );
    expect(formatRichText(`<a href="http://example.com">old</a>`).html).toBe(`<a href="http://example.com" ${LINK_ATTRIBUTES}>old</a>`);
    expect(formatRichText(`<a href="mailto:ada@example.com">mail</a>`).html).toBe(
      `<a href="mailto:ada@example.com" ${LINK_ATTRIBUTES}>mail</a>`,
    );
  });

  test("the allowlist stays: bold, italic, lists, quotes, code blocks and paragraphs", () => {
    const rich =
      "<p>Hello <b>world</b> <i>it</i> <strong>s</strong> <em>e</em></p><ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>" +
      "<blockquote>quoted</blockquote><pre><code>let x = 1;</code></pre>";
    expect(formatRichText(rich).html).toBe(rich);
  });

  test("images, frames, forms, styles and style attributes go", () => {
    const { html } = formatRichText(
      `<img src=x onerror=alert(1)><iframe src="https://example.com"></iframe><svg onload=alert(1)><circle/></svg>` +
        `<style>body{display:none}</style><form action="/x"><input name=a></form><p style="color:red" class="big" id="x">styled</p>`,
    );
    expect(html).toBe("<p>styled</p>");
  });

  test("unclosed tags are closed", () => {
    expect(formatRichText("<b>unclosed").html).toBe("<b>unclosed</b>");
  });
});

describe("formatText: what was typed", () => {
  test("plain text is escaped, keeps its line breaks and gets its web addresses linked", () => {
    expect(formatText("a < b & c > d")).toEqual({ html: "a &lt; b &amp; c &gt; d", plain: "a < b & c > d" });
    // Leading spaces are kept (shown with white-space: pre-wrap); blank lines before and whitespace after go.
    expect(formatText("\n  \n  line one\nline two  \n")).toEqual({ html: "  line one<br>line two", plain: "line one\nline two" });
    expect(formatText("  <b>x</b> & y\n\n\n  z").html).toBe("  &lt;b&gt;x&lt;/b&gt; &amp; y<br><br><br>  z");
    expect(formatText("see https://example.com/path?x=1. ok").html).toBe(
      `see <a href="https://example.com/path?x=1" ${LINK_ATTRIBUTES}>https://example.com/path?x=1</a>. ok`,
    );
  });

  // Text that makes no tag skips the HTML parser for its plain text: what looks like an entity
  // must still come back as typed.
  test.each([
    ["&amp; &lt;b&gt; &copy; &#169; &#x41; &nbsp;", "&amp; &lt;b&gt; &copy; &#169; &#x41; &nbsp;"],
    ["she said \"ok\" & 'fine'", "she said \"ok\" & 'fine'"],
    ["caf\u00e9 \u65e5\u672c \ud83c\udf89\ttab", "caf\u00e9 \u65e5\u672c \ud83c\udf89\ttab"],
    ["a\u00a0b", "a b"],
  ])("the plain text of %j is %j", (typed, plain) => {
    expect(formatText(typed).plain).toBe(plain);
  });
});

describe("formatText: code in plain text", () => {
  test("`code` and ```blocks``` are shown as code, untouched, and markup quoted in them stays text", () => {
    expect(formatText("use `<div>` here").html).toBe("use <code>&lt;div&gt;</code> here");
    expect(formatText("see:\n```\nif (a < b) {\n  go();\n}\n```\nthen https://x.com").html).toBe(
      'see:<pre><code>if (a &lt; b) {\n  go();\n}</code></pre>then <a href="https://x.com" rel="noopener noreferrer nofollow" target="_blank">https://x.com</a>',
    );
    expect(formatText("a lone ` backtick").html).toBe("a lone ` backtick");
  });

  test("editing gets back exactly what was typed, so saving it unchanged changes nothing", () => {
    for (const typed of ["use `<div>` & more\nline two https://x.com", "see:\n```\nconst a = 1 < 2;\n  indented\n```\nok", "@Ana hi"]) {
      const { html } = formatText(typed);
      expect(editableText(html)).toBe(typed);
      expect(formatText(editableText(html)).html).toBe(html);
    }
  });
});

describe("formatText: text with angle brackets", () => {
  test("is text even when it looks like HTML: it comes back exactly as typed", () => {
    for (const typed of [
      "Wrap it in a <div> please",
      "<b>x</b>",
      "<script>alert(1)</script>",
      '<a href="javascript:x">y</a>',
      "<p>hi</p>",
    ]) {
      const { html, plain } = formatText(typed);
      expect(html).not.toContain("<");
      expect(plain).toBe(typed);
      expect(editableText(html)).toBe(typed);
    }
    expect(formatText("Wrap it in a <div> please").html).toBe("Wrap it in a &lt;div&gt; please");
  });

  test("a quoted web address is linked without its quotes", () => {
    expect(formatText("see \"https://example.com/page\" and 'https://example.com/b'").html).toBe(
      `see &quot;<a href="https://example.com/page" ${LINK_ATTRIBUTES}>https://example.com/page</a>&quot; and ` +
        `'<a href="https://example.com/b" ${LINK_ATTRIBUTES}>https://example.com/b</a>'`,
    );
    expect(formatText("https://example.com/?a=1&b=2").html).toBe(
      `<a href="https://example.com/?a=1&amp;b=2" ${LINK_ATTRIBUTES}>https://example.com/?a=1&amp;b=2</a>`,
    );
  });

  test("NUL bytes are dropped", () => {
    expect(formatText("a\0b\0")).toEqual({ html: "ab", plain: "ab" });
  });

  test("is blank when only whitespace, zero-width or control characters are left", () => {
    for (const typed of [" \t\n", "\u200b\u200c\u200d\u2060\ufeff", "\u0001\u0007\u001f\u007f", "\u200e\u202e \u00ad"]) {
      expect({ typed, blank: isBlank(formatText(typed).plain) }).toEqual({ typed, blank: true });
    }
    for (const typed of ["a", "👍", "\u200bx", "👨\u200d👩"])
      expect({ typed, blank: isBlank(formatText(typed).plain) }).toEqual({ typed, blank: false });
  });

  test("is plain text, so nothing typed is lost", () => {
    expect(formatText("if x<y and z>w then https://example.com")).toEqual({
      html: 'if x&lt;y and z&gt;w then <a href="https://example.com" rel="noopener noreferrer nofollow" target="_blank">https://example.com</a>',
      plain: "if x<y and z>w then https://example.com",
    });
  });
});

describe("the plain-text projection", () => {
  test("is the text alone, with a line per block and entities decoded", () => {
    const { plain } = formatRichText(
      "<p>Hello <b>world</b></p><ul><li>one</li><li>two</li></ul><blockquote>Fish &amp; chips &lt;3</blockquote><pre><code>x = 1</code></pre>",
    );
    expect(plain).toBe("Hello world\none\ntwo\nFish & chips <3\nx = 1");
  });

  test("collapses runs of blank lines and trims the ends", () => {
    expect(formatText("one\n\n\n\n\ntwo").plain).toBe("one\n\ntwo");
    expect(formatRichText("<p> </p><div>x</div><br><br><br><br>").plain).toBe("x");
  });

  test("is empty when nothing readable is left", () => {
    for (const input of ["", "   "]) expect(formatText(input).plain).toBe("");
    for (const input of ["", "   ", "<script>alert(1)</script>", "<img src=x>", `<a href="https://example.com"></a>`]) {
      expect(formatRichText(input).plain).toBe("");
    }
  });
});

describe("linkMentions", () => {
  let db: Database;
  let ana: User;
  let anaLucia: User;
  let tom: User;
  let roomId: number;
  const person = (name: string, emailAddress: string) => createUser(db, { name, emailAddress, passwordDigest: "unused", role: "member" });
  beforeEach(() => {
    db = openDatabase(":memory:");
    migrate(db);
    ana = person("Ana", "ana@example.com");
    anaLucia = person("Ana Lucia", "ana.lucia@example.com");
    tom = person("Tom & Jerry", "tom@example.com");
    person("Outsider", "outsider@example.com");
    roomId = createClosedRoom(db, ana, "Room", [anaLucia.id, tom.id]).id;
  });
  afterEach(() => db.close());

  // A mention is stored as a reference to the person; the name is added when it is shown.
  const mention = (user: User) => `<span class="mention" data-user-id="${user.id}"></span>`;
  const names = (...users: User[]) => Object.fromEntries(users.map((user) => [user.id, user.name]));

  test("marks up room members by name, longest name first, ignoring case", () => {
    expect(linkMentions(db, roomId, "hi @ana lucia and @Ana!")).toEqual({
      html: `hi ${mention(anaLucia)} and ${mention(ana)}!`,
      mentionIds: [anaLucia.id, ana.id],
      mentionNames: names(ana, anaLucia),
    });
  });

  test("a name must end where the word ends", () => {
    expect(linkMentions(db, roomId, "@Ana_x @Ana1 @Ana Luciana").html).toBe(`@Ana_x @Ana1 ${mention(ana)} Luciana`);
  });

  test("an @ inside a word or an address is not a mention", () => {
    expect(linkMentions(db, roomId, "mail me at team@Ana or x.@Ana").mentionIds).toEqual([]);
  });

  test("names with escaped characters are found in the escaped text", () => {
    expect(linkMentions(db, roomId, formatText("ping @Tom & Jerry").html)).toEqual({
      html: `ping ${mention(tom)}`,
      mentionIds: [tom.id],
      mentionNames: names(tom),
    });
  });

  test("people who are not in the room are left alone", () => {
    expect(linkMentions(db, roomId, "@Outsider hello")).toEqual({ html: "@Outsider hello", mentionIds: [], mentionNames: {} });
  });

  test("a person mentioned twice is counted once", () => {
    expect(linkMentions(db, roomId, "@Ana @ana").mentionIds).toEqual([ana.id]);
  });

  test("only text is touched, never tags or their attributes", () => {
    const html = formatRichText(`<a href="https://example.com/?q=>@Ana" title="@Ana Lucia">@Ana</a>`).html;
    expect(linkMentions(db, roomId, html).html).toBe(
      `<a href="https://example.com/?q=&gt;@Ana" title="@Ana Lucia" ${LINK_ATTRIBUTES}>${mention(ana)}</a>`,
    );
  });

  test("a body without @ is returned as it is", () => {
    expect(linkMentions(db, roomId, "<b>no one</b>")).toEqual({ html: "<b>no one</b>", mentionIds: [], mentionNames: {} });
  });
});

describe("over HTTP", () => {
  let server: TestServer;
  let admin: Client;
  let memberUser: User;
  beforeEach(async () => {
    ({ server, admin } = await startQuickSetUpServer());
    ({ user: memberUser } = await addSignedInMember(server, MEMBER));
  });
  afterEach(() => server.close());

  const ALL_TALK = 1;
  const stored = (id: number) =>
    server.db
      .query<{ body_html: string; body_plain: string }, [number]>("SELECT body_html, body_plain FROM messages WHERE id = ?")
      .get(id)!;

  test("markup typed in a message is stored, answered and shown as text: no scripts, handlers, images or links", async () => {
    const typed = `<p onclick="steal()">Hi <script>document.cookie</script><a href="javascript:alert(1)">click</a><img src=x onerror=alert(1)></p>`;
    const response = await postMessage(admin, ALL_TALK, typed);
    expect(response.status).toBe(201);
    const fragment = await response.text();
    const id = messageIdsIn(fragment)[0]!;
    const page = await (await admin.get(`/rooms/${ALL_TALK}/@${id}`)).text();
    const messageOnPage = page.slice(page.indexOf(`id="message_${id}"`), page.indexOf("</article>", page.indexOf(`id="message_${id}"`)));
    for (const html of [stored(id).body_html, fragment, messageOnPage]) {
      expect(html).not.toContain("<script");
      expect(html).not.toContain("<img");
      expect(html).not.toContain("<p onclick");
      expect(html).not.toContain('<a href="javascript:');
      expect(html).toContain("&lt;script&gt;document.cookie&lt;/script&gt;");
    }
    expect(stored(id).body_plain).toBe(typed);
  });

  test("tags typed in the composer come back exactly as typed", async () => {
    for (const typed of ["Wrap it in a <div> please", "<b>x</b>", "<ol><li>write</li></ol>"]) {
      const id = messageIdsIn(await (await postMessage(admin, ALL_TALK, typed)).text())[0]!;
      expect(stored(id).body_plain).toBe(typed);
      expect(stored(id).body_html).not.toContain("<");
    }
  });

  test("plain text is stored escaped, and a mention of a member is stored as a reference to them, not their name", async () => {
    const response = await postMessage(admin, ALL_TALK, "1 < 2 & @Milo Member agrees");
    const id = messageIdsIn(await response.text())[0]!;
    expect(stored(id)).toEqual({
      body_html: `1 &lt; 2 &amp; <span class="mention" data-user-id="${memberUser.id}"></span> agrees`,
      body_plain: "1 < 2 & @Milo Member agrees",
    });
  });
});

describe("links to this server stay in the tab", () => {
  const ORIGIN = "https://chat.example.com";
  test("a path, or an address on this server's origin, is ours; anything else, or a look-alike, is not", () => {
    for (const href of ["/rooms/1/@5", " /rooms/1", `${ORIGIN}/rooms/1/@5`, "HTTPS://CHAT.EXAMPLE.COM/rooms/1", `${ORIGIN}:443/x`])
      expect({ href, own: isOwnLink(href, ORIGIN) }).toEqual({ href, own: true });
    for (const href of [
      "//evil.example/x",
      "/\\evil.example/x",
      "https://chat.example.com.evil.example/x",
      "https://chat.example.com@evil.example/x",
      "http://chat.example.com/x",
      "https://chat.example.com:8443/x",
      "https://example.com/",
      "rooms/1",
      "",
    ])
      expect({ href, own: isOwnLink(href, ORIGIN) }).toEqual({ href, own: false });
    expect(isOwnLink(`${ORIGIN}/x`)).toBe(false);
  });

  test("both formatters leave our links without a target and send the rest to a new tab", () => {
    expect(formatRichText(`<a href="/rooms/1/@5" target="_blank" rel="opener">#</a>`, ORIGIN).html).toBe('<a href="/rooms/1/@5">#</a>');
    expect(formatRichText(`<a href="${ORIGIN}/rooms/1/@5">p</a>`, ORIGIN).html).toBe(`<a href="${ORIGIN}/rooms/1/@5">p</a>`);
    expect(formatRichText(`<a href="${ORIGIN}/rooms/1/@5">p</a>`).html).toBe(`<a href="${ORIGIN}/rooms/1/@5" ${LINK_ATTRIBUTES}>p</a>`);
    expect(formatText(`see ${ORIGIN}/rooms/1/@5 or https://example.com`, ORIGIN).html).toBe(
      `see <a href="${ORIGIN}/rooms/1/@5">${ORIGIN}/rooms/1/@5</a> or <a href="https://example.com" ${LINK_ATTRIBUTES}>https://example.com</a>`,
    );
  });
});

describe("editableHtml: what the toolbar editor is loaded with", () => {
  test("formatting stays, a mention chip becomes its name as text, a sound its command", () => {
    expect(editableHtml('<div><strong>Hi</strong> <span class="mention" data-user-id="7">@Ana &amp; Co</span></div><pre>x</pre>')).toBe(
      "<div><strong>Hi</strong> @Ana &amp; Co</div><pre>x</pre>",
    );
    expect(editableHtml('<div class="sound" data-sound="tada"><span>🎉</span></div>')).toBe("/play tada");
  });
});
