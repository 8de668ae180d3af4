// @mentions in the composer and the edit form, plain or with the toolbar: typing "@" and a few
// letters offers the room's people; Enter, Tab or a click puts "@Full Name " in the text, which the
// server turns into a mention (it keeps no mention markup from a browser, so none can be forged).
import { avatarClass, avatarUrl, initials } from "../../templates/shared/avatar-look.ts";
import { type Field, fieldOf, Suggestions } from "./suggestions.ts";

type Person = { id: number; name: string; avatar_url: string };

const DEBOUNCE_MS = 150;
const TRIGGER = /(^|\s)@([^\s@]{0,30})$/u;
let timer: ReturnType<typeof setTimeout> | undefined;
// Choosing someone writes "@Full Name ": the server matches the exact name of a room member.
const suggestions = new Suggestions("[data-mention-list]", "mentionOption", (name) => `@${name} `);
export const close = (): void => suggestions.close();
export const handleKey = (event: KeyboardEvent): boolean => suggestions.handleKey(event);

async function suggest(field: Field) {
  const before = field.textBeforeCaret();
  const found = TRIGGER.exec(before);
  if (!found) return close();
  const roomId = field.element.closest<HTMLElement>("main.room")!.dataset.roomId;
  const response = await fetch(`/autocompletable/users?room_id=${roomId}&query=${encodeURIComponent(found[2]!)}`, {
    headers: { Accept: "application/json" },
  });
  if (!response.ok) return close();
  const people = ((await response.json()) as Person[]).filter((person) => String(person.id) !== document.body.dataset.userId);
  suggestions.show(
    field,
    people.slice(0, 8).map((person) => {
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
    { start: before.length - found[2]!.length - 1, end: before.length },
  );
}

function typed(event: Event) {
  const field = fieldOf(event.target);
  if (!field) return;
  clearTimeout(timer);
  timer = setTimeout(() => suggest(field).catch(close), DEBOUNCE_MS);
}
// Trix's own input events come before its document has the change; trix-change comes after.
document.addEventListener("input", (event) => event.target instanceof HTMLTextAreaElement && typed(event));
document.addEventListener("trix-change", typed);
