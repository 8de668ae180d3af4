import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { Actor } from "../audit/audit-log.ts";
import { resumeSession } from "../sessions/sessions.ts";
import type { User } from "../users/users.ts";
import type { AppContext, AppEnv } from "./env.ts";
import { HttpError, renderError } from "./errors.tsx";
import { clientIp, isHtmx, isHttps, wantsJson } from "./request.ts";
import { optional } from "./validate.tsx";

export const SESSION_COOKIE = "session_token";
// Browsers cap cookies at 400 days; the cookie is renewed whenever the session notes activity,
// so people who use Campfire stay signed in until they sign out.
const SESSION_COOKIE_MAX_AGE_S = 400 * 24 * 60 * 60;

export const clientInfo = (c: Context<AppEnv>) => ({
  ipAddress: clientIp(c),
  userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
});

/** Resolves the session cookie (if any) into `user` and `session` for the rest of the request. */
export function loadSession(ctx: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const resumed = token ? resumeSession(ctx, token, () => clientInfo(c)) : null;
    c.set("user", resumed?.user ?? null);
    c.set("session", resumed?.session ?? null);
    await next();
    if (token && resumed?.refreshed && c.get("session")) setSessionCookie(c, token);
  };
}

/** Pages send strangers to sign in (remembering the page for afterwards); htmx, JSON and API clients get a 401 they can act on. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("user")) return next();
  if (isHtmx(c)) c.header("HX-Redirect", "/session/new");
  if (isHtmx(c) || wantsJson(c)) return renderError(c, 401, "Please sign in first.");
  if (isPageVisit(c)) rememberWantedPage(c);
  return c.redirect("/session/new", 303);
};

/**
 * Administrators only; members get a 403. Every admin-only route lists this very function in its
 * own chain (not a path-wide `use`), so the route table test (test/http/admin-routes.test.ts) finds
 * each one in `app.routes` and checks that a member is refused.
 */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = c.get("user");
  if (!user) return requireUser(c, next);
  if (user.role !== "admin") throw new HttpError(403, "Only administrators can do that.");
  await next();
};

/** For addresses that only ever answer JSON (scripts call them with fetch): every refusal is JSON, whatever Accept says. */
export const requireUserForJson: MiddlewareHandler<AppEnv> = async (c, next) =>
  c.get("user") ? next() : c.json({ error: "Please sign in first." }, 401);

const WANTED_PAGE_COOKIE = "return_to";
// Someone who wanders off before signing in should not be sent somewhere stale the next day.
const WANTED_PAGE_MAX_AGE_S = 15 * 60;
const MAX_WANTED_PATH = 2000;

/**
 * A path on this site and nothing else: one leading slash, not followed by a second slash or a
 * backslash (browsers read both as another host), no control characters, and still this site
 * once resolved. Anything else is no place to send someone after signing in.
 */
const SITE = "http://campfire.invalid";
const localPathSchema = z
  .string()
  .max(MAX_WANTED_PATH)
  .regex(/^\/(?![/\\])/)
  .refine((value) => ![...value].some((char) => char <= "\u001f" || char === "\u007f"))
  .transform((value) => new URL(value, SITE))
  .refine((url) => url.origin === SITE)
  .transform((url) => url.pathname + url.search);

export const localPath = (value: string | undefined): string | null => optional(localPathSchema, value) ?? null;

/**
 * A person opening a page, not a script fetching a fragment (older messages, the sidebar) after the
 * session ended: landing on a bare fragment after signing in would be worse than landing home.
 * Browsers say which with Sec-Fetch-Mode; a client that doesn't send it is taken at its word.
 */
const isPageVisit = (c: Context<AppEnv>): boolean =>
  c.req.method === "GET" && (c.req.header("sec-fetch-mode") ?? "navigate") === "navigate";

function rememberWantedPage(c: Context<AppEnv>): void {
  const url = new URL(c.req.url);
  const path = localPath(url.pathname + url.search);
  if (path && path !== "/")
    setCookie(c, WANTED_PAGE_COOKIE, path, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: isHttps(c),
      maxAge: WANTED_PAGE_MAX_AGE_S,
    });
}

/** Where a person who just signed in was going (a page on this site), or home; asked once. */
export function takeWantedPage(c: Context<AppEnv>): string {
  const remembered = getCookie(c, WANTED_PAGE_COOKIE);
  if (remembered === undefined) return "/";
  const wanted = localPath(remembered);
  deleteCookie(c, WANTED_PAGE_COOKIE, { path: "/", httpOnly: true, sameSite: "Lax", secure: isHttps(c) });
  return wanted ?? "/";
}

/** The signed-in user of a route behind `requireUser`. */
export const currentUser = (c: Context<AppEnv>): User => c.get("user")!;

/** The administrator of a route behind `requireAdmin`, and their address, as the audit log records them. */
export const actorOf = (c: Context<AppEnv>): Actor => ({ user: currentUser(c), ip: clientIp(c) });

export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c),
    maxAge: SESSION_COOKIE_MAX_AGE_S,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "Lax", secure: isHttps(c) });
}
