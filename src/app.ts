import { Hono } from "hono";
import { accountRoutes, publicAccountRoutes } from "./accounts/routes.tsx";
import { attachmentRoutes } from "./attachments/routes.ts";
import { refuseBannedAddresses } from "./bans/bans.ts";
import { botAdminRoutes } from "./bots/admin-routes.tsx";
import { botApiRoutes } from "./bots/api-routes.ts";
import { demoRoutes } from "./demo/demo-routes.ts";
import { firstRunRoutes, requireSetUp, setUpCheck } from "./first-run/routes.tsx";
import { assetRoutes } from "./http/assets.ts";
import { loadSession } from "./http/authenticate.ts";
import { limitBodies } from "./http/body-limits.ts";
import { csrfProtection } from "./http/csrf.ts";
import type { AppContext, AppEnv } from "./http/env.ts";
import { handleError, NOT_FOUND_MESSAGE, renderError } from "./http/errors.tsx";
import { securityHeaders } from "./http/security.ts";
import { boostRoutes } from "./messages/boost-routes.ts";
import { messageRoutes } from "./messages/routes.tsx";
import { pushRoutes } from "./push/routes.tsx";
import { pwaRoutes } from "./pwa/routes.tsx";
import { cableRoutes } from "./realtime/routes.ts";
import { roomRoutes } from "./rooms/routes.tsx";
import { searchRoutes } from "./search/routes.tsx";
import { sessionRoutes } from "./sessions/routes.tsx";
import { transferRoutes } from "./sessions/transfer-routes.tsx";
import { unfurlRoutes } from "./unfurl/routes.ts";
import { autocompleteRoutes } from "./users/autocomplete-routes.ts";
import { avatarRoutes } from "./users/avatar-routes.tsx";
import { joinRoutes } from "./users/join-routes.tsx";
import { peopleRoutes } from "./users/people-routes.tsx";
import { profileRoutes } from "./users/profile-routes.tsx";
import { settingsRoutes } from "./users/settings-routes.tsx";

/** The whole HTTP surface. Order matters: the cheap, public routes answer before sessions are looked up. */
export function createApp(ctx: AppContext): Hono<AppEnv> {
  const isSetUp = setUpCheck(ctx);
  const app = new Hono<AppEnv>();

  app.use(securityHeaders);
  // Every route reads at most a form's worth, but the upload routes a file's.
  app.use(limitBodies(ctx.config.maxUploadBytes));
  app.get("/up", (c) => {
    ctx.db.query("SELECT 1").get();
    if (!ctx.diskSpace.writable()) return c.text("The database is unwritable: the disk is full.", 503);
    return c.text("OK");
  });
  app.route("/", assetRoutes);
  app.route("/", pwaRoutes(ctx));

  app.use(csrfProtection(ctx.config.publicUrl));
  app.use(refuseBannedAddresses(ctx));
  app.use(loadSession(ctx));
  app.use(requireSetUp(isSetUp));

  // Before every browser route: their `/rooms/*` guard would send a bot to the sign-in page.
  app.route("/", botApiRoutes(ctx));
  app.route("/", firstRunRoutes(ctx, isSetUp));
  app.route("/", sessionRoutes(ctx));
  if (ctx.config.demo) app.route("/", demoRoutes(ctx));
  app.route("/", botAdminRoutes(ctx));
  app.route("/", transferRoutes(ctx));
  app.route("/", publicAccountRoutes(ctx));
  app.route("/", accountRoutes(ctx));
  app.route("/", joinRoutes(ctx));
  app.route("/", autocompleteRoutes(ctx));
  app.route("/", settingsRoutes(ctx));
  app.route("/", pushRoutes(ctx));
  app.route("/", profileRoutes(ctx));
  app.route("/", cableRoutes(ctx));
  app.route("/", messageRoutes(ctx));
  app.route("/", attachmentRoutes(ctx));
  app.route("/", avatarRoutes(ctx));
  app.route("/", peopleRoutes(ctx));
  app.route("/", boostRoutes(ctx));
  app.route("/", searchRoutes(ctx));
  app.route("/", unfurlRoutes(ctx));
  app.route("/", roomRoutes(ctx));

  app.notFound((c) => renderError(c, 404, NOT_FOUND_MESSAGE));
  app.onError(handleError(ctx));
  return app;
}
