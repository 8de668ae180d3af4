/** @jsxImportSource hono/jsx */
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { CustomStylesPage, CustomStylesPreview } from "../../templates/accounts/custom-styles.tsx";
import { AccountPage, AccountSettingsForm, type SettingsValues } from "../../templates/accounts/edit.tsx";
import { AuditLogPage } from "../../templates/audit/index.tsx";
import { fileOnDisk } from "../attachments/attachments.ts";
import { serveFile } from "../attachments/serve-file.ts";
import { auditEntries, recordAdminAction } from "../audit/audit-log.ts";
import { assetPath } from "../http/assets.ts";
import { actorOf, currentUser, requireAdmin, requireUser } from "../http/authenticate.ts";
import { receiveUpload } from "../http/body-limits.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { setNotice, takeNotice } from "../http/notice.ts";
import { isHtmx, ownOrigin, redirectTo } from "../http/request.ts";
import { optional, positiveId, validForm } from "../http/validate.tsx";
import { everyone } from "../users/administration.ts";
import { isAdministrator } from "../users/users.ts";
import { findAccount, regenerateJoinCode, updateAccountSettings } from "./accounts.ts";
import { customStylesProblem, publishCustomStyles, saveCustomStylesDraft } from "./custom-styles.ts";
import { logoFileKey, removeLogo, setLogo } from "./logo.ts";

// A checkbox sends "on" when ticked and nothing when not; "true"/"false" keep scripts written for the original working.
const checkbox = z
  .enum(["on", "true", "false"], "Please tick the box or leave it empty.")
  .optional()
  .transform((value) => value === "on" || value === "true");

const settingsForm = z.object({
  name: z.string().trim().min(1, "Please give the account a name.").max(100, "The account name can be at most 100 characters.").optional(),
  restrict_room_creation_to_administrators: checkbox,
});

// The picture arrives through receiveUpload (c.get("upload")); as text, there is nothing to use.
const logoForm = z.object({ logo: z.never({ message: "Please choose a picture." }).optional() });
const stylesForm = z.object({
  custom_styles: z.string().max(200_000, "That is too much CSS."),
  intent: z.enum(["save", "preview"]).default("save"),
});
const AUDIT_PAGE = 100;
// Any other size (or none) gets the small one, as the original's logo route does.
const iconSize = z.enum(["512", "192"]).transform((size) => (size === "512" ? 512 : 192));

// A new logo or stylesheet is a new address (the version in ?v=), so those may be kept a year.
const KEPT = "public, max-age=31536000, immutable";
const CHECKED = "public, no-cache";

/** The logo and the stylesheet, for every page including the sign-in page: no session needed. */
export function publicAccountRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .get("/account/logo", async (c) => {
      const account = findAccount(ctx);
      const size = optional(iconSize, c.req.query("size")) ?? 192;
      const cacheControl = account?.logoKey && c.req.query("v") === account.logoKey ? KEPT : CHECKED;
      if (!account?.logoKey) return c.redirect(assetPath("campfire.svg"), 302);
      const key = logoFileKey(account.logoKey, size);
      return serveFile(c.req.raw, {
        file: fileOnDisk(ctx.config.dataDir, key),
        contentType: "image/png",
        filename: "logo.png",
        etag: `"${key}"`,
        cacheControl,
      });
    })
    .get("/account/custom_styles.css", (c) => {
      const account = findAccount(ctx);
      c.header("Content-Type", "text/css; charset=utf-8");
      c.header("Cache-Control", account?.stylesVersion && c.req.query("v") === account.stylesVersion ? KEPT : CHECKED);
      return c.body(account?.customStyles ?? "");
    });
}

export function accountRoutes(ctx: AppContext) {
  const { db, cache, config } = ctx;
  const renderAccount = (c: Context<AppEnv>, status: 200 | 422, values?: SettingsValues, error?: string, logoError?: string) => {
    const user = currentUser(c);
    const account = findAccount(ctx)!;
    if (status === 422 && isHtmx(c) && !logoError)
      return c.html(<AccountSettingsForm account={account} values={values} error={error} />, status);
    const admin = isAdministrator(user);
    return c.html(
      <AccountPage
        user={user}
        account={account}
        // Members see who is here; administrators also see who is banned (to lift it).
        people={everyone(db).filter((person) => admin || person.status === "active")}
        joinUrl={admin ? `${ownOrigin(c, config)}/join/${account.joinCode}` : null}
        values={values}
        error={error}
        logoError={logoError}
        notice={status === 200 ? takeNotice(c) : undefined}
      />,
      status,
    );
  };
  const renderStyles = (c: Context<AppEnv>, status: 200 | 422, css?: string, error?: string) =>
    c.html(<CustomStylesPage user={currentUser(c)} account={findAccount(ctx)!} css={css} error={error} />, status);

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
        requireAdmin,
        validForm(settingsForm, (c, values, error) => renderAccount(c, 422, values, error)),
        (c) => {
          const form = c.req.valid("form");
          const { user, ip } = actorOf(c);
          db.transaction(() => {
            updateAccountSettings(db, {
              name: form.name,
              restrictRoomCreationToAdministrators: form.restrict_room_creation_to_administrators,
            });
            recordAdminAction(db, { actorId: user.id, action: "account_updated", details: form, ip });
          })();
          cache.accountChanged();
          setNotice(c, "settings_saved");
          return redirectTo(c, "/account");
        },
      )
      .post("/account/join_code", requireAdmin, (c) => {
        const { user, ip } = actorOf(c);
        db.transaction(() => {
          regenerateJoinCode(db);
          recordAdminAction(db, { actorId: user.id, action: "join_link_regenerated", ip });
        })();
        cache.accountChanged();
        setNotice(c, "join_link_regenerated");
        return redirectTo(c, "/account");
      })
      .post(
        "/account/logo",
        requireAdmin,
        receiveUpload(config, "logo"),
        zValidator("form", logoForm, (result, c) => {
          if (!result.success) return renderAccount(c as Context<AppEnv>, 422, undefined, undefined, result.error.issues[0]?.message);
        }),
        async (c) => {
          const picture = c.get("upload");
          if (!picture) return renderAccount(c, 422, undefined, undefined, "Please choose a picture.");
          const refused = await setLogo(db, config.dataDir, actorOf(c), picture);
          if (refused) return renderAccount(c, 422, undefined, undefined, refused);
          cache.accountChanged();
          setNotice(c, "settings_saved");
          return redirectTo(c, "/account");
        },
      )
      .post("/account/logo/removal", requireAdmin, async (c) => {
        await removeLogo(db, config.dataDir, actorOf(c));
        cache.accountChanged();
        setNotice(c, "settings_saved");
        return redirectTo(c, "/account");
      })
      .get("/account/custom_styles", requireAdmin, (c) => renderStyles(c, 200))
      .post(
        "/account/custom_styles",
        requireAdmin,
        validForm(stylesForm, (c, values, error) => renderStyles(c, 422, values.custom_styles, error)),
        (c) => {
          const { custom_styles: css, intent } = c.req.valid("form");
          const problem = customStylesProblem(css);
          if (problem) return renderStyles(c, 422, css, problem);
          if (intent === "preview") saveCustomStylesDraft(db, css);
          else publishCustomStyles(db, actorOf(c), css);
          cache.accountChanged();
          if (intent === "preview") return redirectTo(c, "/account/custom_styles/preview");
          setNotice(c, "settings_saved");
          return redirectTo(c, "/account/custom_styles");
        },
      )
      .get("/account/custom_styles/preview", requireAdmin, (c) =>
        c.html(<CustomStylesPreview user={currentUser(c)} account={findAccount(ctx)!} />),
      )
      // The draft is an administrator's work in progress: only they load it, only on the preview page.
      .get("/account/custom_styles/draft.css", requireAdmin, (c) => {
        c.header("Content-Type", "text/css; charset=utf-8");
        c.header("Cache-Control", "private, no-store");
        return c.body(findAccount(ctx)?.customStylesDraft ?? "");
      })
      .get("/account/audit", requireAdmin, (c) => {
        const before = optional(positiveId, c.req.query("before"));
        const entries = auditEntries(db, { before, limit: AUDIT_PAGE });
        return c.html(<AuditLogPage user={currentUser(c)} entries={entries} more={entries.length === AUDIT_PAGE} />);
      })
  );
}
