import type { Database } from "bun:sqlite";
import { activeMembers } from "../rooms/memberships.ts";

const TAG_OR_TEXT = /(<[^>]*>)/;

/**
 * Finds "@Name" for people in the room and marks each one up, so the mentioned person's copy can
 * highlight it and notifications know whom to tell. Only text is touched, never tags or attributes.
 */
export function linkMentions(db: Database, roomId: number, html: string): { html: string; mentionIds: number[] } {
  if (!html.includes("@")) return { html, mentionIds: [] };
  // Longest names first, so "@Ana Lucia" is not taken for "@Ana".
  const members = activeMembers(db, roomId).sort((a, b) => b.name.length - a.name.length);
  if (members.length === 0) return { html, mentionIds: [] };
  const byName = new Map(members.map((member) => [member.name.toLowerCase(), member.id]));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_.])@(${members.map((member) => escapeRegExp(escapeText(member.name))).join("|")})(?![\\p{L}\\p{N}_])`, "giu");
  const mentionIds = new Set<number>();
  const linked = html
    .split(TAG_OR_TEXT)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(pattern, (match, name: string) => {
            const id = byName.get(unescapeText(name).toLowerCase());
            if (id === undefined) return match;
            mentionIds.add(id);
            return `<span class="mention" data-user-id="${id}">${match}</span>`;
          }),
    )
    .join("");
  return { html: linked, mentionIds: [...mentionIds] };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Names sit in escaped HTML text, so "@Tom & Jerry" appears as "@Tom &amp; Jerry".
const escapeText = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const unescapeText = (text: string): string => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
