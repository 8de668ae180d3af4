import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { SESSION_MEMORY_MS } from "../../src/cache/read-cache.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { setClock, useRealClock } from "../../src/db/time.ts";
import { createOpenRoom } from "../../src/rooms/rooms.ts";
import { databasePath } from "../../src/server.ts";
import { ACTIVITY_REFRESH_MS, digestToken, endAllSessions } from "../../src/sessions/sessions.ts";
import { SignInThrottle } from "../../src/sessions/throttle.ts";
import { findUserByEmail } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { ADMIN, addMember, MEMBER, signIn, startSetUpServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
beforeEach(async () => {
  ({ server } = await startSetUpServer());
});
afterEach(() => {
  useRealClock();
  return server.close();
});

const sessionCount = () => (server.db.query("SELECT count(*) AS n FROM sessions").get() as { n: number }).n;

describe("signing in", () => {
  test("the sign-in page names the account and the administrator to ask for help", async () => {
    const html = await (await new Client(server.url).get("/session/new")).text();
    expect(html).toContain("Acme Chat");
    expect(html).toContain(`mailto:${ADMIN.email}`);
  });

  test("good credentials start a session and set an HttpOnly, SameSite=Lax cookie", async () => {
    await addMember(server);
    const { client, response } = await signIn(server, MEMBER.email, MEMBER.password);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("session_token="))!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure");
    expect((await client.get("/")).status).toBe(303);
    expect((await client.get("/rooms/1")).status).toBe(200);
  });

  test("the email address is matched whatever its case", async () => {
    const { response } = await signIn(server, ADMIN.email.toUpperCase(), ADMIN.password);
    expect(response.status).toBe(303);
  });

  test("the cookie carries a random token of at least 32 bytes and only its digest is stored", async () => {
    const { client } = await signIn(server, ADMIN.email, ADMIN.password);
    const token = client.cookies.get("session_token")!;
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(32);
    const stored = server.db.query("SELECT token_digest FROM sessions").all() as { token_digest: string }[];
    expect(stored.map((s) => s.token_digest)).toContain(digestToken(token));
    expect(stored.map((s) => s.token_digest)).not.toContain(token);
  });

  test("the cookie is Secure when the request came over HTTPS through a local proxy", async () => {
    const client = new Client(server.url);
    const response = await client.post(
      "/session",
      { email_address: ADMIN.email, password: ADMIN.password },
      { "X-Forwarded-Proto": "https" },
    );
    expect(response.headers.getSetCookie().find((c) => c.startsWith("session_token="))).toContain("Secure");
  });

  test("a wrong password answers 401 with the form and a message, and sets no cookie", async () => {
    const before = sessionCount();
    const { client, response } = await signIn(server, ADMIN.email, "wrong password");
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain("don&#39;t match");
    expect(html).toContain(`value="${ADMIN.email}"`);
    expect(client.cookies.has("session_token")).toBe(false);
    expect(sessionCount()).toBe(before);
  });

  test("an unknown email address gets the same answer as a wrong password", async () => {
    const { response } = await signIn(server, "nobody@example.com", ADMIN.password);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("don&#39;t match");
  });

  test("a deactivated or banned person cannot sign in", async () => {
    const member = await addMember(server);
    for (const status of ["deactivated", "banned"]) {
      server.db.query("UPDATE users SET status = ? WHERE id = ?").run(status, member.id);
      const { response } = await signIn(server, MEMBER.email, MEMBER.password);
      expect(response.status).toBe(401);
    }
  });

  test("empty fields answer 422 with a message", async () => {
    const response = await new Client(server.url).post("/session", { email_address: "", password: "" });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("Please enter your email address.");
  });

  test("a signed-in person visiting the sign-in page is sent into the app", async () => {
    const { client } = await signIn(server, ADMIN.email, ADMIN.password);
    const response = await client.get("/session/new");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
  });
});

describe("throttling", () => {
  const fromIp = (ip: string, password: string) =>
    new Client(server.url).post("/session", { email_address: ADMIN.email, password }, { "X-Forwarded-For": ip });

  test("after 10 failures in 3 minutes an address gets 429, even with the right password, and others are unaffected", async () => {
    for (let i = 0; i < 10; i++) expect((await fromIp("203.0.113.7", "guess " + i)).status).toBe(401);

    const blocked = await fromIp("203.0.113.7", ADMIN.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain("Too many failed sign-in attempts");
    expect(blocked.headers.getSetCookie().some((c) => c.startsWith("session_token="))).toBe(false);

    expect((await fromIp("198.51.100.20", ADMIN.password)).status).toBe(303);
  });

  test("a burst of 60 concurrent wrong passwords from one address gets at most 10 password checks; the rest are 429", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => fromIp("203.0.113.8", "burst guess " + i).then((r) => r.status)),
    );
    const checked = statuses.filter((status) => status === 401).length;
    expect(checked).toBeLessThanOrEqual(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(60 - checked);
  });

  test("a right password does not count against the address", async () => {
    for (let i = 0; i < 12; i++) expect((await fromIp("203.0.113.9", ADMIN.password)).status).toBe(303);
  });

  test("failures from many addresses lock the account for a while, and an unknown address gets exactly the same answers", async () => {
    // A lower account limit than the default 20 keeps the test short; the counting is the same.
    server.ctx.signInThrottle = new SignInThrottle(undefined, { limit: 5, windowMs: 60_000 });
    const attempts = async (email: string) => {
      const answers: string[] = [];
      for (let i = 0; i < 7; i++) {
        const response = await new Client(server.url).post(
          "/session",
          { email_address: email, password: "guess " + i },
          { "X-Forwarded-For": `198.18.${i}.1` },
        );
        answers.push(`${response.status} ${response.headers.get("retry-after") !== null} ${(await response.text()).includes("Too many")}`);
      }
      return answers;
    };
    const known = await attempts(ADMIN.email);
    expect(known.slice(0, 5).every((answer) => answer.startsWith("401 false false"))).toBe(true);
    expect(known.slice(5)).toEqual(["429 true true", "429 true true"]);
    expect(await attempts("nobody@example.com")).toEqual(known);

    // Locked means even the right password waits, from an address that never failed.
    expect((await fromIp("192.0.2.77", ADMIN.password)).status).toBe(429);
  });

  test("a blocked address may sign in again once its failures are 3 minutes old", async () => {
    const start = Date.now();
    setClock(() => start);
    for (let i = 0; i < 10; i++) expect((await fromIp("203.0.113.7", `guess ${i}`)).status).toBe(401);

    setClock(() => start + 2 * 60_000);
    const blocked = await fromIp("203.0.113.7", ADMIN.password);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBe("60");

    setClock(() => start + 3 * 60_000);
    expect((await fromIp("203.0.113.7", ADMIN.password)).status).toBe(303);
  });
});

describe("sessions", () => {
  test("signing out ends the session on the server, so the old cookie no longer works", async () => {
    const { client } = await signIn(server, ADMIN.email, ADMIN.password);
    const token = client.cookies.get("session_token")!;
    const response = await client.request("/session", { method: "DELETE" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/session/new");
    expect(client.cookies.has("session_token")).toBe(false);
    expect(server.db.query("SELECT id FROM sessions WHERE token_digest = ?").get(digestToken(token))).toBeNull();

    const replay = new Client(server.url);
    replay.cookies.set("session_token", token);
    const page = await replay.get("/rooms/1");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/session/new");
  });

  test("ending all of a person's sessions (a password reset) locks out a cookie that was just used", async () => {
    const { client } = await signIn(server, ADMIN.email, ADMIN.password);
    expect((await client.get("/rooms/1")).status).toBe(200); // resolved, and so remembered for a moment
    const adminId = findUserByEmail(server.db, ADMIN.email)!.id;
    endAllSessions(server.db, adminId);
    server.ctx.cache.sessionsEnded(adminId); // as an in-server caller does after the write
    const page = await client.get("/rooms/1");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/session/new");
  });

  test("a password reset by another process (the CLI) locks out a remembered cookie within a second, whatever the clock says", async () => {
    const stopped = Date.now();
    setClock(() => stopped);
    const { client } = await signIn(server, ADMIN.email, ADMIN.password);
    expect((await client.get("/rooms/1")).status).toBe(200); // resolved, and so remembered for a moment
    const cli = openDatabase(databasePath(server.dataDir));
    endAllSessions(cli, findUserByEmail(cli, ADMIN.email)!.id);
    cli.close();
    await Bun.sleep(SESSION_MEMORY_MS + 100);
    expect((await client.get("/rooms/1")).headers.get("location")).toBe("/session/new");
  });

  test("signing out over htmx navigates to the sign-in page", async () => {
    const { client } = await signIn(server, ADMIN.email, ADMIN.password);
    const response = await client.request("/session", { method: "DELETE", headers: { "HX-Request": "true" } });
    expect(response.headers.get("hx-redirect")).toBe("/session/new");
  });

  test("a made-up cookie is treated as signed out", async () => {
    const client = new Client(server.url);
    client.cookies.set("session_token", "made-up");
    expect((await client.get("/rooms/1")).headers.get("location")).toBe("/session/new");
  });

  test("signed-out htmx and JSON requests get 401 instead of a redirect", async () => {
    const client = new Client(server.url);
    const htmx = await client.get("/rooms/1", { "HX-Request": "true" });
    expect(htmx.status).toBe(401);
    expect(htmx.headers.get("hx-redirect")).toBe("/session/new");
    const json = await client.get("/rooms/1", { Accept: "application/json" });
    expect(json.status).toBe(401);
    expect(await json.json()).toEqual({ error: "Please sign in first." });
  });

  test("last_active_at is refreshed only when it is a few minutes old", async () => {
    const { client } = await signIn(server, ADMIN.email, ADMIN.password);
    const digest = digestToken(client.cookies.get("session_token")!);
    const lastActive = () =>
      (server.db.query("SELECT last_active_at AS t FROM sessions WHERE token_digest = ?").get(digest) as { t: number }).t;
    const signedIn = lastActive();

    const quiet = await client.get("/rooms/1");
    expect(lastActive()).toBe(signedIn);
    expect(quiet.headers.getSetCookie().some((c) => c.startsWith("session_token="))).toBe(false);

    setClock(() => signedIn + ACTIVITY_REFRESH_MS + 1000);
    const renewed = await client.get("/rooms/1");
    expect(lastActive()).toBe(signedIn + ACTIVITY_REFRESH_MS + 1000);
    expect(renewed.headers.getSetCookie().some((c) => c.startsWith("session_token="))).toBe(true);
  });
});

describe("going where you were going", () => {
  /** A visitor with a remembered page, as the server left it when it sent them to sign in. */
  async function signInWith(returnTo: string | null): Promise<Response> {
    await addMember(server);
    const visitor = new Client(server.url);
    if (returnTo !== null) visitor.cookies.set("return_to", returnTo);
    return visitor.post("/session", { email_address: MEMBER.email, password: MEMBER.password });
  }

  test("a page opened while signed out is opened after signing in, once", async () => {
    await addMember(server);
    const roomId = createOpenRoom(server.db, findUserByEmail(server.db, ADMIN.email)!, "Second room").id;
    const visitor = new Client(server.url);
    const away = await visitor.get(`/rooms/${roomId}`);
    expect(away.status).toBe(303);
    expect(away.headers.get("location")).toBe("/session/new");

    const signedIn = await visitor.post("/session", { email_address: MEMBER.email, password: MEMBER.password });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe(`/rooms/${roomId}`);
    expect(visitor.cookies.has("return_to")).toBe(false);
  });

  test("a search's query comes along too", async () => {
    const visitor = new Client(server.url);
    await visitor.get("/searches?q=quarterly%20plans");
    await addMember(server);
    const signedIn = await visitor.post("/session", { email_address: MEMBER.email, password: MEMBER.password });
    expect(signedIn.headers.get("location")).toBe("/searches?q=quarterly%20plans");
  });

  test("over htmx, the page to go to is named in HX-Redirect", async () => {
    await addMember(server);
    const visitor = new Client(server.url);
    await visitor.get("/account");
    const signedIn = await visitor.post("/session", { email_address: MEMBER.email, password: MEMBER.password }, { "HX-Request": "true" });
    expect(signedIn.headers.get("hx-redirect")).toBe("/account");
  });

  for (const elsewhere of [
    "//evil.com",
    "https://evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "/\t/evil.com",
    "http:/evil.com",
    "javascript:alert(1)",
    "evil.com",
    "/" + "x".repeat(3000),
  ])
    test(`a remembered ${JSON.stringify(elsewhere.slice(0, 30))} is not followed: sign-in lands home`, async () => {
      const signedIn = await signInWith(elsewhere);
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get("location")).toBe("/");
    });

  test("a failed sign-in keeps the page for the next try", async () => {
    await addMember(server);
    const visitor = new Client(server.url);
    await visitor.get("/account");
    expect((await visitor.post("/session", { email_address: MEMBER.email, password: "wrong password" })).status).toBe(401);
    const signedIn = await visitor.post("/session", { email_address: MEMBER.email, password: MEMBER.password });
    expect(signedIn.headers.get("location")).toBe("/account");
  });

  test("a page asked for with a POST is not remembered", async () => {
    const visitor = new Client(server.url);
    await visitor.post("/account/join_code", {});
    expect(visitor.cookies.has("return_to")).toBe(false);
  });

  test("a fragment a script fetched after the session ended is not where sign-in lands", async () => {
    const visitor = new Client(server.url);
    await visitor.get("/rooms/1/messages?before=40", { "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" });
    expect(visitor.cookies.has("return_to")).toBe(false);
    await visitor.get("/account", { "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" });
    expect(decodeURIComponent(visitor.cookies.get("return_to")!)).toBe("/account");
  });
});
