import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { currentUser, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { orNotFound, renderError } from "../http/errors.tsx";
import { positiveId, refuseWith } from "../http/validate.tsx";
import { findRoomFor } from "../rooms/rooms.ts";
import { findMessage, type Message, roomIdOfMessage } from "./messages.ts";
import { boostMessage, unboostMessage } from "./receive.ts";

// A first bound on what is read; the real limit (16 characters) is counted in boosts.ts.
const MAX_RAW_CONTENT = 1000;
const boostForm = z.object({ content: z.string("A boost needs some text.").max(MAX_RAW_CONTENT, "That boost is far too long.") });
const messageParam = z.object({ id: positiveId });
const boostParam = z.object({ id: positiveId, boost_id: positiveId });

const notFound = refuseWith(404, "We couldn't find that message.");
const NO_SUCH_BOOST = "We couldn't find that boost of yours.";

/** POST /messages/:id/boosts and DELETE /messages/:id/boosts/:boost_id (CONTRACT.md). */
export function boostRoutes(ctx: AppContext) {
  const { db } = ctx;

  /** The message, if it is in one of the person's rooms; any other id is a 404, whether or not it exists. */
  function reachableMessage(c: Context<AppEnv>, id: number): Message {
    const roomId = roomIdOfMessage(db, id);
    const room = roomId === null ? null : findRoomFor(ctx, currentUser(c), roomId);
    return orNotFound(room && findMessage(db, room.id, id));
  }

  return new Hono<AppEnv>()
    .use("/messages/*", requireUser)
    .post("/messages/:id/boosts", zValidator("param", messageParam, notFound), zValidator("form", boostForm, refuseWith(422)), (c) => {
      const message = reachableMessage(c, c.req.valid("param").id);
      const boosted = boostMessage(ctx, currentUser(c), message, c.req.valid("form").content);
      if (typeof boosted === "string") return renderError(c, 422, boosted);
      return c.html(boosted.html, boosted.created ? 201 : 200);
    })
    .delete("/messages/:id/boosts/:boost_id", zValidator("param", boostParam, notFound), (c) => {
      const { id, boost_id } = c.req.valid("param");
      const html = unboostMessage(ctx, currentUser(c), reachableMessage(c, id), boost_id);
      if (html === null) return renderError(c, 404, NO_SUCH_BOOST);
      return c.html(html);
    });
}
