import { hostname, networkInterfaces } from "node:os";
import type { Context } from "hono";
import type { Config } from "../config.ts";
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

/** The bot API (`/rooms/:room_id/:bot_key/messages…`): authenticated by the key in the path, answered in JSON. */
export const BOT_API_PATH = /^\/rooms\/[0-9]+\/[0-9]+-[A-Za-z0-9]+\/messages(?:\/|$)/;
export const isBotApi = (c: Context): boolean => BOT_API_PATH.test(c.req.path);

export const wantsJson = (c: Context): boolean =>
  isBotApi(c) || ((c.req.header("accept") ?? "").includes("application/json") && !isHtmx(c));

/** 303 for a page; htmx follows HX-Redirect with a full navigation instead of swapping a page into a fragment. */
export function redirectTo(c: Context, location: string): Response {
  if (isHtmx(c)) {
    c.header("HX-Redirect", location);
    return c.body(null, 204);
  }
  return c.redirect(location, 303);
}

const ALL_INTERFACES = new Set(["0.0.0.0", "::", "[::]"]);

const interfaceAddresses = () => Object.values(networkInterfaces()).flatMap((addresses) => addresses ?? []);

/** The names this machine answers to on `listeningOn`: its interface addresses, localhost and its host name. */
function ownHostnames(listeningOn: string): Set<string> {
  const interfaces = interfaceAddresses();
  const names = new Set([
    "localhost",
    hostname(),
    ...interfaces.map(({ address, family }) => (family === "IPv6" ? `[${address}]` : address)),
  ]);
  return ALL_INTERFACES.has(listeningOn) ? names : new Set([listeningOn, "localhost"]);
}

/**
 * This server's origin for links people take elsewhere (the join link): CAMPFIRE_URL, or the
 * request's own address when it names this machine on the port we listen on. The Host header is
 * the client's to write, so a forged one ("evil.example") must never end up in a link that an
 * administrator hands out; then the machine's own address is used.
 */
export function ownOrigin(c: Context<AppEnv>, config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const protocol = isHttps(c) || config.tls ? "https:" : "http:";
  const port = c.env.port ?? config.port;
  const requested = new URL(c.req.url);
  const requestedPort = requested.port || (requested.protocol === "https:" ? "443" : "80");
  const names = ownHostnames(config.host);
  if (names.has(requested.hostname) && requestedPort === String(port)) return `${protocol}//${requested.host}`;
  const lanAddress = interfaceAddresses().find(({ internal, family }) => !internal && family === "IPv4")?.address;
  const fallback = ALL_INTERFACES.has(config.host) ? (lanAddress ?? "localhost") : config.host;
  return `${protocol}//${fallback.includes(":") && !fallback.startsWith("[") ? `[${fallback}]` : fallback}:${port}`;
}
