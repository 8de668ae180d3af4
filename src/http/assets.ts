import { type Context, Hono } from "hono";
import { SOUND_PICTURES } from "../../assets/images/sound-pictures.ts";
import type { AssetName } from "./asset-sources.ts";
import { ASSET_TABLE, type AssetEntry } from "./asset-table.ts";

const CONTENT_TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  json: "application/json",
};

const byFingerprintedName = new Map<string, AssetEntry & { contentType: string }>(
  ASSET_TABLE.map((asset) => [
    asset.hashedName,
    { ...asset, contentType: CONTENT_TYPES[asset.name.slice(asset.name.lastIndexOf(".") + 1)]! },
  ]),
);
const fingerprinted = new Map<string, string>(ASSET_TABLE.map((asset) => [asset.name, `/assets/${asset.hashedName}`]));

/** The cache-safe URL of an asset, e.g. assetPath("app.css") → "/assets/app-1x2y3z.css". */
export function assetPath(name: AssetName): string {
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
