// :shortcode: completion in the composer: typing ":" and two letters offers matching emoji (from
// emojibase's GitHub shortcodes, fetched once, the first time, from the composer's data-emoji-src);
// Enter, Tab or a click puts the emoji in place of the shortcode.
const TRIGGER = /(^|\s):([a-z0-9_+-]{2,30})$/;
const SHOWN = 8;
let shortcodes: Promise<[string, string][]> | null = null;
let active = 0;
let match: { start: number; end: number } | null = null;

const list = () => document.querySelector<HTMLElement>("[data-emoji-list]");
const options = () => [...(list()?.querySelectorAll<HTMLElement>("[data-emoji-option]") ?? [])];

function load(input: HTMLTextAreaElement): Promise<[string, string][]> {
  shortcodes ??= fetch(input.dataset.emojiSrc!).then((response) => (response.ok ? response.json() : []));
  shortcodes.catch(() => {
    shortcodes = null;
  });
  return shortcodes;
}

export function close(): void {
  const menu = list();
  if (menu) {
    menu.hidden = true;
    menu.replaceChildren();
  }
  match = null;
}

function highlight(index: number) {
  const all = options();
  active = (index + all.length) % all.length;
  for (const [i, option] of all.entries()) option.setAttribute("aria-selected", String(i === active));
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
  const menu = list();
  if (!menu || matches.length === 0 || input.value.slice(0, input.selectionStart) !== before) return close();
  match = { start: before.length - query.length - 1, end: before.length };
  menu.replaceChildren(
    ...matches.map(([name, emoji]) => {
      const option = document.createElement("li");
      option.setAttribute("role", "option");
      option.className = "composer__emoji";
      option.dataset.emojiOption = emoji;
      option.textContent = `${emoji} :${name}:`;
      return option;
    }),
  );
  menu.hidden = false;
  highlight(0);
}

function choose(input: HTMLTextAreaElement, emoji: string) {
  if (!match) return;
  input.value = `${input.value.slice(0, match.start)}${emoji}${input.value.slice(match.end)}`;
  const caret = match.start + emoji.length;
  input.setSelectionRange(caret, caret);
  close();
  input.focus();
}

/** Called by the composer before its own keys: true when the menu used the key. */
export function handleKey(event: KeyboardEvent): boolean {
  if (list()?.hidden !== false || !match) return false;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") highlight(active + (event.key === "ArrowDown" ? 1 : -1));
  else if (event.key === "Enter" || event.key === "Tab")
    choose(event.target as HTMLTextAreaElement, options()[active]!.dataset.emojiOption!);
  else if (event.key === "Escape") close();
  else return false;
  event.preventDefault();
  return true;
}

document.addEventListener("input", (event) => {
  const input = event.target as HTMLTextAreaElement;
  if (input.closest?.("[data-composer]") && input.name === "body") suggest(input).catch(close);
});

document.addEventListener("click", (event) => {
  const target = event.target as Element;
  const option = target.closest<HTMLElement>("[data-emoji-option]");
  if (option) choose(document.querySelector<HTMLTextAreaElement>("[data-composer] textarea")!, option.dataset.emojiOption!);
  else if (!target.closest("[data-emoji-list]")) close();
});
