import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import { avatarUrl } from "../../templates/shared/avatar-look.ts";
import { requireUserForJson } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { NOT_FOUND_MESSAGE } from "../http/errors.tsx";
import { positiveId } from "../http/validate.tsx";
import { findRoomFor } from "../rooms/rooms.ts";
import { searchUsers } from "./users.ts";

const MAX_RESULTS = 20;
const MAX_QUERY_LENGTH = 100;

const autocompleteQuery = z.object({
  query: z.string().trim().max(MAX_QUERY_LENGTH, `The query can be at most ${MAX_QUERY_LENGTH} characters.`).default(""),
  room_id: positiveId.optional(),
});

const validQuery = zValidator("query", autocompleteQuery, (result, c) => {
  if (!result.success) {
    const issue = result.error.issues[0];
    const message = issue?.path[0] === "room_id" ? "room_id must be a room id." : (issue?.message ?? "Please check the query.");
    return c.json({ error: message }, 422);
  }
});

export function autocompleteRoutes(ctx: AppContext) {
  return new Hono<AppEnv>().use("/autocompletable/*", requireUserForJson).get("/autocompletable/users", validQuery, (c) => {
    const { query, room_id } = c.req.valid("query");
    // Only rooms the asker is in may be searched; any other id is a 404, whether or not the room exists.
    if (room_id !== undefined && !findRoomFor(ctx, c.get("user")!, room_id)) return c.json({ error: NOT_FOUND_MESSAGE }, 404);
    const users = searchUsers(ctx.db, { query, roomId: room_id, limit: MAX_RESULTS });
    return c.json(users.map(({ id, name, avatarKey }) => ({ id, name, avatar_url: avatarUrl(id, avatarKey) })));
  });
}
