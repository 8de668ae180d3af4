/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { PresentUser } from "../../src/rooms/presence.ts";
import { domId } from "../dom-id.ts";
import { Avatar } from "../shared/avatar.tsx";

/** Who has the room open right now; swapped out-of-band whenever someone comes or goes. */
export const Presence: FC<{ roomId: number; users: PresentUser[]; oob?: boolean }> = ({ roomId, users, oob }) => (
  <div id={domId("room", roomId, "presence")} class="presence" hx-swap-oob={oob ? "true" : undefined}>
    <span class="visually-hidden">Here now: {users.map((user) => user.name).join(", ") || "nobody"}</span>
    {users.map((user) => (
      <Avatar user={user} />
    ))}
  </div>
);
