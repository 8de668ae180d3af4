import { afterEach, expect, test } from "bun:test";
import { postMessage as receiveMessage } from "../../src/messages/receive.ts";
import { findRoom } from "../../src/rooms/rooms.ts";
import { renameUser } from "../../src/users/users.ts";
import { roomRemovedFrame, sidebarRoomFrame, typingFrame } from "../../templates/frames.ts";
import { html, keep, raw } from "../../templates/html.ts";
import { messageHtml } from "../../templates/messages/message.tsx";
import { sidebarItemHtml } from "../../templates/rooms/sidebar.tsx";
import { createRoom, startThreePersonServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { openSocket } from "../helpers/socket.ts";

// Closes an attribute either way, opens a tag, and runs a script.
const EVIL = `"'><script>alert(1)</script>`;
const ESCAPED = "&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;";

/** Not a trace of the evil text as markup: no script tag, no quote that closes an attribute early. */
function expectEscaped(fragment: string) {
  expect(fragment).not.toContain("<script>alert");
  expect(fragment).not.toContain(`"'>`);
  expect(fragment).toContain(ESCAPED);
}

test("html escapes every interpolated string, writes numbers, keeps nested fragments and lists, and skips empty values", () => {
  const inner = html`<b>${EVIL}</b>`;
  expect(html`<p title="${EVIL}">${7}${inner}${[inner, "&"]}${null}${undefined}${false}</p>`.text).toBe(
    `<p title="${ESCAPED}">7<b>${ESCAPED}</b><b>${ESCAPED}</b>&amp;</p>`,
  );
  expect(html`<div>${raw("<em>sanitized</em>")}</div>`.text).toBe("<div><em>sanitized</em></div>");
});

test("a template laid out over several lines writes the same bytes as one line", () => {
  const id = 3;
  const laidOut = html`<li
      id="item_${id}"
      class="item">
    <a href="/x">${"x"}</a>
    ${html`<span>y</span>`}
  </li>`;
  expect(laidOut.text).toBe(`<li id="item_3" class="item"><a href="/x">x</a><span>y</span></li>`);
});

test("an evil name, room name or client_message_id is escaped in every string-built fragment", () => {
  const message = messageHtml({
    id: 1,
    roomId: 2,
    creatorId: 3,
    creatorName: EVIL,
    clientMessageId: EVIL,
    bodyHtml: '<p>hi <span class="mention" data-user-id="3"></span></p>',
    createdAt: 0,
    updatedAt: 0,
    mentions: "3",
    mentionNames: { 3: EVIL },
    boosts: [{ id: 1, boosterId: 3, boosterName: EVIL, content: EVIL }],
    changeSeq: 1,
    linkPreviewId: 1,
    linkPreview: {
      id: 1,
      token: "t",
      url: `https://example.com/?q=${EVIL}`,
      title: EVIL,
      description: EVIL,
      imageKey: null,
      imageWidth: null,
      imageHeight: null,
    },
  }).text;
  expectEscaped(message);
  expect(message).toContain(`data-client-message-id="${ESCAPED}"`);
  expect(message).toContain(`<span class="message__author">${ESCAPED}</span>`);
  expect(message).toContain(`<strong class="link-preview__title">${ESCAPED}</strong>`);
  expect(message).toContain(`<span class="link-preview__description">${ESCAPED}</span>`);

  const shared = { id: 2, kind: "open" as const, name: EVIL, creatorId: 3, lastMessageAt: null, unread: false, members: [] };
  expectEscaped(sidebarItemHtml(shared).text);
  expect(sidebarItemHtml(shared).text).toContain(`data-sort-name="${ESCAPED}"`);
  const direct = {
    ...shared,
    kind: "direct" as const,
    name: null,
    members: [
      { id: 3, name: EVIL },
      { id: 4, name: "Bo" },
    ],
  };
  expectEscaped(sidebarItemHtml(direct, 2, 4).text);

  expectEscaped(typingFrame(2, { id: 3, name: EVIL }, "start"));
  expectEscaped(roomRemovedFrame(2, EVIL));
  expectEscaped(sidebarRoomFrame(2, sidebarItemHtml(shared)));
});

let server: TestServer | undefined;
afterEach(() => server?.close());

test("an evil person's and room's names come out escaped on the room page, the sidebar, search results and broadcasts", async () => {
  const people = await startThreePersonServer();
  server = people.server;
  const { admin, memberUser } = people;
  const roomId = await createRoom(admin, "closeds", { name: EVIL, user_ids: [memberUser.id] });
  renameUser(server.db, memberUser.id, EVIL);
  server.ctx.cache.personChanged(memberUser.id);
  const direct = await createRoom(admin, "directs", { user_ids: [memberUser.id] });
  const tab = await openSocket(server, admin);
  await tab.enter(roomId);
  const posted = await receiveMessage(server.ctx, { ...memberUser, name: EVIL }, findRoom(server.db, roomId)!, {
    body: "findable words",
    clientMessageId: "evil-1",
  });
  if (typeof posted === "string") throw new Error(posted);
  const broadcast = await tab.waitFor((frame) => frame.includes('data-client-message-id="evil-1"'));
  expectEscaped(broadcast);

  for (const path of [`/rooms/${roomId}`, `/rooms/${direct}`, "/users/me/sidebar", "/searches?q=findable"]) {
    const response = await admin.get(path);
    expect(response.status).toBe(200);
    expectEscaped(await response.text());
  }
  tab.close();
});

test("a kept fragment is the same text, made flat once (accents, emoji and escapes included)", () => {
  const fragment = html`<b title="${"Zoë 👍🏽 “hi”"}">${"<x> & y"}</b>${[html`<i>${"é"}</i>`, "ok"]}`;
  expect(keep(fragment).text).toBe(fragment.text);
  expect(keep(fragment).text).toBe('<b title="Zoë 👍🏽 “hi”">&lt;x&gt; &amp; y</b><i>é</i>ok');
});
