import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { resumeSession } from "../sessions/sessions.ts";
import type { User } from "../users/users.ts";
import type { AppContext, AppEnv } from "./env.ts";
import { renderError } from "./errors.tsx";
import { clientIp, isHtmx, isHttps, wantsJson } from "./request.ts";

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

/** Pages send strangers to sign in; htmx, JSON and API clients get a 401 they can act on. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("user")) return next();
  if (isHtmx(c)) c.header("HX-Redirect", "/session/new");
  if (isHtmx(c) || wantsJson(c)) return renderError(c, 401, "Please sign in first.");
  return c.redirect("/session/new", 303);
};

/** The signed-in user of a route behind `requireUser`. */
export const currentUser = (c: Context<AppEnv>): User => c.get("user")!;

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
