/** @jsxImportSource hono/jsx */
import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { FirstRunForm, FirstRunPage } from "../../templates/first-run/show.tsx";
import { clientInfo, setSessionCookie } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { HttpError } from "../http/errors.tsx";
import { isHtmx, redirectTo } from "../http/request.ts";
import { validForm } from "../http/validate.tsx";
import { startSession } from "../sessions/sessions.ts";
import { emailAddress, newPassword, personName } from "../users/fields.ts";
import { anyUsers } from "../users/users.ts";
import { completeFirstRun } from "./first-run.ts";

const firstRunForm = z.object({
  account_name: z.string().trim().max(100, "The name of your Campfire can be at most 100 characters.").default(""),
  name: personName,
  email_address: emailAddress,
  password: newPassword,
});

const ALREADY_SET_UP = "This Campfire is already set up. Sign in instead.";

/** Remembers once somebody exists (people are never deleted), so the check costs nothing after setup. */
export function setUpCheck(ctx: AppContext): () => boolean {
  let setUp = false;
  return () => (setUp ||= anyUsers(ctx.db));
}

/** Until the first person exists, every page leads to the first-run form. */
export function requireSetUp(isSetUp: () => boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => (isSetUp() || c.req.path === "/first_run" ? next() : redirectTo(c, "/first_run"));
}

export function firstRunRoutes(ctx: AppContext, isSetUp: () => boolean) {
  return new Hono<AppEnv>()
    .get("/first_run", (c) => (isSetUp() ? redirectTo(c, "/") : c.html(<FirstRunPage />)))
    .post(
      "/first_run",
      async (_c, next) => {
        if (isSetUp()) throw new HttpError(403, ALREADY_SET_UP);
        await next();
      },
      validForm(firstRunForm, (c, values, error) =>
        c.html(isHtmx(c) ? <FirstRunForm values={values} error={error} /> : <FirstRunPage values={values} error={error} />, 422),
      ),
      async (c) => {
        const form = c.req.valid("form");
        const admin = await completeFirstRun(ctx.db, {
          accountName: form.account_name,
          name: form.name,
          emailAddress: form.email_address,
          password: form.password,
        });
        if (!admin) throw new HttpError(403, ALREADY_SET_UP); // lost a race with another first run
        ctx.cache.accountChanged();
        setSessionCookie(c, startSession(ctx.db, admin, clientInfo(c)));
        return redirectTo(c, "/");
      },
    );
}
