/** @jsxImportSource hono/jsx */
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import { moreResultsHtml, searchPageHtml } from "../../templates/search/page.tsx";
import { currentUser, requireUser } from "../http/authenticate.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { isHtmx, redirectTo } from "../http/request.ts";
import { optional, positiveId, validForm } from "../http/validate.tsx";
import { LAST_ROOM_COOKIE } from "../rooms/room-page.ts";
import { findRoomFor, pageFrame, roomNameFor } from "../rooms/rooms.ts";
import { asksForSomething, parseSearch } from "./query.ts";
import { clearSearches, MAX_QUERY_CHARS, recentSearches, recordSearch, searchMessages } from "./searches.ts";

const q = z
  .string("Please type the words to search for.")
  .trim()
  .max(MAX_QUERY_CHARS, `A search can be at most ${MAX_QUERY_CHARS} characters. Try fewer words.`);
const searchForm = z.object({ q });
const searchQuery = z.object({ q: q.default(""), before: positiveId.optional() });

const searchUrl = (query: string) => (query ? `/searches?q=${encodeURIComponent(query)}` : "/searches");

export function searchRoutes(ctx: AppContext) {
  /** The search page; a refused query comes back in the box with the reason and no results. */
  function renderSearch(c: Context<AppEnv>, text: string, refused?: string, before?: number) {
    const user = currentUser(c);
    const lastRoomId = optional(positiveId, getCookie(c, LAST_ROOM_COOKIE));
    const lastRoom = lastRoomId ? findRoomFor(ctx, user, lastRoomId) : null;
    const parsed = refused ? { error: refused } : parseSearch(text);
    // Text with neither words nor filters ("?!") finds nothing, calmly; an empty box asks nothing.
    const outcome =
      "error" in parsed
        ? parsed
        : asksForSomething(parsed.query)
          ? searchMessages(ctx, user, parsed.query, { before })
          : text
            ? { results: [], more: false }
            : null;
    const error = outcome && "error" in outcome ? outcome.error : undefined;
    const frame = pageFrame(ctx, user);
    return c.html(
      searchPageHtml({
        ...frame,
        view: {
          query: text,
          found: outcome && !("error" in outcome) ? { ...outcome, older: before !== undefined } : null,
          recent: recentSearches(ctx, user.id),
          back: lastRoom ? { href: `/rooms/${lastRoom.id}`, name: roomNameFor(ctx, lastRoom, user.id) } : { href: "/", name: "your rooms" },
          error,
        },
      }).text,
      error ? 422 : 200,
    );
  }

  /** "More results": the next page after `before`, as list items and the next link, for htmx to put in place of the link. */
  function renderMore(c: Context<AppEnv>, text: string, before: number) {
    const parsed = parseSearch(text);
    const outcome = "error" in parsed ? parsed : searchMessages(ctx, currentUser(c), parsed.query, { before });
    if ("error" in outcome) return c.text(outcome.error, 422);
    return c.html(moreResultsHtml(text, outcome).text);
  }

  return new Hono<AppEnv>()
    .use("/searches/*", requireUser)
    .get(
      "/searches",
      zValidator("query", searchQuery, (result, c) => {
        if (!result.success) return renderSearch(c as Context<AppEnv>, "", result.error.issues[0]?.message);
      }),
      (c) => {
        const { q, before } = c.req.valid("query");
        return before !== undefined && isHtmx(c) ? renderMore(c, q, before) : renderSearch(c, q, undefined, before);
      },
    )
    .post(
      "/searches",
      validForm(searchForm, (c, values, error) => renderSearch(c, values.q ?? "", error)),
      (c) => {
        const { q } = c.req.valid("form");
        const parsed = parseSearch(q);
        if ("error" in parsed) return renderSearch(c, q);
        // Only searches that can find something become chips; "?!" would be a chip that never matches.
        if (asksForSomething(parsed.query)) recordSearch(ctx, currentUser(c).id, q);
        return redirectTo(c, searchUrl(q));
      },
    )
    .delete("/searches/clear", (c) => {
      clearSearches(ctx, currentUser(c).id);
      return redirectTo(c, "/searches");
    });
}
