import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp } from "../../src/app.ts";
import { requireAdmin } from "../../src/http/authenticate.ts";
import type { Client } from "../helpers/client.ts";
import { startThreePersonServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let member: Client;
let memberId: number;
let thirdId: number;

beforeAll(async () => {
  const people = await startThreePersonServer();
  ({ server, member } = people);
  memberId = people.memberUser.id;
  thirdId = people.thirdUser.id;
});
afterAll(() => server?.close());

// Generated from the app's own route list: every route whose chain holds requireAdmin, or that a
// path-wide `use(…, requireAdmin)` covers (the bots pages). A new admin route is in this table the
// moment it exists, with no entry to forget.
const adminRoutes = () => {
  const routes = createApp(server.ctx).routes;
  const guardedPaths = routes.filter((route) => route.handler === requireAdmin && route.method === "ALL").map((route) => route.path);
  const covered = (path: string) =>
    guardedPaths.some((guard) => (guard.endsWith("/*") ? path.startsWith(guard.slice(0, -1)) : path === guard));
  const seen = new Set<string>();
  return routes
    .filter((route) => route.method !== "ALL" && (route.handler === requireAdmin || covered(route.path)))
    .map((route) => ({ method: route.method, path: route.path }))
    .filter((route) => !seen.has(`${route.method} ${route.path}`) && seen.add(`${route.method} ${route.path}`));
};

// Addresses under /account that members may use: the page itself (read-only for them) and what every page loads.
const OPEN_TO_MEMBERS = new Set(["GET /account", "GET /account/edit", "GET /account/logo", "GET /account/custom_styles.css"]);

const concrete = (path: string) => path.replace(":id", String(thirdId)).replace(/:\w+/g, "1");

describe("administrator-only routes", () => {
  test("the table holds every route marked requireAdmin (and the ones this issue added)", () => {
    const names = adminRoutes().map((route) => `${route.method} ${route.path}`);
    for (const expected of [
      "POST /account/join_code",
      "POST /account/logo",
      "POST /account/logo/removal",
      "GET /account/custom_styles",
      "POST /account/custom_styles",
      "GET /account/custom_styles/preview",
      "GET /account/audit",
      "POST /users/:id/role",
      "POST /users/:id/deactivation",
      "GET /users/:id/ban",
      "POST /users/:id/ban",
      "POST /users/:id/unban",
      "POST /users/:id/transfer",
      "GET /account/bots",
      "POST /account/bots",
      "GET /account/bots/:id/edit",
      "PATCH /account/bots/:id",
      "POST /account/bots/:id/key",
      "DELETE /account/bots/:id",
    ])
      expect(names).toContain(expected);
  });

  test("every administrator-only route answers a member with 403 and changes nothing", async () => {
    const routes = adminRoutes();
    const before = server.db.query("SELECT count(*) AS n FROM audit_log").get();
    for (const route of routes) {
      const response = await member.request(concrete(route.path), { method: route.method, form: route.method === "GET" ? undefined : {} });
      expect({ route, status: response.status }).toEqual({ route, status: 403 });
    }
    expect(server.db.query("SELECT count(*) AS n FROM audit_log").get()).toEqual(before);
    expect(server.db.query("SELECT status, role FROM users WHERE id = ?").get(thirdId)).toEqual({ status: "active", role: "member" });
  });

  test("every other route under /account is marked requireAdmin, unless it is one members may use", () => {
    const marked = new Set(adminRoutes().map((route) => `${route.method} ${route.path}`));
    const unmarked = createApp(server.ctx)
      .routes.filter((route) => route.method !== "ALL" && /^\/account(\/|$)/.test(route.path))
      .map((route) => `${route.method} ${route.path}`)
      .filter((name) => !marked.has(name) && !OPEN_TO_MEMBERS.has(name));
    expect(unmarked).toEqual([]);
  });

  test("a member's own pages stay open to them", async () => {
    expect((await member.get("/account")).status).toBe(200);
    expect((await member.get(`/users/${memberId}`)).status).toBe(200);
    expect((await member.get("/users/me/profile")).status).toBe(200);
  });
});
