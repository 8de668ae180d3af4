import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";

// DESIGN.md principle 6: no inline scripts, handlers or style attributes anywhere. The one
// exception is the <style> element Trix adds for its editor, allowed by a nonce made per request
// (Trix reads it from <meta name="csp-nonce">); style attributes stay refused.
export const contentSecurityPolicy = (nonce: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    // blob: for the composer, which reads a video's width and height from the file before sending it.
    "media-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

/** Gives every request an id (echoed in a header and in error pages), the security headers and a private cache policy. */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  const requestId = crypto.randomUUID().slice(0, 8);
  const nonce = crypto.randomUUID().replaceAll("-", "");
  c.set("requestId", requestId);
  c.set("cspNonce", nonce);
  await next();
  c.res.headers.set("X-Request-Id", requestId);
  c.res.headers.set("Content-Security-Policy", contentSecurityPolicy(nonce));
  c.res.headers.set("X-Content-Type-Options", "nosniff");
  c.res.headers.set("Referrer-Policy", "same-origin");
  c.res.headers.set("X-Frame-Options", "DENY");
  // Served over HTTPS by us (TLS_CERT or TLS_DOMAIN): browsers should never try plain HTTP again.
  // Behind a proxy, the proxy owns this header.
  if (c.req.url.startsWith("https:")) c.res.headers.set("Strict-Transport-Security", "max-age=63072000");
  // Pages show one person's rooms and messages: no shared cache may keep them, nor the browser's disk
  // (a shared computer's next user). Assets say otherwise for themselves.
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "private, no-store");
};
