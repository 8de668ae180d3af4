/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import { DirectRoomForm, RoomFormPage, RoomSummary, SharedRoomForm } from "../../templates/rooms/form.tsx";
import { HiddenRoomsPage } from "../../templates/rooms/hidden.tsx";
import { InvolvementControl } from "../../templates/rooms/involvement.tsx";
import { noRoomsPageHtml } from "../../templates/rooms/show.tsx";
import { Sidebar, SidebarExtras } from "../../templates/rooms/sidebar.tsx";
import { canCreateRooms } from "../accounts/accounts.ts";
import { removeFiles } from "../attachments/attachments.ts";
import { currentUser, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { HttpError, orNotFound } from "../http/errors.tsx";
import { isHtmx, redirectTo } from "../http/request.ts";
import { idParam, optional, positiveId, validForm } from "../http/validate.tsx";
import { findMessage } from "../messages/messages.ts";
import { activeUsersById, type User } from "../users/users.ts";
import { announceRoom, announceRoomChange, announceVisibility, withdrawRoom } from "./broadcasts.ts";
import {
  activeMembers,
  hiddenRoomCount,
  INVOLVEMENTS,
  type Involvement,
  involvementOf,
  type Member,
  memberIds,
  setInvolvement,
} from "./memberships.ts";
import { LAST_ROOM_COOKIE, renderRoom } from "./room-page.ts";
import {
  canAdministerRoom,
  createClosedRoom,
  createOpenRoom,
  deleteRoom,
  findOrCreateDirectRoom,
  findRoomFor,
  firstRoomFor,
  hiddenRoomsFor,
  pageFrame,
  type Room,
  roomName,
  roomPeople,
  updateSharedRoom,
} from "./rooms.ts";

const ONLY_ADMINS_CREATE = "Only administrators can create rooms on this Campfire.";
const ONLY_ADMINISTRATORS_EDIT = "Only the room's creator or an administrator can change this room.";

const roomNameField = z.string().trim().min(1, "Please give the room a name.").max(100, "A room name can be at most 100 characters.");
// A form repeats `user_ids` once per person; one person arrives as a single value.
const userIds = z
  .union([positiveId, z.array(positiveId)], "Please pick people from the list.")
  .optional()
  .transform((ids) => (ids === undefined ? [] : Array.isArray(ids) ? ids : [ids]));
const openForm = z.object({ name: roomNameField });
const closedForm = z.object({ name: roomNameField, user_ids: userIds });
const directForm = z.object({ user_ids: userIds });
const involvementForm = z.object({
  involvement: z.enum(INVOLVEMENTS as [Involvement, ...Involvement[]], "Please pick a notification level."),
});
const kindQuery = z.enum(["open", "closed"]);
// A half-typed name carried across a switch of view; the form checks it properly when it is sent.
const typedName = z.string().max(100);

export function roomRoutes(ctx: AppContext) {
  const { db } = ctx;

  const requireRoomCreation = (user: User) => {
    if (!canCreateRooms(ctx, user)) throw new HttpError(403, ONLY_ADMINS_CREATE);
  };

  const administeredRoom = (c: Context<AppEnv>, id: number, kind?: "shared"): Room => {
    const room = orNotFound(findRoomFor(ctx, currentUser(c), id));
    if (kind === "shared" && room.kind === "direct") throw new HttpError(422, "A direct message can't become a room.");
    if (!canAdministerRoom(currentUser(c), room)) throw new HttpError(403, ONLY_ADMINISTRATORS_EDIT);
    return room;
  };

  const selectedPeople = (ids: number[], without?: number): Member[] =>
    ids.length === 0 ? [] : activeUsersById(db, ids).filter((person) => person.id !== without);

  /** What the room form held when someone switched between Everyone and Selected people (sent along by htmx). */
  const typedSoFar = (c: Context<AppEnv>): { name?: string; people?: Member[] } => {
    const name = optional(typedName, c.req.query("name"));
    const ids = optional(userIds, c.req.queries("user_ids"));
    return { name, people: ids?.length ? selectedPeople([...new Set(ids)]) : undefined };
  };

  /** A 422 with the room form again; when editing, the room comes from the path (and must be theirs to edit). */
  const sharedFormError =
    (kind: "open" | "closed", editing = false) =>
    (c: Context<AppEnv>, values: Record<string, string>, error: string) => {
      const room = editing ? administeredRoom(c, Number(c.req.param("id")), "shared") : undefined;
      return c.html(
        <SharedRoomForm user={currentUser(c)} kind={kind} room={room} name={values.name ?? ""} members={[]} error={error} />,
        422,
      );
    };

  function updateShared(c: Context<AppEnv>, kind: "open" | "closed", id: number, input: { name: string; user_ids?: number[] }) {
    const room = administeredRoom(c, id, "shared");
    // The editor stays in a closed room they edit, so a room can never be left with nobody in it.
    const change = updateSharedRoom(db, room, { kind, name: input.name, userIds: [...(input.user_ids ?? []), currentUser(c).id] });
    ctx.cache.roomChanged(room.id);
    announceRoomChange(ctx, { ...room, kind, name: input.name }, change);
    return redirectTo(c, `/rooms/${room.id}`);
  }

  return (
    new Hono<AppEnv>()
      .use("/", requireUser)
      .use("/rooms/*", requireUser)
      .use("/users/me/sidebar", requireUser)
      .get("/", (c) => {
        const user = currentUser(c);
        const lastRoomId = optional(positiveId, getCookie(c, LAST_ROOM_COOKIE));
        const room = (lastRoomId && findRoomFor(ctx, user, lastRoomId)) || firstRoomFor(db, user);
        if (room) return redirectTo(c, `/rooms/${room.id}`);
        return c.html(noRoomsPageHtml(pageFrame(ctx, user)).text);
      })
      // The sidebar alone: a tab that was offline for a while fetches it again on reconnecting.
      .get("/users/me/sidebar", (c) => {
        const { user, accountName, sidebar, canCreateRooms } = pageFrame(ctx, currentUser(c));
        const currentRoomId = optional(positiveId, c.req.query("room_id"));
        return c.html(
          <Sidebar user={user} accountName={accountName} sidebar={sidebar} currentRoomId={currentRoomId} canCreateRooms={canCreateRooms} />,
        );
      })
      .get("/rooms/new", (c) => {
        const user = currentUser(c);
        requireRoomCreation(user);
        const kind = optional(kindQuery, c.req.query("kind")) ?? "open";
        const typed = typedSoFar(c);
        const form = (
          <SharedRoomForm user={user} kind={kind} name={typed.name ?? ""} members={typed.people ?? [{ id: user.id, name: user.name }]} />
        );
        if (isHtmx(c)) return c.html(form);
        return c.html(
          <RoomFormPage user={user} title="New room" back="/">
            {form}
          </RoomFormPage>,
        );
      })
      .post("/rooms/opens", validForm(openForm, sharedFormError("open")), (c) => {
        const user = currentUser(c);
        requireRoomCreation(user);
        const room = createOpenRoom(db, user, c.req.valid("form").name);
        ctx.cache.roomChanged(room.id);
        announceRoom(ctx, room, memberIds(db, room.id));
        return redirectTo(c, `/rooms/${room.id}`);
      })
      .post("/rooms/closeds", validForm(closedForm, sharedFormError("closed")), (c) => {
        const user = currentUser(c);
        requireRoomCreation(user);
        const { name, user_ids } = c.req.valid("form");
        const room = createClosedRoom(db, user, name, user_ids);
        ctx.cache.roomChanged(room.id);
        announceRoom(ctx, room, memberIds(db, room.id));
        return redirectTo(c, `/rooms/${room.id}`);
      })
      .get("/rooms/directs/new", (c) => {
        const user = currentUser(c);
        const preselected = optional(positiveId, c.req.query("user_id"));
        return c.html(
          <RoomFormPage user={user} title="New direct message" back="/">
            <DirectRoomForm selected={preselected ? selectedPeople([preselected], user.id) : []} />
          </RoomFormPage>,
        );
      })
      .post(
        "/rooms/directs",
        validForm(directForm, (c, _values, error) => c.html(<DirectRoomForm selected={[]} error={error} />, 422)),
        (c) => {
          const user = currentUser(c);
          const ids = [...new Set(c.req.valid("form").user_ids)];
          const people = selectedPeople(ids);
          if (people.length < ids.length)
            return c.html(<DirectRoomForm selected={people} error="Some of those people aren't on this Campfire any more." />, 422);
          const { room, created } = findOrCreateDirectRoom(db, user, ids);
          if (created) {
            ctx.cache.roomChanged(room.id);
            announceRoom(ctx, room, memberIds(db, room.id));
          }
          return redirectTo(c, `/rooms/${room.id}`);
        },
      )
      // Before /rooms/:id, which would take "hidden" for an id.
      .get("/rooms/hidden", (c) => {
        const user = currentUser(c);
        return c.html(<HiddenRoomsPage user={user} rooms={hiddenRoomsFor(ctx, user)} />);
      })
      .get("/rooms/:id", idParam, (c) => renderRoom(ctx, c, orNotFound(findRoomFor(ctx, currentUser(c), c.req.valid("param").id))))
      .get("/rooms/:id/:permalink{@[1-9][0-9]{0,15}}", idParam, (c) => {
        const room = orNotFound(findRoomFor(ctx, currentUser(c), c.req.valid("param").id));
        const message = orNotFound(findMessage(db, room.id, Number(c.req.param("permalink").slice(1))));
        return renderRoom(ctx, c, room, message.id);
      })
      .get("/rooms/:id/edit", idParam, (c) => {
        const user = currentUser(c);
        const room = orNotFound(findRoomFor(ctx, user, c.req.valid("param").id));
        const canEdit = canAdministerRoom(user, room);
        const people = roomPeople(db, room.id);
        const name = roomName(room, people, user.id);
        if (room.kind === "direct") {
          return c.html(
            <RoomFormPage user={user} title={name} back={`/rooms/${room.id}`} deletable={room}>
              <ul class="room-form__members">
                {people.map((person) => (
                  <li>{person.name}</li>
                ))}
              </ul>
            </RoomFormPage>,
          );
        }
        // Someone who can't change the room sees who is in it, not a form they can't use.
        if (!canEdit)
          return c.html(
            <RoomFormPage user={user} title={name} back={`/rooms/${room.id}`}>
              <RoomSummary room={room} members={activeMembers(db, room.id)} />
            </RoomFormPage>,
          );
        const kind = optional(kindQuery, c.req.query("kind")) ?? room.kind;
        const typed = typedSoFar(c);
        const form = (
          <SharedRoomForm
            user={user}
            kind={kind}
            room={room}
            name={typed.name ?? room.name ?? ""}
            members={typed.people ?? activeMembers(db, room.id)}
          />
        );
        if (isHtmx(c)) return c.html(form);
        return c.html(
          <RoomFormPage user={user} title={`${name} settings`} back={`/rooms/${room.id}`} deletable={room}>
            {form}
          </RoomFormPage>,
        );
      })
      .patch("/rooms/opens/:id", idParam, validForm(openForm, sharedFormError("open", true)), (c) =>
        updateShared(c, "open", c.req.valid("param").id, c.req.valid("form")),
      )
      .patch("/rooms/closeds/:id", idParam, validForm(closedForm, sharedFormError("closed", true)), (c) =>
        updateShared(c, "closed", c.req.valid("param").id, c.req.valid("form")),
      )
      .delete("/rooms/:id", idParam, async (c) => {
        const room = administeredRoom(c, c.req.valid("param").id);
        const { members, files } = deleteRoom(db, room);
        ctx.cache.roomChanged(room.id);
        withdrawRoom(ctx, room.id, members, room.kind === "direct" ? "This conversation was deleted." : "This room was deleted.");
        await Promise.all(files.map((file) => removeFiles(ctx.config.dataDir, file)));
        return redirectTo(c, "/");
      })
      // PATCH from the bell menu; POST from the hidden rooms page, which works without JavaScript.
      .on(
        ["PATCH", "POST"],
        "/rooms/:id/involvement",
        idParam,
        validForm(involvementForm, (_c, _values, error) => {
          throw new HttpError(422, error);
        }),
        (c) => {
          const user = currentUser(c);
          const room = orNotFound(findRoomFor(ctx, user, c.req.valid("param").id));
          const { involvement } = c.req.valid("form");
          const before = involvementOf(db, user.id, room.id);
          setInvolvement(db, user.id, room.id, involvement);
          ctx.cache.membershipChanged(user.id);
          const visibilityChanged = (before === "invisible") !== (involvement === "invisible");
          if (visibilityChanged) announceVisibility(ctx, room, user.id, involvement !== "invisible");
          if (!isHtmx(c)) return redirectTo(c, `/rooms/${room.id}`);
          return c.html(
            <>
              <InvolvementControl roomId={room.id} involvement={involvement} kind={room.kind} />
              {visibilityChanged ? <SidebarExtras user={user} hiddenCount={hiddenRoomCount(db, user.id)} oob /> : null}
            </>,
          );
        },
      )
  );
}
