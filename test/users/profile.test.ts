import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { saveSubscription } from "../../src/push/subscriptions.ts";
import { Client } from "../helpers/client.ts";
import { createRoom, MEMBER, postMessage, signIn, startThreePersonServer, type ThreePeople } from "../helpers/fixtures.ts";
import { frameOf, messageIdFrom, openSocket } from "../helpers/socket.ts";

let people: ThreePeople;
beforeEach(async () => {
  people = await startThreePersonServer();
});
afterEach(() => people.server.close());

const profileForm = (fields: Partial<Record<"name" | "bio" | "email_address", string>>) => ({
  name: MEMBER.name,
  bio: "",
  email_address: MEMBER.email,
  ...fields,
});

describe("my profile", () => {
  test("lists my notification devices with their test and remove buttons, and no one else's", async () => {
    const { server, member, memberUser, adminUser } = people;
    const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0";
    const mine = saveSubscription(
      server.ctx,
      memberUser.id,
      { endpoint: "https://push.example.com/mine", p256dhKey: "p", authKey: "a" },
      firefox,
    );
    saveSubscription(server.ctx, adminUser.id, { endpoint: "https://push.example.com/theirs", p256dhKey: "p", authKey: "a" }, null);
    const html = await (await member.get("/users/me/profile")).text();
    const devices = html.slice(html.indexOf('id="profile_notification_devices"'));
    expect(devices).toContain("Firefox on Linux");
    expect(devices).toContain(`hx-delete="/users/me/push_subscriptions/${mine.id}"`);
    expect(devices).toContain(`hx-post="/users/me/push_subscriptions/${mine.id}/test_notifications"`);
    expect(html).not.toContain("push.example.com/theirs");
  });

  test("shows my details, my rooms (hidden ones too), my sessions and a slot for notification devices", async () => {
    const { server, member, memberUser } = people;
    const hidden = await createRoom(people.admin, "closeds", { name: "Secret plans", user_ids: [memberUser.id] });
    await member.request(`/rooms/${hidden}/involvement`, { method: "PATCH", form: { involvement: "invisible" } });
    expect(server.db.query("SELECT involvement FROM memberships WHERE room_id = ? AND user_id = ?").get(hidden, memberUser.id)).toEqual({
      involvement: "invisible",
    });
    const html = await (await member.get("/users/me/profile")).text();
    expect(html).toContain(`value="${MEMBER.name}"`);
    expect(html).toContain(`value="${MEMBER.email}"`);
    expect(html).toContain("Secret plans");
    expect(html).toContain('data-involvement="invisible"');
    expect(html).toContain('id="profile_notification_devices"');
    expect(html).toContain("This device");
    expect(server.db.query("SELECT count(*) AS n FROM sessions WHERE user_id = ?").get(memberUser.id)).toEqual({ n: 1 });
  });

  test("saves name, bio and email; the new email signs in", async () => {
    const { server, member, memberUser } = people;
    const response = await member.post(
      "/users/me/profile",
      profileForm({ name: "Milo Renamed", bio: "Bakes bread.", email_address: "NEW@example.com" }),
    );
    expect(response.status).toBe(303);
    expect(server.db.query("SELECT name, bio, email_address AS email FROM users WHERE id = ?").get(memberUser.id)).toEqual({
      name: "Milo Renamed",
      bio: "Bakes bread.",
      email: "new@example.com",
    });
    expect((await signIn(server, "new@example.com", MEMBER.password)).response.status).toBe(303);
  });

  test("refuses another person's email, a bio over 200 characters and an empty name with 422, writing nothing", async () => {
    const { server, member, memberUser } = people;
    for (const fields of [{ email_address: "ada@example.com" }, { bio: "x".repeat(201) }, { name: " " }]) {
      const response = await member.post("/users/me/profile", profileForm(fields));
      expect(response.status).toBe(422);
      expect(await response.text()).toContain('class="form__error"');
    }
    expect(server.db.query("SELECT name, bio, email_address AS email FROM users WHERE id = ?").get(memberUser.id)).toEqual({
      name: MEMBER.name,
      bio: "",
      email: MEMBER.email,
    });
  });
});

describe("a rename", () => {
  test("reaches every place a name appears: open tabs get one frame, pages and kept pages show the new name", async () => {
    const { admin, member, memberUser, third } = people;
    // A message by Milo, one mentioning Milo, and a direct room with Milo: author, mention chip, sidebar.
    await postMessage(member, 1, "Hello from Milo");
    const greeting = messageIdFrom(await postMessage(third, 1, `Hi @${MEMBER.name}!`));
    expect((await member.post(`/messages/${greeting}/boosts`, { content: "👋" })).status).toBeLessThan(300);
    const direct = await createRoom(admin, "directs", { user_ids: [memberUser.id] });
    // The room page is kept in the read cache once rendered.
    expect(await (await admin.get("/rooms/1")).text()).toContain(MEMBER.name);
    const watcher = await openSocket(people.server, admin);
    await watcher.enter(1);
    const myTab = await openSocket(people.server, member);
    await myTab.enter(1);

    expect((await member.post("/users/me/profile", profileForm({ name: "Milo Newname" }))).status).toBe(303);

    const frame = await watcher.waitFor(frameOf("person"));
    expect(frame).toContain(`data-user-id="${memberUser.id}"`);
    expect(frame).toContain('data-name="Milo Newname"');
    expect(frame).toContain(">MN<"); // the initials face follows the name
    await myTab.waitFor(frameOf("person"));
    // "Here now" is rendered again with the new name.
    await watcher.waitFor((f) => f.includes("Here now") && f.includes("Milo Newname"));

    const room = await (await admin.get("/rooms/1")).text();
    expect(room).not.toContain(MEMBER.name);
    expect(room).toContain('<span class="message__author">Milo Newname</span>');
    expect(room).toContain(`<span class="mention" data-user-id="${memberUser.id}">@Milo Newname</span>`);
    expect(room).toMatch(/class="boost"[^>]*title="Milo Newname"/);
    const directPage = await (await admin.get(`/rooms/${direct}`)).text();
    expect(directPage).toContain("Milo Newname");
    // Typing from the renamed person's tab carries the new name.
    myTab.send({ type: "typing", room_id: 1, state: "start" });
    expect(await watcher.waitFor(frameOf("typing", 1))).toContain('data-user-name="Milo Newname"');
    watcher.close();
    myTab.close();
  });
});

describe("changing my password", () => {
  test("needs the current password; then signs out my other sessions and closes their sockets, keeping this one", async () => {
    const { server, member, memberUser } = people;
    const { client: phone } = await signIn(server, MEMBER.email, MEMBER.password);
    const phoneTab = await openSocket(server, phone);
    const thisTab = await openSocket(server, member);

    const wrong = await member.post("/users/me/password", { current_password: "not it", password: "a brand new password" });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain("current password isn");
    expect(phoneTab.isOpen).toBe(true);

    const changed = await member.post("/users/me/password", { current_password: MEMBER.password, password: "a brand new password" });
    expect(changed.status).toBe(200);
    expect((await phoneTab.closed).code).toBe(4401);
    expect((await phone.get("/users/me/profile")).status).toBe(303);
    expect((await member.get("/users/me/profile")).status).toBe(200);
    await thisTab.sync();
    expect(thisTab.isOpen).toBe(true);
    expect(server.db.query("SELECT count(*) AS n FROM sessions WHERE user_id = ?").get(memberUser.id)).toEqual({ n: 1 });
    expect((await signIn(server, MEMBER.email, "a brand new password")).response.status).toBe(303);
    expect((await signIn(server, MEMBER.email, MEMBER.password)).response.status).toBe(401);
    thisTab.close();
  });
});

describe("my sessions", () => {
  test("lists device, address and last activity; signing one out ends it and closes its sockets", async () => {
    const { server, member, memberUser } = people;
    const phone = new Client(server.url);
    await phone.post(
      "/session",
      { email_address: MEMBER.email, password: MEMBER.password },
      { "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1", "x-forwarded-for": "203.0.113.9" },
    );
    const phoneTab = await openSocket(server, phone);
    const html = await (await member.get("/users/me/profile")).text();
    expect(html).toContain("Safari on iOS");
    expect(html).toContain("203.0.113.9");
    const phoneSession = server.db
      .query<{ id: number }, [number]>("SELECT id FROM sessions WHERE user_id = ? AND ip_address = '203.0.113.9'")
      .get(memberUser.id)!;

    // Someone else's session id is not mine to end.
    expect((await people.third.post(`/users/me/sessions/${phoneSession.id}/removal`, {})).status).toBe(404);
    expect((await member.post(`/users/me/sessions/${phoneSession.id}/removal`, {})).status).toBe(303);
    expect((await phoneTab.closed).code).toBe(4401);
    expect((await phone.get("/users/me/profile")).status).toBe(303);
    expect((await member.get("/users/me/profile")).status).toBe(200);
  });

  test("sign out everywhere ends every session, this one included", async () => {
    const { server, member, memberUser } = people;
    const { client: other } = await signIn(server, MEMBER.email, MEMBER.password);
    const tab = await openSocket(server, other);
    const response = await member.post("/users/me/sessions/removal", {});
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/session/new");
    expect((await tab.closed).code).toBe(4401);
    expect(server.db.query("SELECT count(*) AS n FROM sessions WHERE user_id = ?").get(memberUser.id)).toEqual({ n: 0 });
    expect((await other.get("/users/me/profile")).status).toBe(303);
  });
});

describe("other people's pages", () => {
  test("show name, bio and a button that opens the direct room; administrators also see their controls", async () => {
    const { server, admin, member, memberUser, thirdUser } = people;
    server.db.query("UPDATE users SET bio = 'Tests things.' WHERE id = ?").run(thirdUser.id);
    const html = await (await member.get(`/users/${thirdUser.id}`)).text();
    expect(html).toContain("Tess Third");
    expect(html).toContain("Tests things.");
    expect(html).toContain('action="/rooms/directs"');
    expect(html).not.toContain("Deactivate");
    const direct = await member.post("/rooms/directs", { user_ids: String(thirdUser.id) });
    expect(direct.status).toBe(303);
    expect(await (await admin.get(`/users/${memberUser.id}`)).text()).toContain("Deactivate");
    expect((await member.get("/users/99999")).status).toBe(404);
  });
});
