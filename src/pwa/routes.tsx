/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { OfflinePage } from "../../templates/pwa/offline.tsx";
import { findAccount } from "../accounts/accounts.ts";
import { allAssetPaths } from "../http/assets.ts";
import { bundleClient } from "../http/client-bundle.ts";
import type { AppContext } from "../http/env.ts";
import { appIconPath, iconAt, manifestIcons } from "./icons.ts";

// Set by build.ts for the executable only.
declare const SERVICE_WORKER_BUNDLE: string | undefined;
const workerJs =
  typeof SERVICE_WORKER_BUNDLE === "string"
    ? SERVICE_WORKER_BUNDLE
    : await bundleClient({ minify: process.env.NODE_ENV === "production", entry: "worker" });

export const OFFLINE_PATH = "/offline";
const MANIFEST_TYPE = "application/manifest+json";
// Small, and it names the account: checked again now and then, never kept long.
const MANIFEST_MAX_AGE_S = 60 * 60;
const ICON_MAX_AGE_S = 24 * 60 * 60;

// The shell the worker keeps: every content-hashed asset and the offline page. Its version is the
// assets' names, so a new build (new hashes) is a new worker, which replaces the old cache.
const shell = { assets: allAssetPaths(), offline: OFFLINE_PATH };
const serviceWorker = `const CAMPFIRE_SHELL = ${JSON.stringify({ ...shell, version: Bun.hash(shell.assets.join()).toString(36) })};\n${workerJs}`;

/** The installable app: its manifest, service worker, offline page and icons. Public: a browser fetches them without cookies. */
export function pwaRoutes(ctx: AppContext) {
  const manifest = () => {
    const name = findAccount(ctx)?.name ?? "Campfire";
    return JSON.stringify({
      name,
      short_name: name.length > 12 ? "Campfire" : name,
      description: "A chat app from the makers of Basecamp and HEY.",
      id: "/",
      start_url: "/",
      scope: "/",
      display: "standalone",
      theme_color: "#ffffff",
      background_color: "#ffffff",
      categories: ["social", "business", "productivity"],
      icons: manifestIcons(),
      shortcuts: [
        { name: "New chat room", url: "/rooms/new", icons: [{ src: appIconPath(192), sizes: "192x192", type: "image/png" }] },
        { name: "My profile", url: "/profile", icons: [{ src: appIconPath(192), sizes: "192x192", type: "image/png" }] },
      ],
    });
  };
  const serveManifest = () =>
    new Response(manifest(), { headers: { "Content-Type": MANIFEST_TYPE, "Cache-Control": `public, max-age=${MANIFEST_MAX_AGE_S}` } });
  return new Hono()
    .get("/webmanifest", serveManifest)
    .get("/webmanifest.json", serveManifest)
    .get(
      "/service-worker.js",
      () =>
        // Browsers check a worker for updates themselves; no-cache makes each check reach the server.
        new Response(serviceWorker, { headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" } }),
    )
    .get(OFFLINE_PATH, (c) => c.html(<OfflinePage />))
    .get("/icons/:name", (c) => {
      const icon = iconAt(c.req.param("name"));
      if (!icon) return c.text("Not found", 404);
      return c.body(icon as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": "image/png",
        "Cache-Control": `public, max-age=${ICON_MAX_AGE_S}`,
      });
    });
}
