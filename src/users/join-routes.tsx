/** @jsxImportSource hono/jsx */
import { zValidator } from "@hono/zod-validator";
import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { JoinForm, JoinPage } from "../../templates/users/join.tsx";
import { findAccountByJoinCode } from "../accounts/accounts.ts";
import { clientInfo, setSessionCookie } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { HttpError, NOT_FOUND_MESSAGE, orNotFound } from "../http/errors.tsx";
import { isHtmx, redirectTo } from "../http/request.ts";
import { validForm } from "../http/validate.tsx";
import { startSession } from "../sessions/sessions.ts";
import { emailAddress, newPassword, personName } from "./fields.ts";
import { createUserUnlessEmailTaken, findUserByEmail, hashPassword } from "./users.ts";

const MAX_JOIN_CODE_LENGTH = 64;

const joinForm = z.object({ name: personName, email_address: emailAddress, password: newPassword });

// Anything that cannot be a join code names nothing, like any other unknown address.
const joinCodeParam = zValidator("param", z.object({ join_code: z.string().min(1).max(MAX_JOIN_CODE_LENGTH) }), (result) => {
  if (!result.success) throw new HttpError(404, NOT_FOUND_MESSAGE);
});

// Someone already signed in has nothing to join, as in the original.
const requireSignedOut: MiddlewareHandler<AppEnv> = async (c, next) => (c.get("user") ? redirectTo(c, "/") : next());

const signInInstead = (emailAddress: string) => `/session/new?${new URLSearchParams({ email_address: emailAddress })}`;

/** Self sign-up through the account's join link; reachable without a session, so no requireUser here. */
export function joinRoutes(ctx: AppContext) {
  const accountFor = (joinCode: string) => orNotFound(findAccountByJoinCode(ctx, joinCode));

  return new Hono<AppEnv>()
    .use("/join/:join_code", requireSignedOut)
    .get("/join/:join_code", joinCodeParam, (c) => {
      const { join_code } = c.req.valid("param");
      return c.html(<JoinPage accountName={accountFor(join_code).name} joinCode={join_code} />);
    })
    .post(
      "/join/:join_code",
      joinCodeParam,
      // A wrong code is a 404 before anything about the form is said.
      async (c, next) => {
        accountFor(c.req.valid("param").join_code);
        await next();
      },
      validForm(joinForm, (c, values, error) => {
        const joinCode = c.req.param("join_code")!;
        return c.html(
          isHtmx(c) ? (
            <JoinForm joinCode={joinCode} values={values} error={error} />
          ) : (
            <JoinPage accountName={accountFor(joinCode).name} joinCode={joinCode} values={values} error={error} />
          ),
          422,
        );
      }),
      async (c) => {
        const form = c.req.valid("form");
        if (findUserByEmail(ctx.db, form.email_address)) return redirectTo(c, signInInstead(form.email_address));
        const user = createUserUnlessEmailTaken(ctx.db, {
          name: form.name,
          emailAddress: form.email_address,
          passwordDigest: await hashPassword(form.password),
          role: "member",
        });
        // Taken while the password was being hashed.
        if (!user) return redirectTo(c, signInInstead(form.email_address));
        setSessionCookie(c, startSession(ctx.db, user, clientInfo(c)));
        return redirectTo(c, "/");
      },
    );
}
