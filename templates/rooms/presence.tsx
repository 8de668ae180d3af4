/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { domId } from "../../src/realtime/protocol.ts";
import type { PresentUser } from "../../src/rooms/presence.ts";
import { Avatar } from "../shared/avatar.tsx";

// A crowded room shows a few faces and a count, so the update every tab receives stays small.
export const PRESENCE_FACES = 12;

/** Who has the room open right now; swapped out-of-band whenever someone comes or goes. */
export const Presence: FC<{ roomId: number; users: PresentUser[]; oob?: boolean }> = ({ roomId, users, oob }) => {
  const shown = users.slice(0, PRESENCE_FACES);
  const others = users.length - shown.length;
  const names = shown.map((user) => user.name).join(", ");
  return (
    <div id={domId("room", roomId, "presence")} class="presence" hx-swap-oob={oob ? "true" : undefined}>
      <span class="visually-hidden">Here now: {names ? (others > 0 ? `${names} and ${others} more` : names) : "nobody"}</span>
      {shown.map((user) => (
        <Avatar user={user} />
      ))}
      {others > 0 && (
        <span class="presence__more" title={`${others} more here now`} aria-hidden="true">
          +{others}
        </span>
      )}
    </div>
  );
};
