import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Client } from "../helpers/client.ts";
import { startQuickSetUpServer } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
beforeAll(async () => {
  ({ server, admin } = await startQuickSetUpServer());
});
afterAll(() => server.close());

test("the manifest names the account, is standalone at /, and lists PNG icons (one maskable) and shortcuts", async () => {
  const response = await fetch(`${server.url}/webmanifest`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/manifest+json");
  const manifest = await response.json();
  expect(manifest).toMatchObject({ name: "Acme Chat", start_url: "/", scope: "/", display: "standalone" });
  expect(manifest.icons.map((icon: { sizes: string; purpose: string }) => `${icon.sizes} ${icon.purpose}`)).toEqual([
    "192x192 any",
    "512x512 any",
    "512x512 maskable",
  ]);
  expect(manifest.shortcuts.map((s: { name: string; url: string }) => [s.name, s.url])).toEqual([
    ["New chat room", "/rooms/new"],
    ["My profile", "/profile"],
  ]);
  expect(await (await fetch(`${server.url}/webmanifest.json`)).json()).toEqual(manifest);
});

test("before set-up the manifest still answers, named Campfire", async () => {
  const fresh = startTestServer();
  try {
    expect((await (await fetch(`${fresh.url}/webmanifest`)).json()).name).toBe("Campfire");
  } finally {
    await fresh.close();
  }
});

test("every icon is a PNG of the size the manifest says; other names are 404", async () => {
  const manifest = await (await fetch(`${server.url}/webmanifest`)).json();
  for (const icon of manifest.icons as { src: string; sizes: string }[]) {
    const response = await fetch(`${server.url}${icon.src}`);
    expect(response.headers.get("content-type")).toBe("image/png");
    const { width, height, format } = await new Bun.Image(new Uint8Array(await response.arrayBuffer())).metadata();
    expect(`${width}x${height}`).toBe(icon.sizes);
    expect(format).toBe("png");
  }
  for (const name of ["campfire-64.png", "campfire-maskable-192.png", "../campfire.svg"])
    expect((await fetch(`${server.url}/icons/${name}`)).status).toBe(404);
});

test("pages link the manifest; the CSP lets only this site's worker and manifest in", async () => {
  const response = await admin.get("/rooms/1");
  const html = await response.text();
  expect(html).toContain('<link rel="manifest" href="/webmanifest">');
  const csp = response.headers.get("content-security-policy")!;
  expect(csp).toContain("worker-src 'self'");
  expect(csp).toContain("manifest-src 'self'");
});

test("the service worker is served at /, never cached stale, and keeps exactly the page's hashed assets and the offline page", async () => {
  const response = await fetch(`${server.url}/service-worker.js`);
  expect(response.headers.get("content-type")).toStartWith("text/javascript");
  expect(response.headers.get("cache-control")).toBe("no-cache");
  const worker = await response.text();
  const shell = JSON.parse(/const CAMPFIRE_SHELL = (\{.*?\});/.exec(worker)![1]!);
  const page = await (await admin.get("/rooms/1")).text();
  for (const [, asset] of page.matchAll(/(?:href|src)="(\/assets\/[^"/]+)"/g)) expect(shell.assets).toContain(asset);
  expect(shell.offline).toBe("/offline");
  const offline = await fetch(`${server.url}/offline`);
  expect(offline.status).toBe(200);
  expect(await offline.text()).toContain("You&#39;re offline");
});
