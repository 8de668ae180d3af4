/** @jsxImportSource hono/jsx */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { AccountPage, AccountSettingsForm, type SettingsValues } from "../../templates/accounts/edit.tsx";
import { currentUser, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { HttpError } from "../http/errors.tsx";
import { setNotice, takeNotice } from "../http/notice.ts";
import { isHtmx, ownOrigin, redirectTo } from "../http/request.ts";
import { validForm } from "../http/validate.tsx";
import { activePeople, isAdministrator } from "../users/users.ts";
import { findAccount, regenerateJoinCode, updateAccountSettings } from "./accounts.ts";

// A checkbox sends "on" when ticked and nothing when not; "true"/"false" keep scripts written for the original working.
const checkbox = z
  .enum(["on", "true", "false"], "Please tick the box or leave it empty.")
  .optional()
  .transform((value) => value === "on" || value === "true");

const settingsForm = z.object({
  name: z.string().trim().min(1, "Please give the account a name.").max(100, "The account name can be at most 100 characters.").optional(),
  restrict_room_creation_to_administrators: checkbox,
});

const ADMINISTRATORS_ONLY = "Only administrators can change the account settings.";

const requireAdministrator: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isAdministrator(currentUser(c))) throw new HttpError(403, ADMINISTRATORS_ONLY);
  await next();
};

export function accountRoutes(ctx: AppContext) {
  const renderAccount = (c: Context<AppEnv>, status: 200 | 422, values?: SettingsValues, error?: string) => {
    const user = currentUser(c);
    const account = findAccount(ctx)!;
    if (status === 422 && isHtmx(c)) return c.html(<AccountSettingsForm account={account} values={values} error={error} />, status);
    return c.html(
      <AccountPage
        user={user}
        account={account}
        people={activePeople(ctx.db)}
        joinUrl={isAdministrator(user) ? `${ownOrigin(c, ctx.config)}/join/${account.joinCode}` : null}
        values={values}
        error={error}
        notice={status === 200 ? takeNotice(c) : undefined}
      />,
      status,
    );
  };

  return (
    new Hono<AppEnv>()
      .use("/account", requireUser)
      .use("/account/*", requireUser)
      .get("/account", (c) => renderAccount(c, 200))
      // The original's address for this page, so bookmarks keep working.
      .get("/account/edit", (c) => redirectTo(c, "/account"))
      // PATCH from htmx; without JavaScript a form can only POST, so that lands in the same place.
      .on(
        ["PATCH", "POST"],
        "/account",
        requireAdministrator,
        validForm(settingsForm, (c, values, error) => renderAccount(c, 422, values, error)),
        (c) => {
          const form = c.req.valid("form");
          updateAccountSettings(ctx.db, {
            name: form.name,
            restrictRoomCreationToAdministrators: form.restrict_room_creation_to_administrators,
          });
          ctx.cache.accountChanged();
          setNotice(c, "settings_saved");
          return redirectTo(c, "/account");
        },
      )
      .post("/account/join_code", requireAdministrator, (c) => {
        regenerateJoinCode(ctx.db);
        ctx.cache.accountChanged();
        setNotice(c, "join_link_regenerated");
        return redirectTo(c, "/account");
      })
  );
}
