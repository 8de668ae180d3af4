/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { RoomPage } from "../../templates/rooms/show.tsx";
import { findAccount } from "../accounts/accounts.ts";
import { currentUser, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { orNotFound } from "../http/errors.tsx";
import { isHttps, redirectTo } from "../http/request.ts";
import { idParam, optional, positiveId } from "../http/validate.tsx";
import { findRoomFor, firstRoomFor, visibleRoomsFor } from "./rooms.ts";

const LAST_ROOM_COOKIE = "last_room";
const ONE_YEAR_S = 365 * 24 * 60 * 60;

export function roomRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .use("/", requireUser)
    .use("/rooms/*", requireUser)
    .get("/", (c) => {
      const user = currentUser(c);
      const lastRoomId = optional(positiveId, getCookie(c, LAST_ROOM_COOKIE));
      const room = (lastRoomId && findRoomFor(ctx.db, user, lastRoomId)) || firstRoomFor(ctx.db, user);
      if (room) return redirectTo(c, `/rooms/${room.id}`);
      return c.html(<RoomPage user={user} accountName={findAccount(ctx.db)!.name} rooms={[]} room={null} />);
    })
    .get("/rooms/:id", idParam, (c) => {
      const user = currentUser(c);
      const room = orNotFound(findRoomFor(ctx.db, user, c.req.valid("param").id));
      setCookie(c, LAST_ROOM_COOKIE, String(room.id), { path: "/", sameSite: "Lax", httpOnly: true, secure: isHttps(c), maxAge: ONE_YEAR_S });
      return c.html(
        <RoomPage user={user} accountName={findAccount(ctx.db)!.name} rooms={visibleRoomsFor(ctx.db, user)} room={room} />,
      );
    });
}
