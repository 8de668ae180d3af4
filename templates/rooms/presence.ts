import { domId } from "../../src/realtime/protocol.ts";
import type { PresentUser } from "../../src/rooms/presence.ts";
import { type Html, html } from "../html.ts";
import { avatarHtml } from "../shared/avatar.tsx";

// A crowded room shows a few faces and a count, so the update every tab receives stays small.
export const PRESENCE_FACES = 12;

/** Who has the room open right now; swapped out-of-band (`oob`) whenever someone comes or goes. */
export function presenceHtml(roomId: number, users: PresentUser[], oob = false): Html {
  const shown = users.slice(0, PRESENCE_FACES);
  const others = users.length - shown.length;
  const names = shown.map((user) => user.name).join(", ");
  const more = others > 0 ? html`<span class="presence__more" title="${others} more here now" aria-hidden="true">+${others}</span>` : null;
  const label = names ? (others > 0 ? `${names} and ${others} more` : names) : "nobody";
  return html`<div id="${domId("room", roomId, "presence")}" class="presence"${oob ? html` hx-swap-oob="true"` : null}>
    <span class="visually-hidden">Here now: ${label}</span>${shown.map((user) => avatarHtml(user))}${more}
  </div>`;
}
