import { expect, test } from "bun:test";
import type { Message } from "../../src/messages/messages.ts";
import { messageHtml, messagesHtml } from "../../templates/messages/message.tsx";

const message = (overrides: Partial<Message> = {}): Message => ({
  id: 7,
  roomId: 3,
  creatorId: 5,
  creatorName: "Ana Lucia",
  clientMessageId: "c-1",
  bodyHtml: "<b>hi</b>",
  createdAt: Date.UTC(2026, 10, 25, 9, 30),
  updatedAt: Date.UTC(2026, 10, 25, 9, 30),
  changeSeq: 4,
  mentions: "",
  mentionNames: {},
  boosts: [],
  linkPreviewId: null,
  linkPreview: null,
  ...overrides,
});

test("a message fragment carries its id, author, permalink, time and the stored (already sanitized) body", () => {
  expect(messageHtml(message()).text).toBe(
    '<article id="message_7" class="message" data-message-id="7" data-client-message-id="c-1" data-creator-id="5" data-created-at="1795599000000" data-change-seq="4">' +
      '<span class="avatar avatar--5" title="Ana Lucia" aria-hidden="true">AL</span>' +
      '<div class="message__main"><header class="message__meta"><span class="message__author">Ana Lucia</span>' +
      '<a class="message__time" href="/rooms/3/@7"><time datetime="2026-11-25T09:30:00.000Z" data-local-time="time">09:30</time></a>' +
      '</header><div class="message__body"><b>hi</b></div></div></article>',
  );
});

test("an author's name is escaped wherever it appears, and edits and mentions are marked", () => {
  const html = messageHtml(
    message({ creatorName: '<img src=x onerror="alert(1)">', mentions: "2 9", updatedAt: Date.UTC(2026, 10, 25, 9, 31) }),
  ).text;
  expect(html).not.toContain("<img");
  expect(html).toContain('title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"');
  expect(html).toContain('<span class="message__author">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</span>');
  expect(html).toContain('data-mentions="2 9"');
  expect(html).toContain('<span class="message__edited">edited</span>');
});

test("a run of messages is each fragment in order", () => {
  expect(messagesHtml([message(), message({ id: 8 })]).text).toBe(messageHtml(message()).text + messageHtml(message({ id: 8 })).text);
});

test("mention chips show each person's current name, escaped; a reference to someone unknown is left as stored", () => {
  const html = messageHtml(
    message({
      bodyHtml:
        'hi <span class="mention" data-user-id="2"></span> and <span class="mention" data-user-id="9">@Old</span> and <span class="mention" data-user-id="4"></span>',
      mentions: "2 9",
      mentionNames: { 2: "Ana <b>Lucia</b>", 9: "Tom & Jerry" },
    }),
  ).text;
  expect(html).toContain(
    '<div class="message__body">hi <span class="mention" data-user-id="2">@Ana &lt;b&gt;Lucia&lt;/b&gt;</span> and ' +
      '<span class="mention" data-user-id="9">@Tom &amp; Jerry</span> and <span class="mention" data-user-id="4"></span></div>',
  );
});

/** Boosts from [id, boosterId, boosterName, content], oldest first. */
const boosts = (...rows: [number, number, string, string][]) =>
  rows.map(([id, boosterId, boosterName, content]) => ({ id, boosterId, boosterName, content }));

test("a message without boosts has no boosts element at all (broadcasts stay small)", () => {
  expect(messageHtml(message()).text).not.toContain("boosts");
});

test("boosts are grouped by content in order of first use, with a count, who gave them, and their ids", () => {
  const html = messageHtml(message({ boosts: boosts([1, 5, "Ana", "👍"], [2, 6, "Bo", "🎉"], [3, 6, "Bo", "👍"]) })).text;
  expect(html).toContain(
    '<div class="boosts">' +
      '<button type="button" class="boost" data-boost="👍" data-boost-ids="1 3" data-booster-ids="5 6" title="Ana, Bo">👍<span class="boost__count">2</span></button>' +
      '<button type="button" class="boost" data-boost="🎉" data-boost-ids="2" data-booster-ids="6" title="Bo">🎉<span class="boost__count">1</span></button>' +
      "</div>",
  );
});

test("past six different boosts the rest fold behind +N, which opens without a script", () => {
  const rows = ["a", "b", "c", "d", "e", "f", "g", "h", "i"].map((content, i): [number, number, string, string] => [
    i + 1,
    5,
    "Ana",
    content,
  ]);
  const html = messageHtml(message({ boosts: boosts(...rows) })).text;
  const [shown, folded] = html.split('<details class="boosts__more">');
  expect([...shown!.matchAll(/data-boost="(\w)"/g)].map((m) => m[1])).toEqual(["a", "b", "c", "d", "e", "f"]);
  expect(folded).toStartWith('<summary class="boosts__fold">+3</summary>');
  expect([...folded!.matchAll(/data-boost="(\w)"/g)].map((m) => m[1])).toEqual(["g", "h", "i"]);
});

test("a boost's text and its boosters' names are escaped", () => {
  const html = messageHtml(message({ boosts: boosts([1, 5, '<img src=x onerror="alert(1)">', '"><script>']) })).text;
  expect(html).not.toContain("<img");
  expect(html).not.toContain("<script");
  expect(html).toContain('data-boost="&quot;&gt;&lt;script&gt;"');
  expect(html).toContain('title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"');
});
