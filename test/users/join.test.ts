import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { findAccount } from "../../src/accounts/accounts.ts";
import { createOpenRoom } from "../../src/rooms/rooms.ts";
import { findUserByEmail } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { ADMIN, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
beforeEach(async () => {
  ({ server, admin } = await startSetUpServer());
});
afterEach(() => server.close());

const NEWCOMER = { name: "Nora Newcomer", email_address: "nora@example.com", password: "nora's long password" };

const joinPath = () => `/join/${findAccount(server.ctx)!.joinCode}`;
const count = (table: string) => (server.db.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe("the join page", () => {
  test("shows the account name, the sign-up form and a link to sign in", async () => {
    const response = await new Client(server.url).get(joinPath());
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Join Acme Chat");
    for (const field of ["name", "email_address", "password"]) expect(html).toContain(`name="${field}"`);
    expect(html).toContain(`action="${joinPath()}"`);
    expect(html).toContain('href="/session/new"');
    expect(html).toContain("Sign in");
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i);
  });

  test("a wrong code is a 404 for the page and for the form", async () => {
    const visitor = new Client(server.url);
    const code = findAccount(server.ctx)!.joinCode;
    const otherCase = code.replace(/[a-z]/gi, (ch) => (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase()));
    const wrong = ["/join/nope-nope-nope", `/join/${"x".repeat(200)}`, `/join/${otherCase}`, `/join/${code}x`, `/join/${code.slice(1)}`];
    for (const path of wrong) {
      expect((await visitor.get(path)).status).toBe(404);
      expect((await visitor.post(path, NEWCOMER)).status).toBe(404);
    }
    expect(visitor.cookies.has("session_token")).toBe(false);
    expect(count("users")).toBe(1);
  });

  test("a wrong code with an invalid form is still a 404, saying nothing about the form", async () => {
    const response = await new Client(server.url).post("/join/nope-nope-nope", { name: "", email_address: "", password: "" });
    expect(response.status).toBe(404);
  });

  test("someone already signed in is sent home, and nobody is created", async () => {
    for (const response of [await admin.get(joinPath()), await admin.post(joinPath(), NEWCOMER)]) {
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/");
    }
    expect(count("users")).toBe(1);
  });
});

describe("joining with a good code", () => {
  test("creates an active member, signs them in and lands them in All Talk", async () => {
    const visitor = new Client(server.url);
    const response = await visitor.post(joinPath(), NEWCOMER);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    expect(visitor.cookies.get("session_token")).toBeTruthy();

    const user = findUserByEmail(server.db, NEWCOMER.email_address)!;
    expect(user).toMatchObject({ name: NEWCOMER.name, role: "member", status: "active" });

    const home = await visitor.get("/");
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/rooms/1");
    const room = await visitor.get("/rooms/1");
    expect(room.status).toBe(200);
    expect(await room.text()).toContain("All Talk");
  });

  test("the newcomer is a member of every open room", async () => {
    const adminUser = findUserByEmail(server.db, ADMIN.email)!;
    const watercooler = createOpenRoom(server.db, adminUser, "Watercooler");
    await new Client(server.url).post(joinPath(), NEWCOMER);

    const user = findUserByEmail(server.db, NEWCOMER.email_address)!;
    const rooms = server.db.query("SELECT room_id FROM memberships WHERE user_id = ? ORDER BY room_id").all(user.id) as {
      room_id: number;
    }[];
    expect(rooms.map((r) => r.room_id)).toEqual([1, watercooler.id]);
  });

  test("the newcomer can sign in later with their password, by any case of their email", async () => {
    await new Client(server.url).post(joinPath(), { ...NEWCOMER, email_address: "  Nora@Example.COM " });
    expect(findUserByEmail(server.db, "nora@example.com")?.emailAddress).toBe("nora@example.com");
    const response = await new Client(server.url).post("/session", { email_address: "NORA@example.com", password: NEWCOMER.password });
    expect(response.status).toBe(303);
  });

  test("an htmx request is told to navigate home", async () => {
    const response = await new Client(server.url).post(joinPath(), NEWCOMER, { "HX-Request": "true" });
    expect(response.status).toBe(204);
    expect(response.headers.get("hx-redirect")).toBe("/");
  });
});

describe("joining with an email address that is taken", () => {
  for (const email of [ADMIN.email, ADMIN.email.toUpperCase()]) {
    test(`${email} is sent to sign in with the address filled in, and nothing is written`, async () => {
      const visitor = new Client(server.url);
      const response = await visitor.post(joinPath(), { ...NEWCOMER, email_address: email });
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get("location")!, server.url);
      expect(location.pathname).toBe("/session/new");
      expect(location.searchParams.get("email_address")).toBe(ADMIN.email);
      expect(visitor.cookies.has("session_token")).toBe(false);
      expect(count("users")).toBe(1);

      const signInPage = await (await visitor.get(location.pathname + location.search)).text();
      expect(signInPage).toContain(`value="${ADMIN.email}"`);
    });
  }
});

describe("invalid join input", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["a missing name", { ...NEWCOMER, name: "  " }, "Please enter a name."],
    ["a name over 100 characters", { ...NEWCOMER, name: "x".repeat(101) }, "at most 100 characters"],
    ["a bad email", { ...NEWCOMER, email_address: "not-an-email" }, "doesn&#39;t look like an email address"],
    ["a short password", { ...NEWCOMER, password: "short" }, "at least 8 characters"],
  ];

  for (const [what, form, message] of cases) {
    test(`${what} answers 422 with the form, the message and what was typed, and writes nothing`, async () => {
      const visitor = new Client(server.url);
      const response = await visitor.post(joinPath(), form);
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain(message);
      expect(html).toContain("Join Acme Chat");
      expect(html).toContain(`action="${joinPath()}"`);
      if (form.name!.trim() && form.name!.length <= 100) expect(html).toContain(`value="${form.name}"`);
      expect(html).not.toContain(`value="${form.password}"`);
      expect(visitor.cookies.has("session_token")).toBe(false);
      expect(count("users")).toBe(1);
      expect(count("sessions")).toBe(1);
    });
  }

  test("an htmx request gets just the form back", async () => {
    const response = await new Client(server.url).post(joinPath(), { ...NEWCOMER, name: "" }, { "HX-Request": "true" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html.startsWith("<form")).toBe(true);
    expect(html).not.toContain("<html");
  });

  test("a POST from another website is refused with 403 and creates nobody", async () => {
    const response = await new Client(server.url).request(joinPath(), { method: "POST", form: NEWCOMER, origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(count("users")).toBe(1);
  });
});

describe("an old join link", () => {
  test("says the invitation has expired and to ask for a new one, not that the page is missing", async () => {
    const oldCode = findAccount(server.ctx)!.joinCode;
    expect((await admin.post("/account/join_code", {})).status).toBe(303);
    const visitor = new Client(server.url);
    for (const response of [await visitor.get(`/join/${oldCode}`), await visitor.post(`/join/${oldCode}`, NEWCOMER)]) {
      expect(response.status).toBe(404);
      const html = await response.text();
      expect(html).toContain("This invitation link has expired");
      expect(html).toContain("Ask whoever invited you for the current link.");
      expect(html).not.toContain("Page not found");
    }
    expect(count("users")).toBe(1);
  });
});

describe("joining with an address that already has an account", () => {
  test("the sign-in page it leads to says why, once", async () => {
    const visitor = new Client(server.url);
    const response = await visitor.post(joinPath(), { ...NEWCOMER, email_address: ADMIN.email });
    const signInPage = await (await visitor.get(response.headers.get("location")!)).text();
    expect(signInPage).toContain("That email address already has an account. Sign in with its password.");
    expect(signInPage).toMatch(/class="flash__message flash__message--notice" role="status"/);
    expect(await (await visitor.get("/session/new")).text()).not.toContain("already has an account");
  });
});
