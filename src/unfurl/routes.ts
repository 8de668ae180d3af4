import { join } from "node:path";
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import { currentUser, requireUser, requireUserForJson } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { NOT_FOUND_MESSAGE, renderError } from "../http/errors.tsx";
import { IMAGE_KEY } from "./unfurler.ts";

// Longer URLs exist, but not ones worth a card.
const MAX_URL_LENGTH = 2048;
const URL_MESSAGE = "url must be an http:// or https:// address.";

const unfurlForm = z.object({
  url: z
    .string(URL_MESSAGE)
    .trim()
    .max(MAX_URL_LENGTH, `url can be at most ${MAX_URL_LENGTH} characters.`)
    .pipe(z.url({ protocol: /^https?$/, error: URL_MESSAGE })),
});

const validForm = zValidator("form", unfurlForm, (result, c) => {
  if (!result.success) return c.json({ error: result.error.issues[0]?.message ?? URL_MESSAGE }, 422);
});

/** `POST /unfurl_link` (the composer asks on paste) and our copies of the preview images. */
export function unfurlRoutes(ctx: AppContext) {
  const { unfurler } = ctx;
  return new Hono<AppEnv>()
    .use("/unfurl_link", requireUserForJson)
    .post("/unfurl_link", validForm, async (c) => {
      const wait = unfurler.attempt(currentUser(c).id);
      if (wait > 0) {
        c.header("Retry-After", String(wait));
        return c.json({ error: `Too many link previews; try again in ${wait} seconds.` }, 429);
      }
      const preview = await unfurler.preview(new URL(c.req.valid("form").url));
      if (!preview) return c.body(null, 204);
      const image = preview.imageKey && `/unfurls/${preview.imageKey}`;
      return c.json({ id: preview.token, url: preview.url, title: preview.title, description: preview.description, image });
    })
    .use("/unfurls/*", requireUser)
    .get("/unfurls/:key", async (c) => {
      const key = c.req.param("key");
      const file = Bun.file(join(unfurler.imageDir, IMAGE_KEY.test(key) ? key : "none"));
      if (!IMAGE_KEY.test(key) || !(await file.exists())) return renderError(c, 404, NOT_FOUND_MESSAGE);
      // Keys are random and a copy never changes, so the browser may keep it; only its own cache, though.
      return c.body(file.stream(), 200, { "Content-Type": "image/webp", "Cache-Control": "private, max-age=31536000, immutable" });
    });
}
