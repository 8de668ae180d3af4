/** @jsxImportSource hono/jsx */
import type { Database } from "bun:sqlite";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { BanConfirmPage, PersonPage } from "../../templates/users/show.tsx";
import { TransferPage } from "../../templates/users/transfer.tsx";
import { recordAdminAction } from "../audit/audit-log.ts";
import { banCandidates, bannedAddressesOf, banUser, unbanUser } from "../bans/bans.ts";
import { currentUser, requireAdmin, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { orNotFound } from "../http/errors.tsx";
import { clientIp, ownOrigin, redirectTo } from "../http/request.ts";
import { idParam, validForm } from "../http/validate.tsx";
import { makeTransfer } from "../sessions/transfers.ts";
import { type Actor, changeRole, deactivateUser, findPerson } from "./administration.ts";

const roleForm = z.object({ role: z.enum(["admin", "member", "administrator"], "Please pick member or administrator.") });

const recordTransfer = (db: Database, actor: Actor, subjectId: number) =>
  recordAdminAction(db, { actorId: actor.user.id, action: "transfer_link_made", subjectId, ip: actor.ip });

/** Other people's pages, and what administrators do about them. */
export function peopleRoutes(ctx: AppContext) {
  const { db } = ctx;
  const person = (c: Context<AppEnv, string, { out: { param: { id: number } } }>) => orNotFound(findPerson(db, c.req.valid("param").id));
  const actor = (c: Context<AppEnv>): Actor => ({ user: currentUser(c), ip: clientIp(c) });
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
        return outcome(c, who, changeRole(ctx, actor(c), who, role));
      },
    )
    .post("/users/:id/deactivation", requireAdmin, idParam, (c) => {
      const who = person(c);
      return outcome(c, who, deactivateUser(ctx, actor(c), who));
    })
    .get("/users/:id/ban", requireAdmin, idParam, (c) => {
      const who = person(c);
      return c.html(<BanConfirmPage viewer={currentUser(c)} person={who} candidates={banCandidates(db, who.id)} />);
    })
    .post("/users/:id/ban", requireAdmin, idParam, async (c) => {
      const who = person(c);
      return outcome(c, who, await banUser(ctx, actor(c), who));
    })
    .post("/users/:id/unban", requireAdmin, idParam, (c) => {
      const who = person(c);
      unbanUser(ctx, actor(c), who);
      return redirectTo(c, `/users/${who.id}`);
    })
    .post("/users/:id/transfer", requireAdmin, idParam, (c) => {
      const who = person(c);
      if (who.status !== "active") return page(c, who, 422, "Only active people can sign in.");
      const token = db.transaction(() => {
        const made = makeTransfer(db, who.id, currentUser(c).id);
        recordTransfer(db, actor(c), who.id);
        return made;
      })();
      return c.html(<TransferPage user={currentUser(c)} person={who} url={`${ownOrigin(c, ctx.config)}/session/transfers/${token}`} />);
    });
}
