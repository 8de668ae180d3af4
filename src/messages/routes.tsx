/** @jsxImportSource hono/jsx */

import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Html } from "../../templates/html.ts";
import { MessageEditForm } from "../../templates/messages/edit.tsx";
import { MessageView } from "../../templates/messages/message.tsx";
import { currentUser, requireUser } from "../http/authenticate.ts";
import { receiveUpload } from "../http/body-limits.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { HttpError, orNotFound, renderError } from "../http/errors.tsx";
import { positionId, positiveId, refuseWith } from "../http/validate.tsx";
import { findRoomFor } from "../rooms/rooms.ts";
import { findLinkPreviewByToken } from "../unfurl/link-previews.ts";
import { canAdministerMessage, findMessage, isRichMessage, type Message } from "./messages.ts";
import { latestPageEntries, pageEntriesAfter, pageEntriesBefore } from "./pages.ts";
import { editMessage, postMessage, removeMessage } from "./receive.ts";
import { renderedEntries } from "./rendered.ts";

// A quick first bound; the real limit (10,000 characters of text) is checked on the formatted text.
const MAX_RAW_BODY = 100_000;
const body = z.string("A message needs some text.").max(MAX_RAW_BODY, "That message is far too long.");
// `body` is text as typed; `body_html` is the toolbar composer's HTML (Trix's hidden input): one or
// the other, when posting and when editing. A file may come alone; without one, an empty body is
// refused by postMessage with its reason.
const oneBody = [
  (form: { body?: string; body_html?: string }) => form.body === undefined || form.body_html === undefined,
  "A message is either text (body) or HTML (body_html), not both.",
] as const;
const editForm = z.object({ body: body.optional(), body_html: body.optional() }).refine(...oneBody);
// 8K is 7680 wide; anything past 16384 px is not a real video.
const frameSide = z
  .string()
  .regex(/^[1-9]\d{0,4}$/, "media_width and media_height must be whole numbers of pixels.")
  .transform(Number)
  .pipe(z.number().max(16_384, "media_width and media_height can be at most 16384 pixels."));
const postForm = z
  .object({
    body: body.optional(),
    body_html: body.optional(),
    // The file itself arrives through receiveUpload (c.get("upload")); a text field of that name is a mistake.
    attachment: z.never({ message: "The attachment must be a file." }).optional(),
    // A video's frame size, read by the sender's browser: only for laying the player out before it loads.
    media_width: frameSide.optional(),
    media_height: frameSide.optional(),
    client_message_id: z
      .string()
      .trim()
      .regex(/^[\w-]{1,64}$/, "client_message_id must be 1–64 letters, digits, dashes or underscores.")
      .optional(),
    // The token POST /unfurl_link gave for a pasted link: the card is rendered from what the server
    // fetched itself, never from anything the browser sends.
    unfurl: z
      .string()
      .regex(/^[\w-]{22}$/, "That link preview is not one of ours.")
      .optional(),
  })
  .refine(...oneBody)
  .refine(
    (form) => (form.media_width === undefined) === (form.media_height === undefined),
    "Send both media_width and media_height, or neither.",
  );
const roomParam = z.object({ room_id: positiveId });
const messageParam = z.object({ room_id: positiveId, id: positiveId });
// after=0 pages from the very first message.
const pageQuery = z.object({ before: positiveId.optional(), after: positionId.optional() });

const NOT_YOURS = "Only the person who wrote a message or an administrator can change it.";

const notFound = refuseWith(404, "We couldn't find that message.");
const unprocessable = refuseWith(422);

export function messageRoutes(ctx: AppContext) {
  const { db } = ctx;
  const roomOf = (c: Context<AppEnv>, id: number) => orNotFound(findRoomFor(ctx, currentUser(c), id));
  const publicOrigin = ctx.config.publicUrl ? new URL(ctx.config.publicUrl).origin : null;
  // Where this server's own links point: CAMPFIRE_URL, or the address the author used to reach it
  // (a forged Host header only changes how links in the author's own message open).
  const linkOrigin = (c: Context<AppEnv>) => publicOrigin ?? new URL(c.req.url).origin;

  /** A message the person may change: in one of their rooms, and theirs (or they administer). */
  function administeredMessage(c: Context<AppEnv>, roomId: number, id: number): Message {
    const message = orNotFound(findMessage(db, roomOf(c, roomId).id, id));
    if (!canAdministerMessage(currentUser(c), message)) throw new HttpError(403, NOT_YOURS);
    return message;
  }

  /**
   * A page of a room's messages, in one read transaction: those not kept rendered are read in the
   * same snapshot as the page's entries. Made once: bun:sqlite's transaction() builds its wrappers
   * on every call (see group-commit.ts).
   */
  const pageOfMessages = db.transaction((roomId: number, before?: number, after?: number): Html | null => {
    const entries =
      before !== undefined
        ? pageEntriesBefore(db, roomId, before)
        : after !== undefined
          ? pageEntriesAfter(db, roomId, after)
          : latestPageEntries(db, roomId);
    return entries.length === 0 ? null : renderedEntries(ctx, entries).html;
  });

  return new Hono<AppEnv>()
    .use("/rooms/*", requireUser)
    .get("/rooms/:room_id/messages", zValidator("param", roomParam, notFound), zValidator("query", pageQuery, unprocessable), (c) => {
      const room = roomOf(c, c.req.valid("param").room_id);
      const { before, after } = c.req.valid("query");
      const page = pageOfMessages(room.id, before, after);
      return page ? c.html(page.text) : c.body(null, 204);
    })
    .post(
      "/rooms/:room_id/messages",
      zValidator("param", roomParam, notFound),
      receiveUpload(ctx.config, "attachment"),
      zValidator("form", postForm, unprocessable),
      async (c) => {
        const room = roomOf(c, c.req.valid("param").room_id);
        const form = c.req.valid("form");
        const linkPreview = form.unfurl ? findLinkPreviewByToken(db, form.unfurl) : null;
        if (form.unfurl && !linkPreview)
          return renderError(c, 422, "That link preview is no longer available; send the message without it.");
        const posted = await postMessage(ctx, currentUser(c), room, {
          body: form.body_html ?? form.body ?? "",
          rich: form.body_html !== undefined,
          origin: linkOrigin(c),
          clientMessageId: form.client_message_id ?? crypto.randomUUID(),
          file: c.get("upload") ?? undefined,
          frame: form.media_width && form.media_height ? { width: form.media_width, height: form.media_height } : undefined,
          linkPreview,
        });
        if (typeof posted === "string") return renderError(c, 422, posted);
        c.header("Location", `/rooms/${room.id}/@${posted.message.id}`);
        return c.html(posted.html, posted.created ? 201 : 200);
      },
    )
    .get("/rooms/:room_id/messages/:id", zValidator("param", messageParam, notFound), (c) => {
      const { room_id, id } = c.req.valid("param");
      return c.html(<MessageView message={orNotFound(findMessage(db, roomOf(c, room_id).id, id))} />);
    })
    .get("/rooms/:room_id/messages/:id/edit", zValidator("param", messageParam, notFound), (c) => {
      const { room_id, id } = c.req.valid("param");
      const message = administeredMessage(c, room_id, id);
      return c.html(<MessageEditForm message={message} rich={isRichMessage(db, message.id)} />);
    })
    .patch(
      "/rooms/:room_id/messages/:id",
      zValidator("param", messageParam, notFound),
      zValidator("form", editForm, unprocessable),
      (c) => {
        const { room_id, id } = c.req.valid("param");
        const message = administeredMessage(c, room_id, id);
        const form = c.req.valid("form");
        const rich = form.body_html !== undefined;
        const typed = form.body_html ?? form.body ?? "";
        const edited = editMessage(ctx, message, { body: typed, rich, origin: linkOrigin(c) });
        if (typeof edited === "string") return c.html(<MessageEditForm message={message} rich={rich} body={typed} error={edited} />, 422);
        return c.html(edited.html);
      },
    )
    .delete("/rooms/:room_id/messages/:id", zValidator("param", messageParam, notFound), async (c) => {
      const { room_id, id } = c.req.valid("param");
      await removeMessage(ctx, administeredMessage(c, room_id, id));
      return c.body(null, 200);
    });
}
