/** @jsxImportSource hono/jsx */
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { JoinForm, JoinPage } from "../../templates/users/join.tsx";
import { findAccountByJoinCode } from "../accounts/accounts.ts";
import { clientInfo, setSessionCookie } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { HttpError } from "../http/errors.tsx";
import { setNotice } from "../http/notice.ts";
import { isHtmx, redirectTo } from "../http/request.ts";
import { validForm } from "../http/validate.tsx";
import { startSession } from "../sessions/sessions.ts";
import { emailAddress, newPassword, personName } from "./fields.ts";
import { createUserUnlessEmailTaken, findUserByEmail, hashPassword } from "./users.ts";

const MAX_JOIN_CODE_LENGTH = 64;
const INVITATION_EXPIRED = "Join links stop working when an administrator makes a new one. Ask whoever invited you for the current link.";

const joinForm = z.object({ name: personName, email_address: emailAddress, password: newPassword });

// Anything that cannot be a join code names nothing, like any other unknown address.
const joinCodeParam = zValidator("param", z.object({ join_code: z.string().min(1).max(MAX_JOIN_CODE_LENGTH) }), (result) => {
  if (!result.success) throw new HttpError(404, INVITATION_EXPIRED, "This invitation link has expired");
});

// Someone already signed in has nothing to join, as in the original.
const requireSignedOut: MiddlewareHandler<AppEnv> = async (c, next) => (c.get("user") ? redirectTo(c, "/") : next());

/** Someone who already has an account is sent to sign in, with their address filled in and a word on why. */
function signInInstead(c: Context<AppEnv>, emailAddress: string): Response {
  setNotice(c, "account_exists");
  return redirectTo(c, `/session/new?${new URLSearchParams({ email_address: emailAddress })}`);
}

/** Self sign-up through the account's join link; reachable without a session, so no requireUser here. */
export function joinRoutes(ctx: AppContext) {
  // A code that isn't the current one is almost always a link from before the administrator made a new one.
  const accountFor = (joinCode: string) => {
    const account = findAccountByJoinCode(ctx, joinCode);
    if (!account) throw new HttpError(404, INVITATION_EXPIRED, "This invitation link has expired");
    return account;
  };

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
        if (findUserByEmail(ctx.db, form.email_address)) return signInInstead(c, form.email_address);
        const user = createUserUnlessEmailTaken(ctx.db, {
          name: form.name,
          emailAddress: form.email_address,
          passwordDigest: await hashPassword(form.password),
          role: "member",
        });
        // Taken while the password was being hashed.
        if (!user) return signInInstead(c, form.email_address);
        setSessionCookie(c, startSession(ctx.db, user, clientInfo(c)));
        return redirectTo(c, "/");
      },
    );
}
