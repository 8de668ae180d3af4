import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";
import { HttpError } from "./errors.tsx";
import { isBotApi } from "./request.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses unsafe requests that a browser sent from another site. Browsers always send Origin on
 * cross-origin POSTs and Sec-Fetch-Site on every request, so no token is needed in forms.
 */
export function csrfProtection(publicUrl?: string): MiddlewareHandler<AppEnv> {
  const publicOrigin = publicUrl ? new URL(publicUrl).origin : null;
  return async (c, next) => {
    // Bot calls carry their key in the path and no cookie (bot routes never read one), so a page on
    // another site can't borrow anyone's authority there; they are exempt from this and nothing else.
    if (SAFE_METHODS.has(c.req.method) || isBotApi(c)) return next();
    if (!fromThisSite(c, publicOrigin)) throw new HttpError(403, "This request came from another website, so it was refused.");
    return next();
  };
}

/** Whether the browser says the request came from one of our own pages. */
export function fromThisSite(c: Context<AppEnv>, publicOrigin: string | null): boolean {
  const origin = c.req.header("origin");
  return origin !== undefined && origin !== "null"
    ? origin === new URL(c.req.url).origin || origin === publicOrigin || sameHost(origin, c.req.header("host"))
    : c.req.header("sec-fetch-site") === "same-origin";
}

// Behind a TLS-terminating proxy the request URL says http:// while the browser's Origin says https://.
function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
