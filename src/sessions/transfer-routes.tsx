/** @jsxImportSource hono/jsx */
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { TransferLanding } from "../../templates/users/transfer.tsx";
import { findAccount } from "../accounts/accounts.ts";
import { clientInfo, setSessionCookie } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { renderError } from "../http/errors.tsx";
import { redirectTo } from "../http/request.ts";
import { findUser } from "../users/users.ts";
import { startSession } from "./sessions.ts";
import { redeemTransfer, transferIsUsable } from "./transfers.ts";

const EXPIRED = "This sign-in link has expired or was used already.";
// A token is 32 random bytes in base64url; anything else can't be one.
const tokenParam = zValidator("param", z.object({ token: z.string().regex(/^[\w-]{43}$/) }), (result, c) => {
  if (!result.success) return renderError(c as Context<AppEnv>, 400, EXPIRED);
});

/** "Log in on another device": the link made on the profile (or by an administrator) signs in once. */
export function transferRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .get("/session/transfers/:token", tokenParam, (c) => {
      const token = c.req.valid("param").token;
      const usable = transferIsUsable(ctx.db, token);
      return c.html(
        <TransferLanding accountName={findAccount(ctx)?.name ?? "Campfire"} token={token} usable={usable} />,
        usable ? 200 : 400,
      );
    })
    .post("/session/transfers/:token", tokenParam, (c) => {
      const userId = redeemTransfer(ctx.db, c.req.valid("param").token);
      const user = userId === null ? null : findUser(ctx.db, userId);
      if (!user) return renderError(c, 400, EXPIRED);
      setSessionCookie(c, startSession(ctx.db, user, clientInfo(c)));
      return redirectTo(c, "/");
    });
}
