import { afterEach, beforeEach, expect, test } from "bun:test";
import { createOpenRoom } from "../../src/rooms/rooms.ts";
import { findUser } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { addMember, MEMBER, signIn, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
beforeEach(async () => {
  ({ server, admin } = await startSetUpServer());
});
afterEach(() => server.close());

test("every response carries the strict Content-Security-Policy", async () => {
  for (const path of ["/rooms/1", "/session/new", "/no/such/page", "/up"]) {
    const csp = (await admin.get(path)).headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
  }
});

test("the room page gives Trix a nonce of its own for its <style>, new on every request, and no unsafe-inline", async () => {
  const nonces = [];
  for (let i = 0; i < 2; i++) {
    const response = await admin.get("/rooms/1");
    const csp = response.headers.get("content-security-policy")!;
    const inHeader = /style-src 'self' 'nonce-([0-9a-f]{32})'/.exec(csp)?.[1];
    const inPage = /<meta name="csp-nonce" content="([^"]+)"/.exec(await response.text())?.[1];
    expect(inHeader).toBeDefined();
    expect(inPage).toBe(inHeader!);
    expect(csp).not.toContain("unsafe-inline");
    nonces.push(inHeader);
  }
  expect(nonces[0]).not.toBe(nonces[1]);
});

test("answers without the editor name no nonce: their policy allows no <style> element at all", async () => {
  for (const path of ["/users/me/sidebar", "/rooms/1/messages", "/session/new", "/no/such/page", "/up"]) {
    const response = await admin.get(path);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain("nonce-");
    expect(await response.text()).not.toContain("csp-nonce");
  }
});

test("pages and fragments are never kept by shared caches or on disk; assets are cached for a year", async () => {
  await admin.post("/rooms/1/messages", { body: "hello" });
  for (const path of [
    "/rooms/1",
    "/rooms/1/messages",
    "/rooms/1/messages/1",
    "/account",
    "/searches?q=hello",
    "/users/me/sidebar",
    "/autocompletable/users",
    "/no/such/page",
  ]) {
    const response = await admin.get(path);
    expect({ path, cacheControl: response.headers.get("cache-control") }).toEqual({ path, cacheControl: "private, no-store" });
  }
  expect((await new Client(server.url).get("/session/new")).headers.get("cache-control")).toBe("private, no-store");
  const stylesheet = /href="(\/assets\/app-[^"]+\.css)"/.exec(await (await admin.get("/rooms/1")).text())![1]!;
  expect((await admin.get(stylesheet)).headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
});

test("pages have no inline scripts, event handlers or style attributes", async () => {
  for (const path of ["/rooms/1"]) {
    const html = await (await admin.get(path)).text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/hx-on/);
  }
  const signInPage = await (await new Client(server.url).get("/session/new")).text();
  expect(signInPage).not.toMatch(/\sstyle=|\son[a-z]+=/i);
});

test("the room page has the sidebar, the room and the composer", async () => {
  const html = await (await admin.get("/rooms/1")).text();
  expect(html).toContain('class="sidebar"');
  expect(html).toContain('id="room_1_messages"');
  expect(html).toContain('class="room__composer composer"');
  expect(html).toMatch(/<body class="app" data-user-id="1" data-user-name="Ada Admin" data-user-role="admin" data-sounds-muted="false">/);
});

test("CSS and JavaScript come from fingerprinted URLs cached for a year, gzipped when asked", async () => {
  const html = await (await admin.get("/rooms/1")).text();
  const urls = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  expect(urls.some((u) => /^\/assets\/app-[0-9a-z]+\.css$/.test(u))).toBe(true);
  expect(urls.some((u) => /^\/assets\/htmx-[0-9a-z]+\.js$/.test(u))).toBe(true);
  for (const url of urls) {
    const plain = await fetch(server.url + url, { headers: { "accept-encoding": "identity" } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const body = await plain.text();
    expect(body.length).toBeGreaterThan(100);
    const gzipped = await fetch(server.url + url, { headers: { "accept-encoding": "gzip" }, decompress: false } as RequestInit);
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
  }
  const htmx = await (await fetch(server.url + urls.find((u) => u.includes("htmx"))!)).text();
  expect(htmx).toContain("htmx");
  expect(htmx).toContain('defineExtension("ws"');
});

test("the browser code is served as one script bundled from assets/client: no imports, no types, nothing leaked to the page's globals", async () => {
  const html = await (await admin.get("/rooms/1")).text();
  const url = html.match(/src="(\/assets\/app-[0-9a-z]+\.js)"/)?.[1];
  expect(url).toBeDefined();
  const js = await (await fetch(server.url + url!)).text();
  expect(js.trimStart()).toStartWith("(() => {");
  expect(js.trimEnd()).toEndWith("})();");
  expect(js).not.toMatch(/^\s*(import|export)\b/m);
  expect(js).not.toContain(": HTMLElement");
  expect(js).toContain("htmx:wsBeforeMessage");
});

test("an asset name with the wrong fingerprint is a 404", async () => {
  expect((await admin.get("/assets/app-0000000000.css")).status).toBe(404);
});

test("a room the person is not a member of is a 404, as is a room that does not exist", async () => {
  const member = await addMember(server);
  const adminUser = findUser(server.db, 1)!;
  server.db.query("DELETE FROM memberships WHERE user_id = ?").run(member.id);
  const { client } = await signIn(server, MEMBER.email, MEMBER.password);
  expect((await client.get("/rooms/1")).status).toBe(404);
  expect((await client.get("/rooms/999")).status).toBe(404);
  expect((await client.get("/rooms/abc")).status).toBe(404);
  const other = createOpenRoom(server.db, adminUser, "Later room");
  expect((await client.get(`/rooms/${other.id}`)).status).toBe(200);
});

test("/ opens the room visited last, falling back to the first room", async () => {
  const adminUser = findUser(server.db, 1)!;
  const second = createOpenRoom(server.db, adminUser, "Second");
  expect((await admin.get(`/rooms/${second.id}`)).status).toBe(200);
  expect((await admin.get("/")).headers.get("location")).toBe(`/rooms/${second.id}`);
  admin.cookies.set("last_room", "999");
  expect((await admin.get("/")).headers.get("location")).toBe("/rooms/1");
});
