import { afterEach, beforeEach, expect, test } from "bun:test";
import type { User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { createRoom, messageIdsIn, startThreePersonServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
let member: Client;
let memberUser: User;
let third: Client;
let roomId: number;
beforeEach(async () => {
  ({ server, admin, member, memberUser, third } = await startThreePersonServer());
  roomId = await createRoom(admin, "closeds", { name: "Project", user_ids: [memberUser.id] });
});
afterEach(() => server.close());

type Row = { body_html: string; body_plain: string };
const row = (id: number) => server.db.query<Row, [number]>("SELECT body_html, body_plain FROM messages WHERE id = ?").get(id)!;
const count = () => (server.db.query("SELECT count(*) AS n FROM messages").get() as { n: number }).n;

/** Posts the toolbar composer's HTML as the browser does and returns the new message's id. */
async function postRich(client: Client, html: string, room = roomId): Promise<number> {
  const response = await client.post(`/rooms/${room}/messages`, { body_html: html });
  expect(response.status).toBe(201);
  return messageIdsIn(await response.text())[0]!;
}

test("a rich body keeps its formatting through the sanitizer, and its plain text is what search reads", async () => {
  const id = await postRich(
    admin,
    '<div>Ship <strong>it</strong> <em>now</em> <del>later</del> <a href="https://example.com/x">here</a></div><ul><li>one</li></ul><pre>let a = 1;</pre>',
  );
  const { body_html, body_plain } = row(id);
  expect(body_html).toContain("<strong>it</strong> <em>now</em> <del>later</del>");
  expect(body_html).toContain('<a href="https://example.com/x" rel="noopener noreferrer nofollow" target="_blank">here</a>');
  expect(body_html).toContain("<ul><li>one</li></ul>");
  expect(body_plain).toBe("Ship it now later here\none\nlet a = 1;");
});

test("the field decides: HTML in `body` is text, the same HTML in `body_html` is formatting", async () => {
  const asText = messageIdsIn(await (await admin.post(`/rooms/${roomId}/messages`, { body: "<strong>x</strong>" })).text())[0]!;
  const asRich = await postRich(admin, "<strong>x</strong>");
  expect(row(asText).body_html).toBe("&lt;strong&gt;x&lt;/strong&gt;");
  expect(row(asRich).body_html).toBe("<strong>x</strong>");
});

test("what Trix writes for typed markup, leading spaces and blank lines comes back exactly", async () => {
  // Trix's own output for typing "  <b>x</b> & y", three Shift+Enters and "  z".
  const id = await postRich(admin, "<div>&nbsp; &lt;b&gt;x&lt;/b&gt; &amp; y<br><br><br>&nbsp; z</div>");
  expect(row(id).body_html).toBe("<div>\u00a0 &lt;b&gt;x&lt;/b&gt; &amp; y<br /><br /><br />\u00a0 z</div>");
  expect(row(id).body_plain).toBe("<b>x</b> & y\n\n  z");
});

test("empty lines an editor leaves at the end go, and the ones in between stay", async () => {
  const id = await postRich(admin, "<div>one</div><div><br></div><div>two</div><div><br></div><div>&nbsp;</div>");
  expect(row(id).body_html).toBe("<div>one</div><div><br /></div><div>two</div>");
});

test("a rich body with both fields, neither, or nothing readable is refused with a reason, and nothing is stored", async () => {
  const before = count();
  const refusals: [Record<string, string>, string][] = [
    [{ body: "a", body_html: "<b>a</b>" }, "A message is either text (body) or HTML (body_html), not both."],
    [{}, "A message needs some text."],
    [{ body_html: "<div><br></div>" }, "A message needs some text."],
    [{ body_html: "<script>alert(1)</script>" }, "A message needs some text."],
  ];
  for (const [form, reason] of refusals) {
    const response = await admin.post(`/rooms/${roomId}/messages`, form);
    expect({ form, status: response.status }).toEqual({ form, status: 422 });
    expect(await response.text()).toContain(reason);
  }
  expect(count()).toBe(before);
});

test("a rich body is refused to someone outside the room", async () => {
  const response = await third.post(`/rooms/${roomId}/messages`, { body_html: "<b>in</b>" });
  expect(response.status).toBe(404);
  expect(count()).toBe(0);
});

test("mentions in a rich body become references; mention markup typed into it is not one", async () => {
  const linked = await postRich(admin, `<div>Hi <strong>@${memberUser.name}</strong>, see this</div>`);
  expect(row(linked).body_html).toBe(
    `<div>Hi <strong><span class="mention" data-user-id="${memberUser.id}"></span></strong>, see this</div>`,
  );
  const forged = await postRich(admin, `<div><span class="mention" data-user-id="${memberUser.id}">@Someone</span> hi</div>`);
  expect(row(forged).body_html).toBe("<div><span>@Someone</span> hi</div>");
  const mentioned = server.db.query("SELECT message_id FROM mentions ORDER BY message_id").all() as { message_id: number }[];
  expect(mentioned.map((m) => m.message_id)).toEqual([linked]);
});

test("a reply's quote keeps its blockquote, the author's byline and the link to the quoted message, which opens in the same tab", async () => {
  const quoted = messageIdsIn(await (await member.post(`/rooms/${roomId}/messages`, { body: "Ship it today?" })).text())[0]!;
  const id = await postRich(
    admin,
    `<blockquote>Ship it today?</blockquote><div>Milo Member <a href="/rooms/${roomId}/@${quoted}">#</a></div><div>Yes.</div>`,
  );
  expect(row(id).body_html).toBe(
    `<blockquote>Ship it today?</blockquote><div>Milo Member <a href="/rooms/${roomId}/@${quoted}">#</a></div><div>Yes.</div>`,
  );
  expect((await member.get(`/rooms/${roomId}/messages/${id}`)).status).toBe(200);
});
