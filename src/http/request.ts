import type { Context } from "hono";
import type { AppEnv } from "./env.ts";

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

function peerAddress(c: Context<AppEnv>): string | null {
  return c.env?.requestIP?.(c.req.raw)?.address ?? null;
}

/** Forwarding headers are believed only from a reverse proxy on this machine (Caddy, nginx). */
function fromLocalProxy(c: Context<AppEnv>): boolean {
  const peer = peerAddress(c);
  return peer !== null && LOOPBACK.test(peer);
}

/** The client's address: the peer, or the address a local reverse proxy saw. */
export function clientIp(c: Context<AppEnv>): string | null {
  const forwarded = fromLocalProxy(c) ? c.req.header("x-forwarded-for") : undefined;
  const last = forwarded?.split(",").at(-1)?.trim();
  return last || peerAddress(c);
}

export function isHttps(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return fromLocalProxy(c) && c.req.header("x-forwarded-proto") === "https";
}

export const isHtmx = (c: Context): boolean => c.req.header("hx-request") === "true";

export const wantsJson = (c: Context): boolean =>
  (c.req.header("accept") ?? "").includes("application/json") && !isHtmx(c);

/** 303 for a page; htmx follows HX-Redirect with a full navigation instead of swapping a page into a fragment. */
export function redirectTo(c: Context, location: string): Response {
  if (isHtmx(c)) {
    c.header("HX-Redirect", location);
    return c.body(null, 204);
  }
  return c.redirect(location, 303);
}
