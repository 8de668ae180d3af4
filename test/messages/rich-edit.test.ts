import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { createRoom, messageIdsIn, postMessage, startThreePersonServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { carrying, openSocket } from "../helpers/socket.ts";

let server: TestServer;
let admin: Client;
let adminUser: User;
let member: Client;
let memberUser: User;
let third: Client;
let thirdUser: User;
let roomId: number;
beforeEach(async () => {
  ({ server, admin, adminUser, member, memberUser, third, thirdUser } = await startThreePersonServer());
  roomId = await createRoom(admin, "closeds", { name: "Project", user_ids: [memberUser.id] });
});
afterEach(() => server.close());

type Row = { body_html: string; body_plain: string; format: string };
const row = (id: number) => server.db.query<Row, [number]>("SELECT body_html, body_plain, format FROM messages WHERE id = ?").get(id)!;
const mentionedIn = (id: number) =>
  server.db
    .query<{ user_id: number }, [number]>("SELECT user_id FROM mentions WHERE message_id = ? ORDER BY user_id")
    .all(id)
    .map((r) => r.user_id);
const edit = (client: Client, id: number, form: Record<string, string>, room = roomId) =>
  client.request(`/rooms/${room}/messages/${id}`, { method: "PATCH", form });
const editForm = async (client: Client, id: number) => (await client.get(`/rooms/${roomId}/messages/${id}/edit`)).text();
/** The value of the edit form's hidden body_html input, as the browser reads it. */
function loadedHtml(form: string): string {
  const value = /name="body_html" value="([^"]*)"/.exec(form)?.[1] ?? "";
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

async function postRich(client: Client, html: string): Promise<number> {
  const response = await client.post(`/rooms/${roomId}/messages`, { body_html: html });
  expect(response.status).toBe(201);
  return messageIdsIn(await response.text())[0]!;
}

const RICH = '<div><strong>Ship</strong> it, @Milo Member: <a href="https://example.com/x">notes</a></div><pre>if (a &lt; b) go();</pre>';

describe("editing a message written with the toolbar", () => {
  test("its edit form is the toolbar editor loaded with the message as shown; a text message's stays a text box", async () => {
    const rich = await postRich(admin, RICH);
    const plain = messageIdsIn(await (await postMessage(admin, roomId, "just **text** <b>here</b>")).text())[0]!;
    expect(row(rich).format).toBe("rich");
    expect(row(plain).format).toBe("text");

    const richForm = await editForm(admin, rich);
    expect(richForm).toContain(`<trix-editor id="message_${rich}_body"`);
    expect(richForm).not.toContain("<textarea");
    const loaded = loadedHtml(richForm);
    expect(loaded).toContain("<strong>Ship</strong> it, ");
    // The mention is loaded as the person's current name, which saving links again; the link and the code block as they are.
    expect(loaded).toContain("<strong>Ship</strong> it, @Milo Member: <a");
    expect(loaded).toContain('<a href="https://example.com/x" rel="noopener noreferrer nofollow" target="_blank">notes</a>');
    expect(loaded).toContain("<pre>if (a &lt; b) go();</pre>");

    const plainForm = await editForm(admin, plain);
    expect(plainForm).toContain("<textarea");
    expect(plainForm).not.toContain("trix-editor");
    expect(plainForm).toContain("just **text** &lt;b&gt;here&lt;/b&gt;");
  });

  test("saving through body_html keeps formatting, mentions, links and code, and search reads the new text", async () => {
    const id = await postRich(admin, RICH);
    // What Trix posts after a word was changed: the mention is the chip's text, the code block plain text.
    const response = await edit(admin, id, {
      body_html:
        '<div><strong>Ship</strong> it today, @Milo Member: <a href="https://example.com/x">notes</a></div><pre>if (a &lt; b) go();</pre>',
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<strong>Ship</strong> it today, ");
    expect(html).toContain(`<span class="mention" data-user-id="${memberUser.id}">@Milo Member</span>`);
    expect(html).toContain('<a href="https://example.com/x" rel="noopener noreferrer nofollow" target="_blank">notes</a>');
    expect(html).toContain("<pre>if (a &lt; b) go();</pre>");
    expect(mentionedIn(id)).toEqual([memberUser.id]);
    expect(row(id).format).toBe("rich");
    expect(row(id).body_plain).toBe("Ship it today, @Milo Member: notes\nif (a < b) go();");
    // Still a toolbar message the next time it is edited.
    expect(await editForm(admin, id)).toContain("<trix-editor");
  });

  test("the edit reaches the room live, formatted, rendered once for everyone", async () => {
    const id = await postRich(admin, RICH);
    const tab = await openSocket(server, member);
    await tab.enter(roomId);
    const response = await edit(admin, id, { body_html: "<div><em>Reworded</em> for @Milo Member</div>" });
    const html = await response.text();
    const frame = await tab.waitFor((f) => carrying(id)(f) && f.includes("Reworded"));
    expect(frame).toContain("<em>Reworded</em> for ");
    expect(frame).toContain(html);
    tab.close();
  });

  test("editing can't forge a mention: the chip's markup is not a mention, only a room member's name is", async () => {
    const id = await postRich(admin, "<div>hello</div>");
    const forged = `<div><span class="mention" data-user-id="${thirdUser.id}">@Tess Third</span> and <span class="mention" data-user-id="${memberUser.id}"></span>x</div>`;
    const response = await edit(admin, id, { body_html: forged });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain('class="mention"');
    expect(html).not.toContain("data-mentions");
    expect(mentionedIn(id)).toEqual([]);
    expect(row(id).body_html).toBe("<div><span>@Tess Third</span> and <span></span>x</div>");
  });

  test("the toolbar's HTML goes through the same sanitizer as posting", async () => {
    const id = await postRich(admin, "<div>hello</div>");
    const response = await edit(admin, id, {
      body_html: '<div onclick="steal()"><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a><script>alert(1)</script>ok</div>',
    });
    expect(response.status).toBe(200);
    expect(row(id).body_html).toBe('<div><a rel="noopener noreferrer nofollow" target="_blank">x</a>ok</div>');
  });

  test("a text message edited as text stays text: markup typed in it is shown, not applied", async () => {
    const id = messageIdsIn(await (await postMessage(admin, roomId, "first")).text())[0]!;
    expect((await edit(admin, id, { body: "now <strong>bold?</strong>" })).status).toBe(200);
    expect(row(id)).toEqual({
      body_html: "now &lt;strong&gt;bold?&lt;/strong&gt;",
      body_plain: "now <strong>bold?</strong>",
      format: "text",
    });
  });

  test("an empty toolbar edit is refused with the toolbar form again, holding what was sent, and changes nothing", async () => {
    const id = await postRich(admin, RICH);
    const before = row(id);
    const response = await edit(admin, id, { body_html: "<div><br></div>" });
    expect(response.status).toBe(422);
    const form = await response.text();
    expect(form).toContain("A message needs some text.");
    expect(form).toContain("<trix-editor");
    expect(loadedHtml(form)).toBe("<div><br></div>");
    expect(row(id)).toEqual(before);
  });

  test("an edit sending both text and HTML is refused with a reason", async () => {
    const id = await postRich(admin, RICH);
    const response = await edit(admin, id, { body: "a", body_html: "<div>b</div>" });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("either text (body) or HTML (body_html)");
    expect(row(id).body_plain).toContain("Ship it");
  });

  test("only the author or an administrator may edit, and only in a room they are in", async () => {
    const id = await postRich(member, RICH);
    expect((await member.get(`/rooms/${roomId}/messages/${id}/edit`)).status).toBe(200);
    expect((await admin.get(`/rooms/${roomId}/messages/${id}/edit`)).status).toBe(200);
    expect((await third.get(`/rooms/${roomId}/messages/${id}/edit`)).status).toBe(404);
    expect((await edit(third, id, { body_html: "<div>hijacked</div>" })).status).toBe(404);
    const own = await postRich(admin, "<div>the admin's</div>");
    expect((await edit(member, own, { body_html: "<div>hijacked</div>" })).status).toBe(403);
    expect(row(own).body_plain).toBe("the admin's");
    expect(adminUser.id).not.toBe(memberUser.id);
  });

  test("a /play written in the toolbar is edited as its command, as text", async () => {
    const id = await postRich(admin, "<div>/play tada</div>");
    expect(row(id).format).toBe("text");
    const form = await editForm(admin, id);
    expect(form).toContain("<textarea");
    expect(form).toContain("/play tada");
  });
});

describe("where links open", () => {
  test("links to this server open in the same tab; links elsewhere in a new one that can't reach back", async () => {
    const here = server.url;
    const id = await postRich(
      admin,
      `<blockquote>quoted</blockquote><div><cite>Milo <a href="/rooms/${roomId}/@1">#</a></cite></div>` +
        `<div><a href="${here}/rooms/${roomId}/@1">permalink</a> <a href="https://example.com/">out</a> <a href="//evil.example/">sly</a></div>`,
    );
    const html = row(id).body_html;
    expect(html).toContain(`<a href="/rooms/${roomId}/@1">#</a>`);
    expect(html).toContain(`<a href="${here}/rooms/${roomId}/@1">permalink</a>`);
    expect(html).toContain('<a href="https://example.com/" rel="noopener noreferrer nofollow" target="_blank">out</a>');
    // A protocol-relative address is another host: it loses its href, and is not taken for one of ours.
    expect(html).toContain('<a rel="noopener noreferrer nofollow" target="_blank">sly</a>');

    const typed = messageIdsIn(
      await (await postMessage(admin, roomId, `see ${here}/rooms/${roomId}/@1 and https://example.com/`)).text(),
    )[0]!;
    expect(row(typed).body_html).toBe(
      `see <a href="${here}/rooms/${roomId}/@1">${here}/rooms/${roomId}/@1</a> and <a href="https://example.com/" rel="noopener noreferrer nofollow" target="_blank">https://example.com/</a>`,
    );
  });
});
