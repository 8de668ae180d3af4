import { type Context, Hono } from "hono";
import htmx from "htmx.org/dist/htmx.min.js" with { type: "text" };
import htmxWebSocket from "htmx-ext-ws/dist/ws.min.js" with { type: "text" };
import trixCss from "trix/dist/trix.css" with { type: "text" };
import trix from "trix/dist/trix.umd.min.js" with { type: "text" };
import accountCss from "../../assets/css/account.css" with { type: "text" };
import baseCss from "../../assets/css/base.css" with { type: "text" };
import flashCss from "../../assets/css/flash.css" with { type: "text" };
import formsCss from "../../assets/css/forms.css" with { type: "text" };
import layoutCss from "../../assets/css/layout.css" with { type: "text" };
import linkPreviewCss from "../../assets/css/link-preview.css" with { type: "text" };
import messagesCss from "../../assets/css/messages.css" with { type: "text" };
import notificationsCss from "../../assets/css/notifications.css" with { type: "text" };
import peopleCss from "../../assets/css/people.css" with { type: "text" };
import roomCss from "../../assets/css/room.css" with { type: "text" };
import roomFormCss from "../../assets/css/room-form.css" with { type: "text" };
import searchCss from "../../assets/css/search.css" with { type: "text" };
import sidebarCss from "../../assets/css/sidebar.css" with { type: "text" };
import logoSvg from "../../assets/images/campfire.svg" with { type: "text" };
import { SOUND_PICTURES } from "../../assets/images/sound-pictures.ts";
import { emojiShortcodes } from "../messages/emoji.ts";
import { bundleClient } from "./client-bundle.ts";

// Set by build.ts for the executable only.
declare const CLIENT_BUNDLE: string | undefined;
declare const EMOJI_SHORTCODES: string | undefined;
const clientJs = typeof CLIENT_BUNDLE === "string" ? CLIENT_BUNDLE : await bundleClient({ minify: process.env.NODE_ENV === "production" });
const emojiJson = typeof EMOJI_SHORTCODES === "string" ? EMOJI_SHORTCODES : JSON.stringify(await emojiShortcodes());

// Every asset is embedded as text at build time, joined into a few bundles, and served from memory
// under a content-hashed name so browsers may cache it for a year.
const SOURCES: Record<string, string> = {
  "app.css": [
    trixCss,
    baseCss,
    layoutCss,
    formsCss,
    flashCss,
    sidebarCss,
    roomCss,
    messagesCss,
    roomFormCss,
    searchCss,
    accountCss,
    peopleCss,
    linkPreviewCss,
    notificationsCss,
  ].join("\n"),
  "htmx.js": `${htmx}\n${htmxWebSocket}`,
  // Only the room page loads Trix: it adds its <style> elements as soon as it runs, which needs the
  // page's nonce, and 200 KB is wasted on pages without a composer. (Its source map is not served.)
  "trix.js": trix.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, ""),
  "app.js": clientJs,
  "campfire.svg": logoSvg,
  // For the composer's :shortcode: completion, fetched the first time someone types ":" (≈ 40 KB, 12 KB gzipped).
  "emoji.json": emojiJson,
};

const CONTENT_TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  json: "application/json",
};

type Asset = { body: Uint8Array<ArrayBuffer>; gzipped: Uint8Array<ArrayBuffer>; contentType: string };

const byFingerprintedName = new Map<string, Asset>();
const fingerprinted = new Map<string, string>();

for (const [name, source] of Object.entries(SOURCES)) {
  const body = new TextEncoder().encode(source);
  const hash = Bun.hash(body).toString(36).slice(0, 10);
  const dot = name.lastIndexOf(".");
  const hashedName = `${name.slice(0, dot)}-${hash}${name.slice(dot)}`;
  fingerprinted.set(name, `/assets/${hashedName}`);
  byFingerprintedName.set(hashedName, {
    body,
    gzipped: Bun.gzipSync(body) as Uint8Array<ArrayBuffer>,
    contentType: CONTENT_TYPES[name.slice(dot + 1)]!,
  });
}

/** The cache-safe URL of an asset, e.g. assetPath("app.css") → "/assets/app-1x2y3z.css". */
export function assetPath(name: keyof typeof SOURCES): string {
  const path = fingerprinted.get(name);
  if (!path) throw new Error(`unknown asset ${name}`);
  return path;
}

/** Every asset's cache-safe URL: what the service worker keeps for offline use. */
export const allAssetPaths = (): string[] => [...fingerprinted.values()];

// The /play pictures keep one address, because stored messages name it (src/messages/sound-messages.ts).
const SOUND_PICTURE_MAX_AGE_S = 24 * 60 * 60;
const soundPictures = new Map(Object.entries(SOUND_PICTURES).map(([name, svg]) => [`${name}.svg`, new TextEncoder().encode(svg)]));

/** Where a /play sound's picture is served; it never changes, so a stored message can hold it. */
export const soundPicturePath = (name: string): string => `/assets/sounds/${name}.svg`;

function soundPicture(c: Context) {
  const picture = soundPictures.get(c.req.param("file")!);
  if (!picture) return c.text("Not found", 404);
  return c.body(picture, 200, { "Content-Type": CONTENT_TYPES.svg!, "Cache-Control": `public, max-age=${SOUND_PICTURE_MAX_AGE_S}` });
}

export const assetRoutes = new Hono().get("/assets/sounds/:file", soundPicture).get("/assets/:name", (c) => {
  const asset = byFingerprintedName.get(c.req.param("name"));
  if (!asset) return c.text("Not found", 404);
  const gzip = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
  const headers: Record<string, string> = {
    "Content-Type": asset.contentType,
    "Cache-Control": "public, max-age=31536000, immutable",
    Vary: "Accept-Encoding",
  };
  if (gzip) headers["Content-Encoding"] = "gzip";
  return new Response(gzip ? asset.gzipped : asset.body, { headers });
});
