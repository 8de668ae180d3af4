import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "./env.ts";
import { isHttps } from "./request.ts";

const NOTICE_COOKIE = "notice";
// Long enough to survive the redirect it rides on, short enough not to greet someone days later.
const NOTICE_MAX_AGE_S = 60;

/**
 * What the page after a redirect confirms ("Settings saved."). The cookie carries only one of these
 * keys, never the text, so nothing a visitor sets can put words on the page.
 */
export const NOTICES = {
  settings_saved: "Settings saved.",
  join_link_regenerated: "There's a new join link. The old one no longer works.",
  account_exists: "That email address already has an account. Sign in with its password.",
} as const;
export type NoticeKey = keyof typeof NOTICES;

/** Shows `key` once, on the next page that takes it. */
export function setNotice(c: Context<AppEnv>, key: NoticeKey): void {
  setCookie(c, NOTICE_COOKIE, key, { path: "/", httpOnly: true, sameSite: "Lax", secure: isHttps(c), maxAge: NOTICE_MAX_AGE_S });
}

/** The notice waiting for this page, if any; it is shown once and then forgotten. */
export function takeNotice(c: Context<AppEnv>): string | undefined {
  const key = getCookie(c, NOTICE_COOKIE);
  if (key === undefined) return undefined;
  deleteCookie(c, NOTICE_COOKIE, { path: "/", httpOnly: true, sameSite: "Lax", secure: isHttps(c) });
  return Object.hasOwn(NOTICES, key) ? NOTICES[key as NoticeKey] : undefined;
}
