/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { SignInForm, SignInPage } from "../../templates/sessions/new.tsx";
import { findAccount } from "../accounts/accounts.ts";
import { clearSessionCookie, clientInfo, setSessionCookie, takeWantedPage } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { takeNotice } from "../http/notice.ts";
import { clientIp, isHtmx, redirectTo } from "../http/request.ts";
import { optional, validForm } from "../http/validate.tsx";
import { authenticate, demoPeople, firstAdministrator } from "../users/users.ts";
import { endSession, startSession } from "./sessions.ts";

const signInForm = z.object({
  email_address: z.string().trim().toLowerCase().min(1, "Please enter your email address.").max(254, "That email address is too long."),
  password: z.string().min(1, "Please enter your password.").max(1024, "That password is too long."),
});

// The join page sends people who already have an account here with their address filled in.
const prefilledEmail = z.string().trim().max(254);

const WRONG_CREDENTIALS = "That email address and password don't match. Please try again.";

export function sessionRoutes(ctx: AppContext) {
  const renderSignIn = (c: Context<AppEnv>, status: 200 | 401 | 422 | 429, emailAddress?: string, error?: string) =>
    c.html(
      isHtmx(c) ? (
        <SignInForm emailAddress={emailAddress} error={error} />
      ) : (
        <SignInPage
          accountName={findAccount(ctx)?.name ?? "Campfire"}
          helpEmail={firstAdministrator(ctx.db)?.emailAddress ?? null}
          emailAddress={emailAddress}
          error={error}
          notice={status === 200 ? takeNotice(c) : undefined}
          demoPeople={ctx.config.demo ? demoPeople(ctx.db) : undefined}
        />
      ),
      status,
    );

  return new Hono<AppEnv>()
    .get("/session/new", (c) =>
      c.get("user") ? redirectTo(c, "/") : renderSignIn(c, 200, optional(prefilledEmail, c.req.query("email_address"))),
    )
    .post(
      "/session",
      validForm(signInForm, (c, values, error) => renderSignIn(c, 422, values.email_address, error)),
      async (c) => {
        const { email_address, password } = c.req.valid("form");
        const ip = clientIp(c) ?? "unknown";
        // Counted before the password check, in the same turn, so a burst cannot outrun the count.
        const wait = ctx.signInThrottle.attempt(ip, email_address);
        if (wait > 0) {
          c.header("Retry-After", String(wait));
          const minutes = Math.ceil(wait / 60);
          const message = `Too many failed sign-in attempts. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`;
          return renderSignIn(c, 429, email_address, message);
        }
        const user = await authenticate(ctx.db, email_address, password);
        if (!user) return renderSignIn(c, 401, email_address, WRONG_CREDENTIALS);
        ctx.signInThrottle.succeeded(ip, email_address);
        setSessionCookie(c, startSession(ctx.db, user, clientInfo(c)));
        return redirectTo(c, takeWantedPage(c));
      },
    )
    .delete("/session", (c) => {
      const session = c.get("session");
      if (session) {
        endSession(ctx.db, session.id);
        ctx.cache.sessionsEnded(session.userId);
        ctx.connections.close((socket) => socket.sessionId === session.id, "Signed out");
      }
      clearSessionCookie(c);
      return redirectTo(c, "/session/new");
    });
}
