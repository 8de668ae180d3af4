import { Hono } from "hono";
import { fromThisSite } from "../http/csrf.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { MAX_SOCKETS_PER_PERSON, SocketBudget } from "./budget.ts";

/** GET /cable: one WebSocket per tab, opened only for a signed-in person on one of our own pages. */
export function cableRoutes(ctx: AppContext) {
  const publicOrigin = ctx.config.publicUrl ? new URL(ctx.config.publicUrl).origin : null;
  return new Hono<AppEnv>().get("/cable", (c) => {
    const user = c.get("user");
    const session = c.get("session");
    if (!user || !session) return c.json({ error: "Please sign in first." }, 401);
    // Browsers always send Origin on a WebSocket; a page on another site must not borrow the cookie.
    if (c.req.header("origin") !== undefined && !fromThisSite(c, publicOrigin))
      return c.json({ error: "This connection came from another website, so it was refused." }, 403);
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") return c.json({ error: "This address only speaks WebSocket." }, 426);
    if (ctx.connections.countOf(user.id) >= MAX_SOCKETS_PER_PERSON)
      return c.json({ error: `You have ${MAX_SOCKETS_PER_PERSON} tabs connected already; close some and reload.` }, 429);
    const upgraded = c.env.upgrade(c.req.raw, {
      data: {
        userId: user.id,
        userName: user.name,
        sessionId: session.id,
        entered: new Set<number>(),
        budget: new SocketBudget(),
        closing: false,
      },
    });
    return upgraded ? new Response(null) : c.json({ error: "The WebSocket upgrade failed." }, 400);
  });
}
