// :shortcode: completion in the composer: typing ":" and two letters offers matching emoji (from
// emojibase's GitHub shortcodes, fetched once, the first time, from the composer's data-emoji-src);
// Enter, Tab or a click puts the emoji in place of the shortcode.
const TRIGGER = /(^|\s):([a-z0-9_+-]{2,30})$/;

import { Suggestions } from "./suggestions.ts";

const SHOWN = 8;
let shortcodes: Promise<[string, string][]> | null = null;
const suggestions = new Suggestions("[data-emoji-list]", "emojiOption");
export const close = (): void => suggestions.close();
export const handleKey = (event: KeyboardEvent): boolean => suggestions.handleKey(event);

function load(input: HTMLTextAreaElement): Promise<[string, string][]> {
  shortcodes ??= fetch(input.dataset.emojiSrc!).then((response) => (response.ok ? response.json() : []));
  shortcodes.catch(() => {
    shortcodes = null;
  });
  return shortcodes;
}

async function suggest(input: HTMLTextAreaElement) {
  const before = input.value.slice(0, input.selectionStart);
  const found = TRIGGER.exec(before);
  if (!found || !input.dataset.emojiSrc) return close();
  const query = found[2]!;
  const all = await load(input);
  // Names starting with what was typed first, then names containing it.
  const starts = all.filter(([name]) => name.startsWith(query));
  const contains = all.filter(([name]) => !name.startsWith(query) && name.includes(query));
  const matches = [...starts, ...contains].slice(0, SHOWN);
  if (input.value.slice(0, input.selectionStart) !== before) return close();
  suggestions.show(
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

document.addEventListener("input", (event) => {
  const input = event.target as HTMLTextAreaElement;
  if (input.closest?.("[data-composer]") && input.name === "body") suggest(input).catch(close);
});
