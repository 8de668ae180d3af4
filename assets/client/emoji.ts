// :shortcode: completion in the composer and the edit form, plain or with the toolbar: typing ":"
// and two letters offers matching emoji (from emojibase's GitHub shortcodes, fetched once, the first
// time, from the composer's data-emoji-src);
// Enter, Tab or a click puts the emoji in place of the shortcode.
const TRIGGER = /(^|\s):([a-z0-9_+-]{2,30})$/;

import { type Field, fieldOf, Suggestions } from "./suggestions.ts";

const SHOWN = 8;
let shortcodes: Promise<[string, string][]> | null = null;
const suggestions = new Suggestions("[data-emoji-list]", "emojiOption");
export const close = (): void => suggestions.close();
export const handleKey = (event: KeyboardEvent): boolean => suggestions.handleKey(event);

function load(source: string): Promise<[string, string][]> {
  shortcodes ??= fetch(source).then((response) => (response.ok ? response.json() : []));
  shortcodes.catch(() => {
    shortcodes = null;
  });
  return shortcodes;
}

async function suggest(field: Field) {
  const before = field.textBeforeCaret();
  const found = TRIGGER.exec(before);
  const source = document.querySelector<HTMLElement>("[data-emoji-src]")?.dataset.emojiSrc;
  if (!found || !source) return close();
  const query = found[2]!;
  const all = await load(source);
  // Names starting with what was typed first, then names containing it.
  const starts = all.filter(([name]) => name.startsWith(query));
  const contains = all.filter(([name]) => !name.startsWith(query) && name.includes(query));
  const matches = [...starts, ...contains].slice(0, SHOWN);
  if (field.textBeforeCaret() !== before) return close();
  suggestions.show(
    field,
    matches.map(([name, emoji]) => {
      const option = document.createElement("li");
      option.setAttribute("role", "option");
      option.className = "composer__emoji";
      option.dataset.emojiOption = emoji;
      option.textContent = `${emoji} :${name}:`;
      return option;
    }),
    { start: before.length - query.length - 1, end: before.length },
  );
}

function typed(event: Event) {
  const field = fieldOf(event.target);
  if (field) suggest(field).catch(close);
}
// Trix's own input events come before its document has the change; trix-change comes after.
document.addEventListener("input", (event) => event.target instanceof HTMLTextAreaElement && typed(event));
document.addEventListener("trix-change", typed);
