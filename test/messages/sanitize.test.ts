import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrations.ts";
import { linkMentions } from "../../src/messages/mentions.ts";
import { editableText, formatBody } from "../../src/messages/sanitize.ts";
import { createClosedRoom } from "../../src/rooms/rooms.ts";
import { createUser, type User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { MEMBER, addSignedInMember, messageIdsIn, postMessage, startQuickSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

const LINK_ATTRIBUTES = 'rel="noopener noreferrer nofollow" target="_blank"';

describe("formatBody: what survives", () => {
  test("scripts go with their content, and event handlers go from the tags they were on", () => {
    expect(formatBody(`<script>alert(1)</script><b onclick="steal()">bold</b><i onmouseover="x">it</i>`)).toEqual({
      html: "<b>bold</b><i>it</i>",
      plain: "boldit",
    });
  });

  test("javascript:, data: and other unsafe links lose their href, however they are spelled", () => {
    for (const href of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", " javascript:alert(1)", "data:text/html,hi", "vbscript:x", "//evil.example"]) {
      const { html } = formatBody(`<a href="${href}">click</a>`);
      expect({ href, html }).toEqual({ href, html: `<a ${LINK_ATTRIBUTES}>click</a>` });
    }
  });

  test("https, http and mailto links keep their href and open safely in a new tab", () => {
    expect(formatBody(`<a href="https://example.com/a?b=1&c=2" onclick="x">site</a>`).html).toBe(
      `<a href="https://example.com/a?b=1&amp;c=2" ${LINK_ATTRIBUTES}>site</a>`,
    );
    expect(formatBody(`<a href="http://example.com">old</a>`).html).toBe(`<a href="http://example.com" ${LINK_ATTRIBUTES}>old</a>`);
    expect(formatBody(`<a href="mailto:ada@example.com">mail</a>`).html).toBe(`<a href="mailto:ada@example.com" ${LINK_ATTRIBUTES}>mail</a>`);
  });

  test("the allowlist stays: bold, italic, lists, quotes, code blocks and paragraphs", () => {
    const rich =
      "<p>Hello <b>world</b> <i>it</i> <strong>s</strong> <em>e</em></p><ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>" +
      "<blockquote>quoted</blockquote><pre><code>let x = 1;</code></pre>";
    expect(formatBody(rich).html).toBe(rich);
  });

  test("images, frames, forms, styles and style attributes go", () => {
    const { html } = formatBody(
      `<img src=x onerror=alert(1)><iframe src="https://example.com"></iframe><svg onload=alert(1)><circle/></svg>` +
        `<style>body{display:none}</style><form action="/x"><input name=a></form><p style="color:red" class="big" id="x">styled</p>`,
    );
    expect(html).toBe("<p>styled</p>");
  });

  test("unclosed tags are closed", () => {
    expect(formatBody("<b>unclosed").html).toBe("<b>unclosed</b>");
  });

  test("plain text is escaped, keeps its line breaks and gets its web addresses linked", () => {
    expect(formatBody("a < b & c > d")).toEqual({ html: "a &lt; b &amp; c &gt; d", plain: "a < b & c > d" });
    expect(formatBody("  line one\nline two  ")).toEqual({ html: "line one<br>line two", plain: "line one\nline two" });
    expect(formatBody("see https://example.com/path?x=1. ok").html).toBe(
      `see <a href="https://example.com/path?x=1" ${LINK_ATTRIBUTES}>https://example.com/path?x=1</a>. ok`,
    );
  });
});

describe("formatBody: code in plain text", () => {
  test("`code` and ```blocks``` are shown as code, untouched, and markup quoted in them stays text", () => {
    expect(formatBody("use `<div>` here").html).toBe("use <code>&lt;div&gt;</code> here");
    expect(formatBody("see:\n```\nif (a < b) {\n  go();\n}\n```\nthen https://x.com").html).toBe(
      'see:<pre><code>if (a &lt; b) {\n  go();\n}</code></pre>then <a href="https://x.com" rel="noopener noreferrer nofollow" target="_blank">https://x.com</a>',
    );
    expect(formatBody("a lone ` backtick").html).toBe("a lone ` backtick");
  });

  test("editing gets back exactly what was typed, so saving it unchanged changes nothing", () => {
    for (const typed of ["use `<div>` & more\nline two https://x.com", "see:\n```\nconst a = 1 < 2;\n  indented\n```\nok", "@Ana hi"]) {
      const { html } = formatBody(typed);
      expect(editableText(html)).toBe(typed);
      expect(formatBody(editableText(html)).html).toBe(html);
    }
  });
});

describe("formatBody: text with angle brackets", () => {
  test("is plain text unless it has tags we know, so nothing typed is lost", () => {
    expect(formatBody("if x<y and z>w then https://example.com")).toEqual({
      html: 'if x&lt;y and z&gt;w then <a href="https://example.com" rel="noopener noreferrer nofollow" target="_blank">https://example.com</a>',
      plain: "if x<y and z>w then https://example.com",
    });
  });
});

describe("formatBody: the plain-text projection", () => {
  test("is the text alone, with a line per block and entities decoded", () => {
    const { plain } = formatBody(
      "<p>Hello <b>world</b></p><ul><li>one</li><li>two</li></ul><blockquote>Fish &amp; chips &lt;3</blockquote><pre><code>x = 1</code></pre>",
    );
    expect(plain).toBe("Hello world\none\ntwo\nFish & chips <3\nx = 1");
  });

  test("collapses runs of blank lines and trims the ends", () => {
    expect(formatBody("one\n\n\n\n\ntwo").plain).toBe("one\n\ntwo");
    expect(formatBody("<p> </p><div>x</div><br><br><br><br>").plain).toBe("x");
  });

  test("is empty when nothing readable is left", () => {
    for (const input of ["", "   ", "<script>alert(1)</script>", "<img src=x>", `<a href="https://example.com"></a>`]) {
      expect(formatBody(input).plain).toBe("");
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

  const mention = (user: User, text: string) => `<span class="mention" data-user-id="${user.id}">${text}</span>`;

  test("marks up room members by name, longest name first, ignoring case", () => {
    expect(linkMentions(db, roomId, "hi @ana lucia and @Ana!")).toEqual({
      html: `hi ${mention(anaLucia, "@ana lucia")} and ${mention(ana, "@Ana")}!`,
      mentionIds: [anaLucia.id, ana.id],
    });
  });

  test("a name must end where the word ends", () => {
    expect(linkMentions(db, roomId, "@Ana_x @Ana1 @Ana Luciana").html).toBe(`@Ana_x @Ana1 ${mention(ana, "@Ana")} Luciana`);
  });

  test("an @ inside a word or an address is not a mention", () => {
    expect(linkMentions(db, roomId, "mail me at team@Ana or x.@Ana").mentionIds).toEqual([]);
  });

  test("names with escaped characters are found in the escaped text", () => {
    expect(linkMentions(db, roomId, formatBody("ping @Tom & Jerry").html)).toEqual({
      html: `ping ${mention(tom, "@Tom &amp; Jerry")}`,
      mentionIds: [tom.id],
    });
  });

  test("people who are not in the room are left alone", () => {
    expect(linkMentions(db, roomId, "@Outsider hello")).toEqual({ html: "@Outsider hello", mentionIds: [] });
  });

  test("a person mentioned twice is counted once", () => {
    expect(linkMentions(db, roomId, "@Ana @ana").mentionIds).toEqual([ana.id]);
  });

  test("only text is touched, never tags or their attributes", () => {
    const html = formatBody(`<a href="https://example.com/?q=>@Ana" title="@Ana Lucia">@Ana</a>`).html;
    expect(linkMentions(db, roomId, html).html).toBe(
      `<a href="https://example.com/?q=&gt;@Ana" title="@Ana Lucia" ${LINK_ATTRIBUTES}>${mention(ana, "@Ana")}</a>`,
    );
  });

  test("a body without @ is returned as it is", () => {
    expect(linkMentions(db, roomId, "<b>no one</b>")).toEqual({ html: "<b>no one</b>", mentionIds: [] });
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
    server.db.query<{ body_html: string; body_plain: string }, [number]>("SELECT body_html, body_plain FROM messages WHERE id = ?").get(id)!;

  test("what is stored, answered and shown on the page has no scripts, handlers or javascript: links", async () => {
    const response = await postMessage(
      admin,
      ALL_TALK,
      `<p onclick="steal()">Hi <script>document.cookie</script><a href="javascript:alert(1)">click</a><img src=x onerror=alert(1)></p>`,
    );
    expect(response.status).toBe(201);
    const fragment = await response.text();
    const id = messageIdsIn(fragment)[0]!;
    const page = await (await admin.get(`/rooms/${ALL_TALK}/@${id}`)).text();
    const messageOnPage = page.slice(page.indexOf(`id="message_${id}"`), page.indexOf("</article>", page.indexOf(`id="message_${id}"`)));
    for (const html of [stored(id).body_html, fragment, messageOnPage]) {
      expect(html).not.toContain("<script");
      expect(html).not.toContain("document.cookie");
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).not.toContain("javascript:");
      expect(html).not.toContain("<img");
    }
    expect(stored(id)).toEqual({ body_html: `<p>Hi <a ${LINK_ATTRIBUTES}>click</a></p>`, body_plain: "Hi click" });
  });

  test("rich formatting is kept, and body_plain is its text", async () => {
    const rich = `<p><b>Plan</b> for <i>today</i>: see <a href="https://example.com">the doc</a></p><ol><li>write</li><li>ship</li></ol><pre><code>bun test</code></pre>`;
    const response = await postMessage(admin, ALL_TALK, rich);
    const id = messageIdsIn(await response.text())[0]!;
    expect(stored(id)).toEqual({
      body_html: rich.replace('href="https://example.com"', `href="https://example.com" ${LINK_ATTRIBUTES}`),
      body_plain: "Plan for today: see the doc\nwrite\nship\nbun test",
    });
  });

  test("plain text is stored escaped, and a mention of a member is marked in the stored HTML", async () => {
    const response = await postMessage(admin, ALL_TALK, "1 < 2 & @Milo Member agrees");
    const id = messageIdsIn(await response.text())[0]!;
    expect(stored(id)).toEqual({
      body_html: `1 &lt; 2 &amp; <span class="mention" data-user-id="${memberUser.id}">@Milo Member</span> agrees`,
      body_plain: "1 < 2 & @Milo Member agrees",
    });
  });
});
