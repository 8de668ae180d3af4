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
  const html = messageHtml(message({ creatorName: '<img src=x onerror="alert(1)">', mentions: "2 9", updatedAt: Date.UTC(2026, 10, 25, 9, 31) })).text;
  expect(html).not.toContain("<img");
  expect(html).toContain('title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"');
  expect(html).toContain('<span class="message__author">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</span>');
  expect(html).toContain('data-mentions="2 9"');
  expect(html).toContain('<span class="message__edited">edited</span>');
});

test("a run of messages is each fragment in order", () => {
  expect(messagesHtml([message(), message({ id: 8 })]).text).toBe(messageHtml(message()).text + messageHtml(message({ id: 8 })).text);
});
