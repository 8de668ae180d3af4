// @mentions in the composer: typing "@" and a few letters offers the room's people; Enter or Tab
// puts "@Full Name " in the text, which the server turns into a mention.
import { avatarClass, avatarUrl, initials } from "../../templates/shared/avatar-look.ts";

type Person = { id: number; name: string; avatar_url: string };

const DEBOUNCE_MS = 150;
const TRIGGER = /(^|\s)@([^\s@]{0,30})$/u;
let timer: ReturnType<typeof setTimeout> | undefined;
let active = 0;
let match: { start: number; end: number } | null = null;

const list = () => document.querySelector<HTMLElement>("[data-mention-list]");
const options = () => [...(list()?.querySelectorAll<HTMLElement>("[data-mention-option]") ?? [])];

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
  if (!found) return close();
  const roomId = input.closest<HTMLElement>("main.room")!.dataset.roomId;
  const response = await fetch(`/autocompletable/users?room_id=${roomId}&query=${encodeURIComponent(found[2]!)}`, {
    headers: { Accept: "application/json" },
  });
  if (!response.ok) return close();
  const people = ((await response.json()) as Person[]).filter((person) => String(person.id) !== document.body.dataset.userId);
  const menu = list();
  if (!menu || people.length === 0) return close();
  match = { start: before.length - found[2]!.length - 1, end: before.length };
  menu.replaceChildren(
    ...people.slice(0, 8).map((person) => {
      const option = document.createElement("li");
      option.setAttribute("role", "option");
      option.className = "composer__mention";
      option.dataset.mentionOption = person.name;
      // Their picture, or the same initials on the same colour as beside their messages.
      const picture = person.avatar_url !== avatarUrl(person.id, null);
      const avatar = document.createElement(picture ? "img" : "span");
      avatar.className = avatarClass(person.id);
      avatar.setAttribute("aria-hidden", "true");
      if (avatar instanceof HTMLImageElement) avatar.src = person.avatar_url;
      else avatar.textContent = initials(person.name);
      option.append(avatar, person.name);
      return option;
    }),
  );
  menu.hidden = false;
  highlight(0);
}

function choose(input: HTMLTextAreaElement, name: string) {
  if (!match) return;
  input.value = `${input.value.slice(0, match.start)}@${name} ${input.value.slice(match.end)}`;
  const caret = match.start + name.length + 2;
  input.setSelectionRange(caret, caret);
  close();
  input.focus();
}

/** Called by the composer before its own keys: true when the menu used the key. */
export function handleKey(event: KeyboardEvent): boolean {
  if (list()?.hidden !== false || !match) return false;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") highlight(active + (event.key === "ArrowDown" ? 1 : -1));
  else if (event.key === "Enter" || event.key === "Tab")
    choose(event.target as HTMLTextAreaElement, options()[active]!.dataset.mentionOption!);
  else if (event.key === "Escape") close();
  else return false;
  event.preventDefault();
  return true;
}

document.addEventListener("input", (event) => {
  const input = event.target as HTMLTextAreaElement;
  if (!input.closest?.("[data-composer]") || input.name !== "body") return;
  clearTimeout(timer);
  timer = setTimeout(() => suggest(input), DEBOUNCE_MS);
});

document.addEventListener("click", (event) => {
  const target = event.target as Element;
  const option = target.closest<HTMLElement>("[data-mention-option]");
  if (option) choose(document.querySelector<HTMLTextAreaElement>("[data-composer] textarea")!, option.dataset.mentionOption!);
  else if (!target.closest("[data-mention-list]")) close();
});
