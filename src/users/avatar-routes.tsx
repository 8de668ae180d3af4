/** @jsxImportSource hono/jsx */
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { avatarVersion } from "../../templates/shared/avatar-look.ts";
import { fileOnDisk } from "../attachments/attachments.ts";
import { serveFile } from "../attachments/serve-file.ts";
import { currentUser, requireUser } from "../http/authenticate.ts";
import { receiveUpload } from "../http/body-limits.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { orNotFound } from "../http/errors.tsx";
import { redirectTo } from "../http/request.ts";
import { positiveId, refuseWith } from "../http/validate.tsx";
import { BOT_SVG, initialsSvg, removeAvatar, setAvatar } from "./avatars.ts";
import { renderProfile } from "./profile-routes.tsx";
import { findUser } from "./users.ts";

const notFound = refuseWith(404, "We couldn't find that person.");
// The picture arrives through receiveUpload (c.get("upload")); without it, or as text, there is nothing to use.
const avatarForm = z.object({ avatar: z.never({ message: "Please choose a picture." }).optional() });
// The page asks for /users/:id/avatar?v=<key>: a new picture is a new address, so one may be kept a year.
const KEPT = "private, max-age=31536000, immutable";
// Asked without the current version (an old link, the API's avatar_url): check again each time.
const CHECKED = "private, no-cache";

export function avatarRoutes(ctx: AppContext) {
  const { db, config } = ctx;
  // biome-ignore lint/suspicious/noExplicitAny: as refuseWith: the hook runs before the route's env is known
  const validAvatar = zValidator("form", avatarForm, (result, c: Context<any>) => {
    if (!result.success) return renderProfile(ctx, c, 422, { avatarError: result.error.issues[0]?.message });
  });
  return new Hono<AppEnv>()
    .use("/users/*", requireUser)
    .use("/profile", requireUser)
    .use("/profile/*", requireUser)
    .get("/users/:id/avatar", zValidator("param", z.object({ id: positiveId }), notFound), async (c) => {
      const user = orNotFound(findUser(db, c.req.valid("param").id));
      const cacheControl = c.req.query("v") === avatarVersion(user.avatarKey) ? KEPT : CHECKED;
      if (user.avatarKey) {
        return serveFile(c.req.raw, {
          file: fileOnDisk(config.dataDir, user.avatarKey),
          contentType: "image/webp",
          filename: "avatar.webp",
          etag: `"${user.avatarKey}"`,
          cacheControl,
        });
      }
      // SVG from us, never from a person: drawn here from their initials, with the page's CSP.
      c.header("Cache-Control", cacheControl);
      c.header("Content-Type", "image/svg+xml");
      return c.body(user.role === "bot" ? BOT_SVG : initialsSvg(user));
    })
    .get("/profile", (c) => renderProfile(ctx, c))
    .post("/profile/avatar", receiveUpload(config, "avatar"), validAvatar, async (c) => {
      const picture = c.get("upload");
      if (!picture) return renderProfile(ctx, c, 422, { avatarError: "Please choose a picture." });
      const changed = await setAvatar(ctx, currentUser(c), picture);
      if (typeof changed === "string") return renderProfile(ctx, c, 422, { avatarError: changed });
      return redirectTo(c, "/profile");
    })
    .post("/profile/avatar/removal", async (c) => {
      await removeAvatar(ctx, currentUser(c));
      return redirectTo(c, "/profile");
    });
}
