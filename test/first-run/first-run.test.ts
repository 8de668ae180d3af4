import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { Client } from "../helpers/client.ts";
import { ADMIN, completeFirstRun } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let server: TestServer;
beforeEach(() => {
  server = startTestServer();
});
afterEach(() => server.close());

const count = (table: string) => (server.db.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe("before anyone exists", () => {
  test("every page redirects to the first-run form", async () => {
    const visitor = new Client(server.url);
    for (const path of ["/", "/session/new", "/rooms/1", "/no/such/page"]) {
      const response = await visitor.get(path);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/first_run");
    }
  });

  test("an htmx request is told to navigate to the first-run form", async () => {
    const response = await new Client(server.url).get("/", { "HX-Request": "true" });
    expect(response.headers.get("hx-redirect")).toBe("/first_run");
  });

  test("the health check and assets still answer", async () => {
    const visitor = new Client(server.url);
    expect((await visitor.get("/up")).status).toBe(200);
    const page = await (await visitor.get("/first_run")).text();
    const css = page.match(/href="(\/assets\/app-[^"]+\.css)"/)![1]!;
    expect((await visitor.get(css)).status).toBe(200);
  });

  test("the first-run page asks for the administrator's details", async () => {
    const response = await new Client(server.url).get("/first_run");
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const field of ["account_name", "name", "email_address", "password"]) expect(html).toContain(`name="${field}"`);
  });
});

describe("completing the first run", () => {
  test("creates the account, the administrator and an open room, and signs them in", async () => {
    const admin = await completeFirstRun(server, "Acme Chat");
    expect(admin.cookies.get("session_token")).toBeTruthy();

    expect(server.db.query("SELECT name FROM accounts").get()).toEqual({ name: "Acme Chat" });
    expect(server.db.query("SELECT name, email_address, role, status FROM users").all()).toEqual([
      { name: ADMIN.name, email_address: ADMIN.email, role: "admin", status: "active" },
    ]);
    expect(server.db.query("SELECT kind, name FROM rooms").all()).toEqual([{ kind: "open", name: "All Talk" }]);
    expect(count("memberships")).toBe(1);

    const home = await admin.get("/");
    expect(home.status).toBe(303);
    const room = await admin.get(home.headers.get("location")!);
    expect(room.status).toBe(200);
    const html = await room.text();
    expect(html).toContain("All Talk");
    expect(html).toContain(ADMIN.name);
  });

  test("names the account Campfire when no name is given and stores the email in lower case", async () => {
    const response = await new Client(server.url).post("/first_run", {
      name: "Bo",
      email_address: "  Bo@Example.COM ",
      password: "long enough password",
    });
    expect(response.status).toBe(303);
    expect(server.db.query("SELECT name FROM accounts").get()).toEqual({ name: "Campfire" });
    expect(server.db.query("SELECT email_address FROM users").get()).toEqual({ email_address: "bo@example.com" });
  });

  test("happens only once: afterwards the form is gone and a second POST is refused", async () => {
    await completeFirstRun(server);
    const stranger = new Client(server.url);

    const page = await stranger.get("/first_run");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/");

    const second = await stranger.post("/first_run", { name: "Mallory", email_address: "m@example.com", password: "another password" });
    expect(second.status).toBe(403);
    expect(await second.text()).toContain("already set up");
    expect(stranger.cookies.has("session_token")).toBe(false);
    expect(count("users")).toBe(1);
    expect(count("accounts")).toBe(1);
    expect(count("rooms")).toBe(1);
  });

  test("two first runs at once create exactly one administrator", async () => {
    const attempts = await Promise.all(
      ["one", "two", "three"].map((who) =>
        new Client(server.url).post("/first_run", { name: who, email_address: `${who}@example.com`, password: "racing password" }),
      ),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([303, 403, 403]);
    expect(count("users")).toBe(1);
    expect(count("rooms")).toBe(1);
  });
});

describe("invalid first-run input", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["a missing name", { name: "  ", email_address: "a@example.com", password: "long enough" }, "Please enter a name."],
    ["a bad email", { name: "Al", email_address: "not-an-email", password: "long enough" }, "doesn&#39;t look like an email address"],
    ["a short password", { name: "Al", email_address: "a@example.com", password: "short" }, "at least 8 characters"],
    [
      "a long account name",
      { account_name: "x".repeat(101), name: "Al", email_address: "a@example.com", password: "long enough" },
      "at most 100 characters",
    ],
  ];

  for (const [what, form, message] of cases) {
    test(`${what} answers 422 with the form, the message and what was typed, and writes nothing`, async () => {
      const response = await new Client(server.url).post("/first_run", form);
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain(message);
      expect(html).toContain('name="email_address"');
      if (form.name?.trim()) expect(html).toContain(`value="${form.name}"`);
      expect(html).not.toContain(`value="${form.password}"`);
      expect(count("users")).toBe(0);
      expect(count("accounts")).toBe(0);
      expect(count("rooms")).toBe(0);
    });
  }

  test("an htmx request gets just the form back", async () => {
    const response = await new Client(server.url).post(
      "/first_run",
      { name: "", email_address: "", password: "" },
      { "HX-Request": "true" },
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html.startsWith("<form")).toBe(true);
    expect(html).not.toContain("<html");
  });

  test("a malformed body is a 4xx with a message, never a 500", async () => {
    const response = await new Client(server.url).request("/first_run", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=nope" },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(count("users")).toBe(0);
  });
});
