import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { pageBytes, utf8 } from "../../templates/html.ts";
import { type RoomView, roomPageHalves } from "../../templates/rooms/show.tsx";
import { findAccount } from "../accounts/accounts.ts";
import { currentUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { isHttps, ownOrigin } from "../http/request.ts";
import { cspNonce } from "../http/security.ts";
import { roomChangeSeq } from "../messages/messages.ts";
import { latestPageEntries, type PageEntry, pageEntriesAfter, pageEntriesBefore } from "../messages/pages.ts";
import { renderedEntries } from "../messages/rendered.ts";
import { PAGE_SIZE } from "../realtime/protocol.ts";
import { isAdministrator, isAlone, type User } from "../users/users.ts";
import { involvementOf } from "./memberships.ts";
import { presentUsers } from "./presence.ts";
import { pageFrame, type Room, roomNameFor } from "./rooms.ts";

/** The room a person last opened: home leads back to it, and so does search. */
export const LAST_ROOM_COOKIE = "last_room";
const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** The messages a room page shows, as the UTF-8 bytes it sends, what the page says about them, and whom they show. */
type MessagesPart = { bytes: Uint8Array; count: number; hasOlder: boolean; hasNewer: boolean; changeSeq: number; authorIds: Set<number> };

/**
 * The room page: the newest messages (kept between visits), or for a permalink (`around`) half a
 * page either side of one message. Sent as bytes: its two halves around the messages' kept bytes.
 */
export function renderRoom(ctx: AppContext, c: Context<AppEnv>, room: Room, around?: number): Response {
  const user = currentUser(c);
  // Only when it moves: most visits are to the room the cookie names already.
  if (getCookie(c, LAST_ROOM_COOKIE) !== String(room.id))
    setCookie(c, LAST_ROOM_COOKIE, String(room.id), { path: "/", sameSite: "Lax", httpOnly: true, secure: isHttps(c), maxAge: ONE_YEAR_S });
  // One read transaction for the page's queries: one snapshot, and one lock instead of one per query.
  const page = ctx.db.transaction(() => ({ ...pageFrame(ctx, user), view: roomView(ctx, c, user, room, around) }))();
  const [before, after] = roomPageHalves({ ...page, nonce: cspNonce(c) });
  return c.body(pageBytes(before, page.view.messages, after), 200, { "Content-Type": "text/html; charset=UTF-8" });
}

function roomView(ctx: AppContext, c: Context<AppEnv>, user: User, room: Room, around?: number): RoomView {
  const { db } = ctx;
  // Entries first: the messages themselves are read only for those not kept rendered.
  const part = (entries: PageEntry[], hasOlder: boolean, hasNewer: boolean): MessagesPart => {
    const { html, people } = renderedEntries(ctx, entries);
    return { bytes: utf8(html), count: entries.length, hasOlder, hasNewer, changeSeq: roomChangeSeq(db, room.id), authorIds: people };
  };
  let page: MessagesPart;
  if (around === undefined) {
    page = ctx.cache.latestPage(room.id, () => {
      const latest = latestPageEntries(db, room.id, PAGE_SIZE + 1);
      const hasOlder = latest.length > PAGE_SIZE;
      return part(hasOlder ? latest.slice(1) : latest, hasOlder, false);
    });
  } else {
    const before = pageEntriesBefore(db, room.id, around, PAGE_SIZE / 2 + 1);
    const after = pageEntriesAfter(db, room.id, around - 1, PAGE_SIZE / 2 + 1);
    const hasOlder = before.length > PAGE_SIZE / 2;
    const hasNewer = after.length > PAGE_SIZE / 2;
    page = part([...(hasOlder ? before.slice(1) : before), ...(hasNewer ? after.slice(0, -1) : after)], hasOlder, hasNewer);
  }
  return {
    room,
    name: roomNameFor(ctx, room, user.id),
    messages: page.bytes,
    messageCount: page.count,
    hasOlder: page.hasOlder,
    hasNewer: page.hasNewer,
    changeSeq: page.changeSeq,
    highlightId: around,
    present: presentUsers(db, room.id),
    involvement: involvementOf(db, user.id, room.id)!,
    maxUploadBytes: ctx.config.maxUploadBytes,
    invite: page.count === 0 ? inviteFor(ctx, c, user) : undefined,
  };
}

/** An empty room for an administrator who is still alone here: the place to hand out the join link. */
function inviteFor(ctx: AppContext, c: Context<AppEnv>, user: User): string | undefined {
  if (!isAdministrator(user) || !isAlone(ctx.db, user.id)) return undefined;
  return `${ownOrigin(c, ctx.config)}/join/${findAccount(ctx)!.joinCode}`;
}
