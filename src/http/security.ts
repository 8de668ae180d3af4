import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";

// DESIGN.md principle 6: no inline scripts, handlers or style attributes anywhere. The one
// exception is the <style> element Trix adds for its editor, allowed by a nonce made per request
// (Trix reads it from <meta name="csp-nonce">); style attributes stay refused.
export const contentSecurityPolicy = (nonce?: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    nonce ? `style-src 'self' 'nonce-${nonce}'` : "style-src 'self'",
    "img-src 'self' data: blob:",
    // blob: for the composer, which reads a video's width and height from the file before sending it.
    "media-src 'self' blob:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

// Most answers have no editor, so they carry the policy without a nonce, the same every time.
const POLICY_WITHOUT_NONCE = contentSecurityPolicy();

/**
 * The request's nonce for Trix's <style>, made when a page with the editor asks for it: only
 * those pages' policy names one, and the rest skip making it (a random UUID per request).
 */
export function cspNonce(c: Context<AppEnv>): string {
  let nonce = c.get("cspNonce");
  if (nonce === undefined) c.set("cspNonce", (nonce = crypto.randomUUID().replaceAll("-", "")));
  return nonce;
}

/** Gives every request an id (echoed in a header and in error pages), the security headers and a private cache policy. */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  const requestId = crypto.randomUUID().slice(0, 8);
  c.set("requestId", requestId);
  await next();
  const headers = c.res.headers;
  const nonce = c.get("cspNonce");
  headers.set("X-Request-Id", requestId);
  headers.set("Content-Security-Policy", nonce === undefined ? POLICY_WITHOUT_NONCE : contentSecurityPolicy(nonce));
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "same-origin");
  headers.set("X-Frame-Options", "DENY");
  // Served over HTTPS by us (TLS_CERT or TLS_DOMAIN): browsers should never try plain HTTP again.
  // Behind a proxy, the proxy owns this header.
  if (c.req.url.startsWith("https:")) headers.set("Strict-Transport-Security", "max-age=63072000");
  // Pages show one person's rooms and messages: no shared cache may keep them, nor the browser's disk
  // (a shared computer's next user). Assets say otherwise for themselves.
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "private, no-store");
};
