/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { Room } from "../../src/rooms/rooms.ts";
import type { User } from "../../src/users/users.ts";
import { RoomFormPage } from "./form.tsx";

/** The rooms a person hid, each with a way back into the sidebar (a plain form: it works without JavaScript too). */
export const HiddenRoomsPage: FC<{ user: User; rooms: { room: Room; name: string }[] }> = ({ user, rooms }) => (
  <RoomFormPage user={user} title="Hidden rooms" back="/">
    {rooms.length === 0 ? (
      <p class="form__hint">You haven't hidden any rooms. Hide one from its bell menu to take it out of your sidebar.</p>
    ) : (
      <>
        <p class="form__hint">These rooms are out of your sidebar and don't notify you. You're still in them.</p>
        <ul class="hidden-rooms">
          {rooms.map(({ room, name }) => (
            <li class="hidden-rooms__room">
              <a class="hidden-rooms__name" href={`/rooms/${room.id}`}>
                {room.kind === "direct" ? "@ " : "# "}
                {name}
              </a>
              <form method="post" action={`/rooms/${room.id}/involvement`}>
                <input type="hidden" name="involvement" value={room.kind === "direct" ? "everything" : "mentions"} />
                <button class="button" type="submit">
                  Show in sidebar
                </button>
              </form>
            </li>
          ))}
        </ul>
      </>
    )}
  </RoomFormPage>
);
