import { afterEach, beforeEach, expect, test } from "bun:test";
import { Client } from "../helpers/client.ts";
import { ADMIN, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
beforeEach(async () => {
  ({ server, admin } = await startSetUpServer());
});
afterEach(() => server.close());

const signInFrom = (headers: Record<string, string>, origin: string | null) =>
  new Client(server.url).request("/session", {
    method: "POST",
    form: { email_address: ADMIN.email, password: ADMIN.password },
    headers,
    origin,
  });

test("a POST from another website is refused with 403 and does nothing", async () => {
  const response = await signInFrom({}, "https://evil.example");
  expect(response.status).toBe(403);
  expect(await response.text()).toContain("came from another website");
  expect(response.headers.getSetCookie()).toEqual([]);
});

test("a POST with neither Origin nor Sec-Fetch-Site is refused", async () => {
  expect((await signInFrom({}, null)).status).toBe(403);
});

test("a POST marked cross-site by the browser is refused", async () => {
  expect((await signInFrom({ "Sec-Fetch-Site": "cross-site" }, null)).status).toBe(403);
});

test("an opaque Origin (null) is refused", async () => {
  expect((await signInFrom({}, "null")).status).toBe(403);
});

test("a same-origin POST passes, by Origin or by Sec-Fetch-Site", async () => {
  expect((await signInFrom({}, server.url)).status).toBe(303);
  expect((await signInFrom({ "Sec-Fetch-Site": "same-origin" }, null)).status).toBe(303);
});

test("a DELETE from another website cannot sign someone out", async () => {
  const response = await admin.request("/session", { method: "DELETE", origin: "https://evil.example" });
  expect(response.status).toBe(403);
  expect((await admin.get("/rooms/1")).status).toBe(200);
});
