import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { recordAdminAction } from "../../src/audit/audit-log.ts";
import { TRANSFER_VALID_MS } from "../../src/sessions/transfers.ts";
import { Client } from "../helpers/client.ts";
import { ADMIN, createRoom, MEMBER, postMessage, signIn, startThreePersonServer, type ThreePeople } from "../helpers/fixtures.ts";
import { frameOf, messageIdFrom, openSocket } from "../helpers/socket.ts";

let people: ThreePeople;
beforeEach(async () => {
  people = await startThreePersonServer();
});
afterEach(() => people.server.close());

const auditActions = () =>
  people.server.db
    .query<{ action: string; subject: number | null }, []>("SELECT action, subject_id AS subject FROM audit_log ORDER BY id")
    .all();

/** A member signed in from a public address (through the local proxy's X-Forwarded-For), as a ban would see them. */
async function memberFrom(ip: string): Promise<Client> {
  const client = new Client(people.server.url);
  const response = await client.post("/session", { email_address: MEMBER.email, password: MEMBER.password }, { "x-forwarded-for": ip });
  expect(response.status).toBe(303);
  return client;
}

describe("roles", () => {
  test("an administrator makes a member an administrator and back; each change is in the audit log", async () => {
    const { server, admin, memberUser } = people;
    expect((await admin.post(`/users/${memberUser.id}/role`, { role: "admin" })).status).toBe(303);
    expect(server.db.query("SELECT role FROM users WHERE id = ?").get(memberUser.id)).toEqual({ role: "admin" });
    expect((await people.member.get("/account/audit")).status).toBe(200);
    expect((await admin.post(`/users/${memberUser.id}/role`, { role: "member" })).status).toBe(303);
    expect(auditActions()).toEqual([
      { action: "role_changed", subject: memberUser.id },
      { action: "role_changed", subject: memberUser.id },
    ]);
  });

  test("nobody changes their own role, and the last administrator can't be demoted, deactivated or banned", async () => {
    const { server, admin, adminUser, memberUser } = people;
    const own = await admin.post(`/users/${adminUser.id}/role`, { role: "member" });
    expect(own.status).toBe(422);
    expect(await own.text()).toContain("your own role");
    // Two administrators: one may deactivate the other. Then the one left is the last.
    await admin.post(`/users/${memberUser.id}/role`, { role: "admin" });
    const promoted = (await signIn(server, MEMBER.email, MEMBER.password)).client;
    expect((await promoted.post(`/users/${adminUser.id}/deactivation`, {})).status).toBe(303);
    for (const action of ["deactivation", "ban"]) {
      const refused = await promoted.post(`/users/${memberUser.id}/${action}`, {});
      expect(refused.status).toBe(422);
    }
    expect(await (await promoted.post(`/users/${memberUser.id}/deactivation`, {})).text()).toContain("last administrator");
    expect(server.db.query("SELECT status, role FROM users WHERE id = ?").get(memberUser.id)).toEqual({ status: "active", role: "admin" });
  });

  test("a role change takes effect on the person's next request", async () => {
    const { admin, member, memberUser } = people;
    expect((await member.get("/account/audit")).status).toBe(403);
    await admin.post(`/users/${memberUser.id}/role`, { role: "admin" });
    expect((await member.get("/account/audit")).status).toBe(200);
  });
});

describe("deactivation", () => {
  test("ends sessions, closes sockets, leaves rooms, keeps messages marked deactivated and frees the email", async () => {
    const { server, admin, member, memberUser, third } = people;
    const closed = await createRoom(admin, "closeds", { name: "Inner circle", user_ids: [memberUser.id] });
    const direct = await createRoom(third, "directs", { user_ids: [memberUser.id] });
    const posted = await postMessage(member, 1, "I was here");
    await postMessage(third, 1, `Thanks @${MEMBER.name}`);
    const messageId = messageIdFrom(posted);
    const tab = await openSocket(server, member);
    const watcher = await openSocket(server, admin);
    await watcher.enter(1);
    // Found once before, so the author's name is what a search kept.
    expect(await (await admin.get("/searches?q=here")).text()).toContain(`<span class="search-result__author">${MEMBER.name}</span>`);

    expect((await admin.post(`/users/${memberUser.id}/deactivation`, {})).status).toBe(303);

    expect((await tab.closed).code).toBe(4401);
    expect((await member.get("/users/me/profile")).status).toBe(303);
    expect(server.db.query("SELECT status, email_address AS email FROM users WHERE id = ?").get(memberUser.id)).toEqual({
      status: "deactivated",
      email: null,
    });
    expect(server.db.query("SELECT count(*) AS n FROM memberships WHERE user_id = ?").get(memberUser.id)).toEqual({ n: 0 });
    expect(server.db.query("SELECT count(*) AS n FROM sessions WHERE user_id = ?").get(memberUser.id)).toEqual({ n: 0 });
    expect((await member.get(`/rooms/${closed}`)).status).toBe(303);
    // Their message stays, under their name marked as deactivated, on pages and on open screens.
    const frame = await watcher.waitFor(frameOf("person"));
    expect(frame).toContain(`data-name="${MEMBER.name} (deactivated)"`);
    const room = await (await admin.get("/rooms/1")).text();
    expect(room).toContain(`id="message_${messageId}"`);
    expect(room).toContain(`<span class="message__author">${MEMBER.name} (deactivated)</span>`);
    // Mentions of them say so too, as the live frame made them say.
    expect(room).toContain(`data-user-id="${memberUser.id}">@${MEMBER.name} (deactivated)</span>`);
    // Search results name them as their messages do.
    const results = await (await admin.get("/searches?q=here")).text();
    expect(results).toContain(`<span class="search-result__author">${MEMBER.name} (deactivated)</span>`);
    // The direct room stays with the other person; the deactivated one has left it.
    expect((await third.get(`/rooms/${direct}`)).status).toBe(200);
    expect(server.db.query("SELECT count(*) AS n FROM memberships WHERE room_id = ?").get(direct)).toEqual({ n: 1 });
    // The email address is free for someone new, and the old password opens nothing.
    expect((await signIn(server, MEMBER.email, MEMBER.password)).response.status).toBe(401);
    const joinCode = server.db.query<{ code: string }, []>("SELECT join_code AS code FROM accounts").get()!.code;
    const again = await new Client(server.url).post(`/join/${joinCode}`, {
      name: "Milo Again",
      email_address: MEMBER.email,
      password: "another long password",
    });
    expect(again.status).toBe(303);
    expect(auditActions()).toContainEqual({ action: "person_deactivated", subject: memberUser.id });
    watcher.close();
  });
});

describe("bans", () => {
  test("the confirmation shows the addresses and who else uses them; loopback is never banned", async () => {
    const { server, admin, memberUser } = people;
    await memberFrom("203.0.113.7");
    await new Client(server.url).post(
      "/session",
      { email_address: "tess@example.com", password: "tess's long password" },
      { "x-forwarded-for": "203.0.113.7" },
    );
    server.db.query("UPDATE users SET name = 'Third, Tess' WHERE email_address = 'tess@example.com'").run();
    const html = await (await admin.get(`/users/${memberUser.id}/ban`)).text();
    expect(html).toContain("203.0.113.7");
    expect(html).toContain("Also used by Third, Tess:");
    expect(html).not.toContain("<code>127.0.0.1</code>");
  });

  test("ends sessions and sockets, removes their messages live for everyone, and refuses every non-GET from their addresses with 429", async () => {
    const { server, admin, memberUser } = people;
    const banned = await memberFrom("203.0.113.7");
    const first = messageIdFrom(await postMessage(banned, 1, "spam one"));
    const second = messageIdFrom(await postMessage(banned, 1, "spam two"));
    const tab = await openSocket(server, banned);
    const watcher = await openSocket(server, admin);
    await watcher.enter(1);

    expect((await admin.post(`/users/${memberUser.id}/ban`, {})).status).toBe(303);

    expect((await tab.closed).code).toBe(4401);
    const removed = await watcher.waitFor((f) => frameOf("message-removed", 1)(f) && f.includes(`data-message-id="${second}"`));
    expect(removed).toBeTruthy();
    expect(watcher.frames.some((f) => f.includes(`data-message-id="${first}"`) && frameOf("message-removed")(f))).toBe(true);
    const room = await (await admin.get("/rooms/1")).text();
    expect(room).not.toContain("spam one");
    expect(room).not.toContain("spam two");
    expect(server.db.query("SELECT status FROM users WHERE id = ?").get(memberUser.id)).toEqual({ status: "banned" });
    expect(server.db.query("SELECT ip_address AS ip FROM bans WHERE user_id = ?").all(memberUser.id)).toEqual([{ ip: "203.0.113.7" }]);

    // From that address: signing in again, joining, posting: 429. Reading still works.
    const stranger = new Client(server.url);
    const signInAgain = await stranger.post(
      "/session",
      { email_address: ADMIN.email, password: ADMIN.password },
      { "x-forwarded-for": "203.0.113.7" },
    );
    expect(signInAgain.status).toBe(429);
    expect((await stranger.get("/session/new", { "x-forwarded-for": "203.0.113.7" })).status).toBe(200);
    // Other addresses are untouched.
    expect((await postMessage(admin, 1, "still here")).status).toBe(201);
    expect(auditActions()).toContainEqual({ action: "person_banned", subject: memberUser.id });
    watcher.close();
  });

  test("unban frees the addresses and lets the person sign in; their messages stay deleted", async () => {
    const { server, admin, memberUser } = people;
    const banned = await memberFrom("203.0.113.8");
    await postMessage(banned, 1, "before the ban");
    await admin.post(`/users/${memberUser.id}/ban`, {});
    expect(server.db.query("SELECT count(*) AS n FROM messages WHERE creator_id = ?").get(memberUser.id)).toEqual({ n: 0 });
    expect((await admin.post(`/users/${memberUser.id}/unban`, {})).status).toBe(303);
    const back = await memberFrom("203.0.113.8");
    expect((await postMessage(back, 1, "after the ban")).status).toBe(201);
    expect(server.db.query("SELECT count(*) AS n FROM messages WHERE creator_id = ?").get(memberUser.id)).toEqual({ n: 1 });
    expect(auditActions().map((entry) => entry.action)).toEqual(["person_banned", "person_unbanned"]);
  });
});

test("a deactivated person can't be banned, so lifting a ban can never bring them back", async () => {
  const { server, admin, memberUser } = people;
  await admin.post(`/users/${memberUser.id}/deactivation`, {});
  expect((await admin.post(`/users/${memberUser.id}/ban`, {})).status).toBe(422);
  await admin.post(`/users/${memberUser.id}/unban`, {});
  expect(server.db.query("SELECT status FROM users WHERE id = ?").get(memberUser.id)).toEqual({ status: "deactivated" });
});

describe("the audit log", () => {
  test("lists who did what to whom, when and from where, and refuses edits and deletions", async () => {
    const { server, admin, memberUser } = people;
    await admin.post(`/users/${memberUser.id}/role`, { role: "admin" }, { "x-forwarded-for": "198.51.100.4" });
    await admin.post("/account/join_code", {});
    const html = await (await admin.get("/account/audit")).text();
    expect(html).toContain("changed the role of");
    expect(html).toContain(MEMBER.name);
    expect(html).toContain("198.51.100.4");
    expect(html).toContain("made a new join link");
    expect(() => server.db.run("UPDATE audit_log SET action = 'nothing'")).toThrow("append-only");
    expect(() => server.db.run("DELETE FROM audit_log")).toThrow("append-only");
    expect(auditActions()).toHaveLength(2);
  });

  test("recordAdminAction is the one function other modules call (bot keys)", () => {
    const { server, adminUser } = people;
    recordAdminAction(server.db, { actorId: adminUser.id, action: "bot_key_regenerated", details: { bot: "Robo" }, ip: "192.0.2.1" });
    expect(server.db.query("SELECT action, details, ip_address AS ip FROM audit_log").get()).toEqual({
      action: "bot_key_regenerated",
      details: '{"bot":"Robo"}',
      ip: "192.0.2.1",
    });
  });
});

describe("transfer links", () => {
  const tokenIn = (html: string) => /\/session\/transfers\/([\w-]{43})/.exec(html)![1]!;

  test("signs in once on another device, shows a QR code, and is refused the second time", async () => {
    const { server, member, memberUser } = people;
    const page = await (await member.post("/users/me/transfer", {})).text();
    expect(page).toContain('<svg class="qr-code"');
    expect(page).not.toMatch(/<svg[\s\S]*?style=/);
    const token = tokenIn(page);
    expect(server.db.query("SELECT count(*) AS n FROM session_transfers WHERE token_digest = ?").get(token)).toEqual({ n: 0 });
    const phone = new Client(server.url);
    // Opening the link only asks; a link previewer fetching it doesn't use it up.
    expect(await (await phone.get(`/session/transfers/${token}`)).text()).toContain("Sign in here");
    const used = await phone.post(`/session/transfers/${token}`, {});
    expect(used.status).toBe(303);
    expect(await (await phone.get("/users/me/profile")).text()).toContain(`value="${MEMBER.name}"`);
    expect((await new Client(server.url).post(`/session/transfers/${token}`, {})).status).toBe(400);
    expect(server.db.query("SELECT count(*) AS n FROM sessions WHERE user_id = ?").get(memberUser.id)).toEqual({ n: 2 });
  });

  test("expires after 4 hours, and a guessed or malformed token is refused", async () => {
    const { server, member } = people;
    const token = tokenIn(await (await member.post("/users/me/transfer", {})).text());
    server.db.query("UPDATE session_transfers SET expires_at = expires_at - ?").run(TRANSFER_VALID_MS);
    const phone = new Client(server.url);
    expect((await phone.post(`/session/transfers/${token}`, {})).status).toBe(400);
    expect((await phone.post(`/session/transfers/${"A".repeat(43)}`, {})).status).toBe(400);
    expect((await phone.post("/session/transfers/short", {})).status).toBe(400);
    expect(phone.cookies.has("session_token")).toBe(false);
  });

  test("an administrator makes one for a locked-out person, logged in the audit", async () => {
    const { server, admin, memberUser } = people;
    const token = tokenIn(await (await admin.post(`/users/${memberUser.id}/transfer`, {})).text());
    const phone = new Client(server.url);
    expect((await phone.post(`/session/transfers/${token}`, {})).status).toBe(303);
    expect(await (await phone.get("/users/me/profile")).text()).toContain(`value="${MEMBER.email}"`);
    expect(auditActions()).toEqual([{ action: "transfer_link_made", subject: memberUser.id }]);
  });
});
