import { Hono } from "hono";
import { z } from "zod";
import { clientInfo, setSessionCookie } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { HttpError, NOT_FOUND_MESSAGE, renderError } from "../http/errors.tsx";
import { redirectTo } from "../http/request.ts";
import { validForm } from "../http/validate.tsx";
import { startSession } from "../sessions/sessions.ts";
import { findUser } from "../users/users.ts";

const demoSignIn = z.object({ user_id: z.coerce.number({ error: "Pick someone to sign in as." }).int().positive() });

/** One-click sign-in, mounted only by `campfire demo` (app.ts checks config.demo). */
export function demoRoutes(ctx: AppContext) {
  return new Hono<AppEnv>().post(
    "/demo/session",
    validForm(demoSignIn, (c, _values, error) => renderError(c, 422, error)),
    (c) => {
      const user = findUser(ctx.db, c.req.valid("form").user_id);
      if (!user || user.role === "bot" || user.status !== "active") throw new HttpError(404, NOT_FOUND_MESSAGE);
      setSessionCookie(c, startSession(ctx.db, user, clientInfo(c)));
      return redirectTo(c, "/");
    },
  );
}
