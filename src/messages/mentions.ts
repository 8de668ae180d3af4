import type { Database } from "bun:sqlite";
import { activeMembers } from "../rooms/memberships.ts";
import { rowsForMessages } from "./boosts.ts";
import type { Message } from "./messages.ts";
import { escapeHtml } from "./sanitize.ts";

const TAG_OR_TEXT = /(<[^>]*>)/;
// What linkMentions stores (and what older rows hold, with the name as typed inside).
const MENTION = /<span class="mention" data-user-id="(\d+)">[^<]*<\/span>/g;

/**
 * Finds "@Name" for people in the room (typed, picked from the @ list, or sent by a bot: the same
 * text either way) and replaces each with a reference to the person, `<span class="mention"
 * data-user-id="7"></span>`, which is shown with their current name (showMentions), so a rename
 * follows. Only text is touched, never tags or attributes.
 */
export function linkMentions(
  db: Database,
  roomId: number,
  html: string,
): { html: string; mentionIds: number[]; mentionNames: Record<string, string> } {
  const none = { html, mentionIds: [], mentionNames: {} };
  if (!html.includes("@")) return none;
  // Longest names first, so "@Ana Lucia" is not taken for "@Ana".
  const members = activeMembers(db, roomId).sort((a, b) => b.name.length - a.name.length);
  if (members.length === 0) return none;
  const byName = new Map(members.map((member) => [member.name.toLowerCase(), member]));
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}_.])@(${members.map((member) => escapeRegExp(escapeText(member.name))).join("|")})(?![\\p{L}\\p{N}_])`,
    "giu",
  );
  const mentioned = new Map<number, string>();
  const linked = html
    .split(TAG_OR_TEXT)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(pattern, (match, name: string) => {
            const member = byName.get(unescapeText(name).toLowerCase());
            if (member === undefined) return match;
            mentioned.set(member.id, member.name);
            return `<span class="mention" data-user-id="${member.id}"></span>`;
          }),
    )
    .join("");
  return { html: linked, mentionIds: [...mentioned.keys()], mentionNames: Object.fromEntries(mentioned) };
}

/** The body with each mention showing the person's current name (`names`, read with the message). */
export function showMentions(html: string, names: Readonly<Record<string, string>>): string {
  return html.replace(MENTION, (tag, id: string) => {
    const name = names[id];
    return name === undefined ? tag : `<span class="mention" data-user-id="${id}">@${escapeHtml(name)}</span>`;
  });
}

/** A message's body as people see it; most mention no one and are returned as stored. */
export const shownBody = (m: Pick<Message, "bodyHtml" | "mentions" | "mentionNames">): string =>
  m.mentions ? showMentions(m.bodyHtml, m.mentionNames) : m.bodyHtml;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Names sit in escaped HTML text, so "@Tom & Jerry" appears as "@Tom &amp; Jerry".
const escapeText = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const unescapeText = (text: string): string => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** Whom each of these messages mentions, as space-separated ids in ascending order, in one query. */
export function mentionsOf(db: Database, messageIds: number[]): Map<number, string> {
  const rows = rowsForMessages<{ messageId: number; userId: number }>(
    db,
    "SELECT message_id AS messageId, user_id AS userId FROM mentions",
    "message_id, user_id",
    messageIds,
  );
  const byMessage = new Map<number, string>();
  for (const { messageId, userId } of rows) {
    const ids = byMessage.get(messageId);
    byMessage.set(messageId, ids === undefined ? String(userId) : `${ids} ${userId}`);
  }
  return byMessage;
}
