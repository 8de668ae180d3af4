/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { PasswordForm, ProfileForm, ProfilePage, type ProfilePageProps, type ProfileValues } from "../../templates/users/profile.tsx";
import { TransferPage } from "../../templates/users/transfer.tsx";
import { clearSessionCookie, currentUser, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { HttpError, NOT_FOUND_MESSAGE } from "../http/errors.tsx";
import { isHtmx, ownOrigin, redirectTo } from "../http/request.ts";
import { idParam, validForm } from "../http/validate.tsx";
import { roomsWithInvolvementFor } from "../rooms/rooms.ts";
import { endAllSessions, endSessionOf, sessionsOf } from "../sessions/sessions.ts";
import { makeTransfer } from "../sessions/transfers.ts";
import { emailAddress, newPassword, personName } from "./fields.ts";
import { announcePersonChange } from "./person-changes.ts";
import { changePassword, MAX_BIO_CHARS, updateProfile } from "./profiles.ts";

const profileForm = z.object({
  name: personName,
  bio: z
    .string()
    .trim()
    .max(MAX_BIO_CHARS, `Please keep it to ${MAX_BIO_CHARS} characters.`)
    .optional()
    .transform((bio) => bio ?? ""),
  email_address: emailAddress,
});

const passwordForm = z.object({
  current_password: z.string().min(1, "Please enter your current password.").max(1024, "That password is too long."),
  password: newPassword,
});

type Extras = Partial<Pick<ProfilePageProps, "values" | "error" | "passwordError" | "avatarError" | "notice">>;

/** The whole profile page, with whatever the request has to say on it (a form's error). */
export function renderProfile(ctx: AppContext, c: Context<AppEnv>, status: 200 | 422 = 200, extras: Extras = {}) {
  const user = currentUser(c);
  return c.html(
    <ProfilePage
      user={user}
      sessions={sessionsOf(ctx.db, user.id)}
      currentSessionId={c.get("session")!.id}
      rooms={roomsWithInvolvementFor(ctx, user)}
      {...extras}
    />,
    status,
  );
}

/** My own profile: name, bio, email, password, sessions, and a link to sign in elsewhere. */
export function profileRoutes(ctx: AppContext) {
  const { db, cache, connections } = ctx;
  const rerenderProfile = (c: Context<AppEnv>, values: ProfileValues, error: string) =>
    isHtmx(c)
      ? c.html(<ProfileForm user={currentUser(c)} values={values} error={error} />, 422)
      : renderProfile(ctx, c, 422, { values, error });

  return new Hono<AppEnv>()
    .use("/users/me/*", requireUser)
    .get("/users/me/profile", (c) => renderProfile(ctx, c))
    .on(["PATCH", "POST"], "/users/me/profile", validForm(profileForm, rerenderProfile), (c) => {
      const form = c.req.valid("form");
      const user = currentUser(c);
      const changed = updateProfile(db, user.id, { name: form.name, bio: form.bio, emailAddress: form.email_address });
      if (typeof changed === "string") return rerenderProfile(c, form, changed);
      announcePersonChange(ctx, user.id);
      if (isHtmx(c)) return c.html(<ProfileForm user={changed} />);
      return redirectTo(c, "/users/me/profile");
    })
    .post(
      "/users/me/password",
      validForm(passwordForm, (c, _values, error) =>
        isHtmx(c) ? c.html(<PasswordForm error={error} />, 422) : renderProfile(ctx, c, 422, { passwordError: error }),
      ),
      async (c) => {
        const user = currentUser(c);
        const session = c.get("session")!;
        const form = c.req.valid("form");
        const refused = await changePassword(db, user, session.id, { current: form.current_password, next: form.password });
        if (refused)
          return isHtmx(c) ? c.html(<PasswordForm error={refused} />, 422) : renderProfile(ctx, c, 422, { passwordError: refused });
        cache.sessionsEnded(user.id);
        connections.close((socket) => socket.userId === user.id && socket.sessionId !== session.id, "Your password was changed.");
        const notice = "Password changed. Your other devices were signed out.";
        return isHtmx(c) ? c.html(<PasswordForm notice={notice} />) : renderProfile(ctx, c, 200, { notice });
      },
    )
    .post("/users/me/sessions/:id/removal", idParam, (c) => {
      const user = currentUser(c);
      const id = c.req.valid("param").id;
      if (!endSessionOf(db, user.id, id)) throw new HttpError(404, NOT_FOUND_MESSAGE);
      cache.sessionsEnded(user.id);
      connections.close((socket) => socket.sessionId === id, "Signed out");
      return redirectTo(c, id === c.get("session")!.id ? "/session/new" : "/users/me/profile");
    })
    .post("/users/me/sessions/removal", (c) => {
      const user = currentUser(c);
      endAllSessions(db, user.id);
      cache.sessionsEnded(user.id);
      connections.close((socket) => socket.userId === user.id, "Signed out");
      clearSessionCookie(c);
      return redirectTo(c, "/session/new");
    })
    .post("/users/me/transfer", (c) => {
      const user = currentUser(c);
      const url = `${ownOrigin(c, ctx.config)}/session/transfers/${makeTransfer(db, user.id, user.id)}`;
      return c.html(<TransferPage user={user} person={user} url={url} />);
    });
}
