// Stored XSS, every way a person's words reach someone else's page: a plain body, a rich body, a
// reply's quote, a boost, a person's name and a room's name. Each payload goes in over HTTP (names
// through the domain function a rename uses), and the fragments and pages that show it are read
// with a real HTML tokenizer (Bun's HTMLRewriter) for anything a browser would run.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { escapeHtml } from "../../src/messages/sanitize.ts";
import { renameUser, type User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { createRoom, messageIdsIn, sendForm, startThreePersonServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

const BASE = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<script/src=data:,alert(1)>",
  "<img src=x onerror=alert(1)>",
  "<IMG SRC=x OnErRoR=alert(1)>",
  '<img src="x" onerror="&#97;lert(1)">',
  "<img src=`x`onerror=alert(1)>",
  "<img/src/onerror=alert(1)>",
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<svg><a xlink:href=javascript:alert(1)><text y=20>x</text></a></svg>",
  "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
  "<svg><use href=data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+></use></svg>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<math href=javascript:alert(1)>x</math>",
  "<body onload=alert(1)>",
  "<iframe src=javascript:alert(1)></iframe>",
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  "<object data=javascript:alert(1)></object>",
  "<embed src=javascript:alert(1)>",
  "<a href=javascript:alert(1)>x</a>",
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="java&#x09;script:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
  '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
  '<a href="javascript&#58;alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
  '<a href="//evil.example">x</a>',
  '<a href="\\\\evil.example">x</a>',
  "<a href=x onclick=alert(1)>x</a>",
  '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
  '<a href="https://ok.example" style="position:fixed;inset:0">x</a>',
  '<a href="https://ok.example" hx-get="/account" hx-trigger="load">x</a>',
  '<div hx-on:click="alert(1)">x</div>',
  '<div hx-get="/rooms/1" hx-trigger="load" hx-swap="outerHTML">x</div>',
  '<div data-hx-post="/account/join_code" data-hx-trigger="load">x</div>',
  "<form action=javascript:alert(1)><button>x</button></form>",
  "<button formaction=javascript:alert(1)>x</button>",
  "<input autofocus onfocus=alert(1)>",
  "<select autofocus onfocus=alert(1)>",
  "<textarea autofocus onfocus=alert(1)>",
  "<details open ontoggle=alert(1)>",
  "<video><source onerror=alert(1)>",
  "<audio src=x onerror=alert(1)>",
  "<marquee onstart=alert(1)>x</marquee>",
  '<style>@import "javascript:alert(1)";</style>',
  "<style>body{background:url(javascript:alert(1))}</style>",
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<div style="width:expression(alert(1))">x</div>',
  '<p STYLE="behavior:url(x.htc)">x</p>',
  "<link rel=stylesheet href=javascript:alert(1)>",
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  "<template><script>alert(1)</script></template>",
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<p title="</p><img src=x onerror=alert(1)>">x</p>',
  "<!--<img src=x onerror=alert(1)>-->",
  "<![CDATA[<script>alert(1)</script>]]>",
  "<?xml-stylesheet href=javascript:alert(1)?>",
  "<img src=x onerror=alert(1)//",
  "<img src=x onerror=alert(1) <b>",
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  "</textarea><script>alert(1)</script>",
  "</title><script>alert(1)</script>",
  "</div></article><script>alert(1)</script>",
  '<span class="mention" data-user-id="1">@Ada</span>',
  '<span class="message" data-message-id="1" id="message_1">forged</span>',
  '<code class="language-js" onclick="alert(1)">x</code>',
  '<pre><code onmouseover="alert(1)">x</code></pre>',
  "{{constructor.constructor('alert(1)')()}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection, as text
  "${alert(1)}",
  "<%= 7*7 %>",
  "#{alert(1)}",
  "\u003cscript\u003ealert(1)\u003c/script\u003e",
  "＜script＞alert(1)＜/script＞",
  "<scr\u0000ipt>alert(1)</scr\u0000ipt>",
  "<img src=x o\u200bnerror=alert(1)>",
  '<a href="jav\u200bascript:alert(1)">x</a>',
  '\u202e<a href="javascript:alert(1)">gnp.exe</a>',
  '<a href="javascript\u0000:alert(1)">x</a>',
  '<img src="x" alt="" onerror\n=alert(1)>',
  "<img\nsrc=x\nonerror=alert(1)>",
  "<x onclick=alert(1)>click</x>",
  "<custom-element onconnected=alert(1)></custom-element>",
  "<trix-editor input=x onfocus=alert(1)></trix-editor>",
  "<isindex action=javascript:alert(1) type=image>",
  "<table background=javascript:alert(1)>",
  "<frameset onload=alert(1)>",
  "<blockquote cite=javascript:alert(1) onclick=alert(1)>q</blockquote>",
  "<cite onmouseover=alert(1)>who</cite>",
  '<a href="/rooms/1/@1" onclick="alert(1)">#</a>',
  "/play <img src=x onerror=alert(1)>",
  "@<img src=x onerror=alert(1)>",
  "`<script>alert(1)</script>`",
  "```\n<script>alert(1)</script>\n```",
  'https://example.com/"onmouseover="alert(1)',
  "https://example.com/<script>alert(1)</script>",
  "javascript:alert(1)",
  "<svg/onload=alert`1`>",
  "<img src=x:alert(1) onerror=eval(src)>",
];
// The first dozen again, shouted: tag and attribute names are matched however they are cased.
const PAYLOADS = [...BASE, ...BASE.slice(0, 12).map((payload) => payload.toUpperCase())];

const DECODED = /&(#x[0-9a-f]+|#\d+|colon|tab|newline|lt|gt|amp|quot|apos);?/gi;
const NAMED: Record<string, string> = { colon: ":", tab: "\t", newline: "\n", lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const decode = (value: string) =>
  value.replace(DECODED, (_, name: string) =>
    name[0] === "#"
      ? String.fromCodePoint(name[1]!.toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10))
      : NAMED[name.toLowerCase()]!,
  );
// What a browser's URL parser reads (WHATWG URL): leading C0 controls and spaces and every tab or
// newline go; anything else (a zero-width space) stays and makes the scheme no scheme at all.
const scheme = (value: string) =>
  decode(value)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the URL standard's C0 controls, on purpose
    .replace(/^[\u0000-\u0020]+/, "")
    .replace(/[\t\n\r]/g, "")
    .toLowerCase();
const URL_ATTRIBUTES = new Set([
  "href",
  "src",
  "action",
  "formaction",
  "xlink:href",
  "data",
  "poster",
  "background",
  "ping",
  "srcdoc",
  "cite",
]);
// The app shows images (avatars, attachments) and draws icons as inline SVG: those are checked for
// handlers and addresses like any element. What SVG can run (script, handlers, animated or used
// links, foreign content) is what is looked for.
const FORBIDDEN_ELEMENTS = new Set([
  "animate",
  "set",
  "animatemotion",
  "animatetransform",
  "foreignobject",
  "use",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "base",
  "math",
  "style",
  "isindex",
  "marquee",
]);
// Attributes the app's own markup uses; anything else on an element means a payload's attribute got through.
const APP_ATTRIBUTES =
  /^(id|class|href|src|rel|type|name|content|charset|lang|title|role|hidden|for|action|method|value|placeholder|required|maxlength|minlength|rows|autocomplete|autofocus|tabindex|open|datetime|target|defer|disabled|checked|selected|multiple|aria-[a-z-]+|data-[a-z-]+|hx-(ext|get|post|patch|delete|put|target|swap|trigger|select|push-url|confirm|include|indicator|disabled-elt|sync|boost)|ws-connect|ws-send|input|toolbar|inputmode|enterkeyhint|spellcheck|accept|readonly|max|min|step|loading|decoding|controls|preload|download|width|height|viewbox|xmlns|d|fill|stroke|stroke-[a-z]+|alt)$/;

/** Everything a browser would run in this HTML, in words; empty when nothing. */
/** The page head's links: stylesheets and icons, the app's manifest and its home-screen icon. */
const ownLink = (rel: string | null, href: string | null) =>
  rel === "stylesheet" ||
  rel === "icon" ||
  (rel === "manifest" && href === "/webmanifest") ||
  (rel === "apple-touch-icon" && /^\/icons\/[\w-]+\.png$/.test(href ?? ""));

async function executable(html: string): Promise<string[]> {
  const found: string[] = [];
  const rewriter = new HTMLRewriter()
    .on("*", {
      element(element) {
        const tag = element.tagName.toLowerCase();
        if (FORBIDDEN_ELEMENTS.has(tag)) found.push(`<${tag}>`);
        if (tag === "script" && !/^\/assets\/[\w.-]+\.js$/.test(element.getAttribute("src") ?? "")) found.push("<script> not ours");
        if (tag === "meta" && element.hasAttribute("http-equiv")) found.push("<meta http-equiv>");
        if (tag === "link" && !ownLink(element.getAttribute("rel"), element.getAttribute("href"))) found.push("<link> not ours");
        for (const [name, value] of element.attributes) {
          const attribute = name.toLowerCase();
          if (attribute.startsWith("on")) found.push(`${tag} ${attribute}=`);
          if (attribute === "style") found.push(`${tag} style=`);
          if (!APP_ATTRIBUTES.test(attribute)) found.push(`${tag} ${attribute}=`);
          if (attribute.startsWith("data-hx") || attribute.startsWith("hx-on")) found.push(`${tag} ${attribute}=`);
          if (URL_ATTRIBUTES.has(attribute) && /^(javascript|vbscript|data):|^\/\/|^\\\\/.test(scheme(value)))
            found.push(`${tag} ${attribute}=${value}`);
          if (attribute === "class" && /\bmention\b/.test(value) && !element.hasAttribute("data-user-id")) found.push("a forged mention");
        }
      },
    })
    .on("script", { text: (text) => void (text.text.trim() && found.push("inline script")) });
  await rewriter.transform(new Response(html)).text();
  return found;
}

let server: TestServer;
let admin: Client;
let member: Client;
let memberUser: User;
/** Each test's own open room, so one path's payloads never show on another path's pages. */
let roomId: number;
beforeAll(async () => {
  ({ server, admin, member, memberUser } = await startThreePersonServer());
});
beforeEach(async () => {
  roomId = await createRoom(admin, "opens", { name: "Corpus" });
});
afterAll(() => server.close());

const page = async (client: Client, path: string) => (await client.get(path)).text();
const expectNothingExecutable = async (where: string, html: string) =>
  expect({ where, found: await executable(html) }).toEqual({ where, found: [] });

test("the corpus is at least 100 payloads, and the checker catches each kind it looks for", async () => {
  expect(PAYLOADS.length).toBeGreaterThanOrEqual(100);
  for (const unsafe of [
    "<img src=x onerror=alert(1)>",
    '<a href="&#x6A;avascript&colon;x">x</a>',
    "<script>x</script>",
    '<p style="x">',
    "<svg><animate attributeName=href to=javascript:x>",
    '<div hx-on:click="x">',
    '<a href="java\tscript:x">',
  ])
    expect({ unsafe, found: (await executable(unsafe)).length > 0 }).toEqual({ unsafe, found: true });
  await expectNothingExecutable("an ordinary room page", await page(admin, `/rooms/${roomId}`));
});

describe("nothing executable survives", () => {
  test("in a plain body, as the poster's reply, to the room and in the history", async () => {
    for (const [index, payload] of PAYLOADS.entries()) {
      const response = await member.post(`/rooms/${roomId}/messages`, { body: payload, client_message_id: `plain-${index}` });
      await expectNothingExecutable(`plain ${payload}`, await response.text());
    }
    await expectNothingExecutable("plain, room page", await page(admin, `/rooms/${roomId}`));
    await expectNothingExecutable("plain, history", await page(admin, `/rooms/${roomId}/messages?after=0`));
  });

  test("in a rich body, as the poster's reply, to the room and in the history", async () => {
    for (const [index, payload] of PAYLOADS.entries()) {
      const response = await member.post(`/rooms/${roomId}/messages`, {
        body_html: `<div>${payload} end</div>`,
        client_message_id: `rich-${index}`,
      });
      await expectNothingExecutable(`rich ${payload}`, await response.text());
    }
    await expectNothingExecutable("rich, room page", await page(admin, `/rooms/${roomId}`));
    await expectNothingExecutable("rich, history", await page(admin, `/rooms/${roomId}/messages?after=0`));
  });

  test("in a reply's quote, its author and its link", async () => {
    const quoted = messageIdsIn(await (await admin.post(`/rooms/${roomId}/messages`, { body: "quote me" })).text())[0]!;
    for (const [index, payload] of PAYLOADS.entries()) {
      const reply =
        `<blockquote>${payload}</blockquote><cite>${payload} <a href="/rooms/${roomId}/@${quoted}">#</a></cite>` +
        `<div><a href="${payload.replaceAll('"', "&quot;")}">#</a> ok</div>`;
      const response = await member.post(`/rooms/${roomId}/messages`, { body_html: reply, client_message_id: `reply-${index}` });
      // An unclosed <script> or <style> takes the rest of the body with it: refused as empty.
      expect([201, 422]).toContain(response.status);
      await expectNothingExecutable(`reply ${payload}`, await response.text());
    }
    await expectNothingExecutable("replies, room page", await page(admin, `/rooms/${roomId}`));
  });

  test("in a boost, taken or refused", async () => {
    const target = messageIdsIn(await (await admin.post(`/rooms/${roomId}/messages`, { body: "boost me" })).text())[0]!;
    for (const payload of PAYLOADS) {
      const response = await member.post(`/messages/${target}/boosts`, { content: payload });
      expect([200, 201, 422]).toContain(response.status);
      await expectNothingExecutable(`boost ${payload}`, await response.text());
    }
    await expectNothingExecutable("boosts, message", await page(admin, `/rooms/${roomId}/messages/${target}`));
    await expectNothingExecutable("boosts, room page", await page(admin, `/rooms/${roomId}`));
  });

  test("in a person's name: as an author, in presence, in a mention and in the sidebar", async () => {
    const id = messageIdsIn(await (await member.post(`/rooms/${roomId}/messages`, { body: "@Milo Member is me" })).text())[0]!;
    await member.post(`/messages/${id}/boosts`, { content: "👍" });
    await admin.post("/rooms/directs", { user_ids: String(memberUser.id) });
    for (const payload of PAYLOADS) {
      renameUser(server.db, memberUser.id, payload);
      server.ctx.cache.personChanged(memberUser.id); // what a rename does after its commit
      await expectNothingExecutable(`name ${payload}, message`, await page(admin, `/rooms/${roomId}/messages/${id}`));
      await expectNothingExecutable(`name ${payload}, room page`, await page(admin, `/rooms/${roomId}`));
    }
    expect(await page(admin, `/rooms/${roomId}/messages/${id}`)).toContain(escapeHtml(PAYLOADS.at(-1)!));
  });

  test("in a room's name: its page, the sidebar and the settings form", async () => {
    for (const payload of PAYLOADS) {
      const response = await sendForm(admin, `/rooms/opens/${roomId}`, { name: payload.slice(0, 100) }, { method: "PATCH" });
      expect([200, 303, 422]).toContain(response.status);
      await expectNothingExecutable(`room name ${payload}, answer`, await response.text());
      await expectNothingExecutable(`room name ${payload}, page`, await page(member, `/rooms/${roomId}`));
      await expectNothingExecutable(`room name ${payload}, settings`, await page(admin, `/rooms/${roomId}/edit`));
    }
    // The names were taken, not refused: the last one is the room's name now.
    const { name } = server.db.query("SELECT name FROM rooms WHERE id = ?").get(roomId) as { name: string };
    expect(name).toBe(PAYLOADS.at(-1)!.trim());
  });
});
