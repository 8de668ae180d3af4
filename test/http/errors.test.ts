import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Client } from "../helpers/client.ts";
import { startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
beforeEach(async () => {
  ({ server, admin } = await startSetUpServer());
});
afterEach(() => server.close());

test("an unknown route answers a friendly 404 page", async () => {
  const response = await admin.get("/no/such/page");
  expect(response.status).toBe(404);
  expect(response.headers.get("content-type")).toContain("text/html");
  const html = await response.text();
  expect(html).toContain("Page not found");
  expect(html).toContain('href="/"');
});

test("a 404 for htmx is a flash fragment aimed at the flash area", async () => {
  const response = await admin.get("/no/such/page", { "HX-Request": "true" });
  expect(response.status).toBe(404);
  expect(response.headers.get("hx-retarget")).toBe("#flash");
  expect(await response.text()).not.toContain("<html");
});

test("a 404 for a JSON client is a JSON error", async () => {
  const response = await admin.get("/no/such/page", { Accept: "application/json" });
  expect(response.status).toBe(404);
  expect((await response.json()).error).toContain("couldn't find");
});

test("an unexpected error is logged with the request id and answered with a friendly 500 page", async () => {
  server.db.close(); // the database going away mid-flight is exactly the kind of fault nobody plans for
  const response = await admin.get("/rooms/1");
  expect(response.status).toBe(500);
  const requestId = response.headers.get("x-request-id")!;
  expect(requestId).toMatch(/^[0-9a-f]{8}$/);
  const html = await response.text();
  expect(html).toContain("Something went wrong");
  expect(html).toContain(requestId);
  expect(html).not.toContain("closed database"); // internals stay in the log
  const logged = server.logs.find((line) => line.startsWith("error request failed"))!;
  expect(logged).toContain(requestId);
  expect(logged).toContain("/rooms/1");
  expect(logged).toContain("closed database");
});
