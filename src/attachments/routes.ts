import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import { currentUser, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { orNotFound } from "../http/errors.tsx";
import { refuseWith } from "../http/validate.tsx";
import { findRoomFor } from "../rooms/rooms.ts";
import { fileOnDisk, findAttachment } from "./attachments.ts";
import { serveFile } from "./serve-file.ts";

const notFound = refuseWith(404, "We couldn't find that file.");
const fileParam = z.object({ key: z.string().regex(/^[0-9a-f]{32}$/) });
// A file's bytes never change under its key; "private": only the browser of someone allowed may keep it.
const CACHE = "private, max-age=31536000, immutable";

/**
 * Files go only to members of the room of the message that carries them (the original serves them
 * to anyone holding the URL); to anyone else they don't exist.
 */
export function attachmentRoutes(ctx: AppContext) {
  const { db, config } = ctx;
  const visible = (c: Parameters<typeof currentUser>[0], key: string) => {
    const attachment = orNotFound(findAttachment(db, key));
    orNotFound(findRoomFor(ctx, currentUser(c), attachment.roomId));
    return attachment;
  };
  return new Hono<AppEnv>()
    .use("/attachments/*", requireUser)
    .get("/attachments/:key", zValidator("param", fileParam, notFound), (c) => {
      const file = visible(c, c.req.valid("param").key);
      return serveFile(c.req.raw, {
        file: fileOnDisk(config.dataDir, file.fileKey),
        contentType: file.contentType,
        filename: file.filename,
        etag: `"${file.fileKey}"`,
        cacheControl: CACHE,
      });
    })
    .get("/attachments/:key/preview", zValidator("param", fileParam, notFound), (c) => {
      const file = visible(c, c.req.valid("param").key);
      const previewKey = orNotFound(file.previewKey);
      return serveFile(c.req.raw, {
        file: fileOnDisk(config.dataDir, previewKey),
        contentType: "image/webp",
        filename: `${file.filename}.webp`,
        etag: `"${previewKey}"`,
        cacheControl: CACHE,
      });
    });
}
