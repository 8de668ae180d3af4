/** @jsxImportSource hono/jsx */
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import { SearchPage } from "../../templates/search/page.tsx";
import { currentUser, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { redirectTo } from "../http/request.ts";
import { optional, positiveId, validForm } from "../http/validate.tsx";
import { findRoomFor, pageFrame, roomNameFor } from "../rooms/rooms.ts";
import { LAST_ROOM_COOKIE } from "../rooms/routes.tsx";
import { clearSearches, MAX_QUERY_CHARS, matchExpression, recentSearches, recordSearch, searchMessages } from "./searches.ts";

const q = z
  .string("Please type the words to search for.")
  .trim()
  .max(MAX_QUERY_CHARS, `A search can be at most ${MAX_QUERY_CHARS} characters. Try fewer words.`);
const searchForm = z.object({ q });
const searchQuery = z.object({ q: q.default("") });

const searchUrl = (query: string) => (query ? `/searches?q=${encodeURIComponent(query)}` : "/searches");

export function searchRoutes(ctx: AppContext) {
  const { db } = ctx;

  /** The search page; a refused query comes back in the box with the reason and no results. */
  function renderSearch(c: Context<AppEnv>, query: string, error?: string) {
    const user = currentUser(c);
    const lastRoomId = optional(positiveId, getCookie(c, LAST_ROOM_COOKIE));
    const lastRoom = lastRoomId ? findRoomFor(ctx, user, lastRoomId) : null;
    const { results, more } = error ? { results: [], more: false } : searchMessages(ctx, user, query);
    return c.html(
      <SearchPage
        {...pageFrame(ctx, user)}
        view={{
          query,
          results,
          more,
          recent: recentSearches(db, user.id),
          back: lastRoom ? { href: `/rooms/${lastRoom.id}`, name: roomNameFor(ctx, lastRoom, user.id) } : { href: "/", name: "your rooms" },
          error,
        }}
      />,
      error ? 422 : 200,
    );
  }

  return new Hono<AppEnv>()
    .use("/searches/*", requireUser)
    .get(
      "/searches",
      zValidator("query", searchQuery, (result, c) => {
        if (!result.success) return renderSearch(c as Context<AppEnv>, "", result.error.issues[0]?.message);
      }),
      (c) => renderSearch(c, c.req.valid("query").q),
    )
    .post(
      "/searches",
      validForm(searchForm, (c, values, error) => renderSearch(c, values.q ?? "", error)),
      (c) => {
        const { q } = c.req.valid("form");
        // Only searches that can find something become chips; "?!" would be a chip that never matches.
        if (matchExpression(q) !== null) recordSearch(db, currentUser(c).id, q);
        return redirectTo(c, searchUrl(q));
      },
    )
    .delete("/searches/clear", (c) => {
      clearSearches(db, currentUser(c).id);
      return redirectTo(c, "/searches");
    });
}
