/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { BanConfirmPage, PersonPage } from "../../templates/users/show.tsx";
import { TransferPage } from "../../templates/users/transfer.tsx";
import { banCandidates, bannedAddressesOf, banUser, unbanUser } from "../bans/bans.ts";
import { actorOf, currentUser, requireAdmin, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { orNotFound } from "../http/errors.tsx";
import { ownOrigin, redirectTo } from "../http/request.ts";
import { idParam, validForm } from "../http/validate.tsx";
import { makeTransferFor } from "../sessions/transfers.ts";
import { changeRole, deactivateUser, findPerson } from "./administration.ts";

const roleForm = z.object({ role: z.enum(["admin", "member", "administrator"], "Please pick member or administrator.") });

/** Other people's pages, and what administrators do about them. */
export function peopleRoutes(ctx: AppContext) {
  const { db } = ctx;
  const person = (c: Context<AppEnv, string, { out: { param: { id: number } } }>) => orNotFound(findPerson(db, c.req.valid("param").id));
  const page = (c: Context<AppEnv>, who: ReturnType<typeof person>, status: 200 | 422 = 200, error?: string) =>
    c.html(<PersonPage viewer={currentUser(c)} person={who} bannedAddresses={bannedAddressesOf(db, who.id)} error={error} />, status);
  const outcome = (c: Context<AppEnv>, who: ReturnType<typeof person>, refused: string | null) =>
    refused ? page(c, findPerson(db, who.id)!, 422, refused) : redirectTo(c, `/users/${who.id}`);

  return new Hono<AppEnv>()
    .get("/users/:id", requireUser, idParam, (c) => page(c, person(c)))
    .post(
      "/users/:id/role",
      requireAdmin,
      idParam,
      validForm(roleForm, (c, _values, error) => page(c, person(c as never), 422, error)),
      (c) => {
        const who = person(c);
        const role = c.req.valid("form").role === "member" ? "member" : "admin";
        return outcome(c, who, changeRole(ctx, actorOf(c), who, role));
      },
    )
    .post("/users/:id/deactivation", requireAdmin, idParam, (c) => {
      const who = person(c);
      return outcome(c, who, deactivateUser(ctx, actorOf(c), who));
    })
    .get("/users/:id/ban", requireAdmin, idParam, (c) => {
      const who = person(c);
      return c.html(<BanConfirmPage viewer={currentUser(c)} person={who} candidates={banCandidates(db, who.id)} />);
    })
    .post("/users/:id/ban", requireAdmin, idParam, async (c) => {
      const who = person(c);
      return outcome(c, who, await banUser(ctx, actorOf(c), who));
    })
    .post("/users/:id/unban", requireAdmin, idParam, (c) => {
      const who = person(c);
      unbanUser(ctx, actorOf(c), who);
      return redirectTo(c, `/users/${who.id}`);
    })
    .post("/users/:id/transfer", requireAdmin, idParam, (c) => {
      const who = person(c);
      if (who.status !== "active") return page(c, who, 422, "Only active people can sign in.");
      const token = makeTransferFor(db, actorOf(c), who.id);
      return c.html(<TransferPage user={currentUser(c)} person={who} url={`${ownOrigin(c, ctx.config)}/session/transfers/${token}`} />);
    });
}
