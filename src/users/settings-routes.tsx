/** @jsxImportSource hono/jsx */

import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import { SoundsToggle } from "../../templates/users/sounds-toggle.tsx";
import { currentUser, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { refuseWith } from "../http/validate.tsx";
import { setSoundsMuted } from "./users.ts";

const soundsForm = z.object({ muted: z.enum(["true", "false"], "muted must be true or false.") });

/** A person's own settings. */
export function settingsRoutes({ db, cache }: AppContext) {
  return new Hono<AppEnv>()
    .use("/users/me/*", requireUser)
    .patch("/users/me/sounds", zValidator("form", soundsForm, refuseWith(422)), (c) => {
      const muted = c.req.valid("form").muted === "true";
      setSoundsMuted(db, currentUser(c).id, muted);
      // The person's next page (any tab) must show the new setting, not the session remembered a moment ago.
      cache.personChanged(currentUser(c).id);
      return c.html(<SoundsToggle muted={muted} />);
    });
}
