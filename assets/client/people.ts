// Someone was renamed (or deactivated): every place this page shows their name (messages, mention
// chips, direct rooms in the sidebar, "here now", boost tooltips, my own name) and their face
// (initials follow the name) changes at once, as the server rendered it, without a reload.
import { FRAME } from "../../src/realtime/protocol.ts";
import { replaceFaces } from "./avatars.ts";
import { on } from "./socket.ts";

on(FRAME.person, ({ userId, name }, content) => {
  const id = CSS.escape(userId);
  for (const author of document.querySelectorAll(`.message[data-creator-id="${id}"] .message__author`)) author.textContent = name;
  for (const mention of document.querySelectorAll(`.mention[data-user-id="${id}"]`)) mention.textContent = `@${name}`;
  for (const entry of document.querySelectorAll(`.direct-names__name[data-user-id="${id}"]`)) {
    const text = [...entry.childNodes].find((node) => node.nodeType === Node.TEXT_NODE);
    if (text) text.textContent = name;
  }
  for (const boost of document.querySelectorAll<HTMLElement>(".boost[data-booster-ids]")) renameBooster(boost, userId, name);
  if (document.body.dataset.userId === userId) {
    document.body.dataset.userName = name;
    for (const me of document.querySelectorAll(".sidebar__me")) {
      me.textContent = name;
      me.setAttribute("title", name);
    }
  }
  replaceFaces(userId, content);
});

// A boost's tooltip lists its boosters' names in the order of data-booster-ids.
function renameBooster(boost: HTMLElement, userId: string, name: string): void {
  const ids = boost.dataset.boosterIds?.split(" ") ?? [];
  const names = boost.title.split(", ");
  if (!ids.includes(userId) || names.length !== ids.length) return;
  boost.title = ids.map((id, index) => (id === userId ? name : names[index])).join(", ");
}
