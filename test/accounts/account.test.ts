import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { canCreateRooms, findAccount } from "../../src/accounts/accounts.ts";
import { findUserByEmail, type User } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { ADMIN, addMember, completeFirstRun, MEMBER, signIn, startSetUpServer } from "../helpers/fixtures.ts";
import { startConfiguredTestServer, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
let member: Client;
let memberUser: User;
beforeEach(async () => {
  ({ server, admin } = await startSetUpServer());
  memberUser = await addMember(server);
  ({ client: member } = await signIn(server, MEMBER.email, MEMBER.password));
});
afterEach(() => server.close());

const joinCode = () => findAccount(server.ctx)!.joinCode;
const restricted = () => findAccount(server.ctx)!.settings.restrictRoomCreationToAdministrators;
const patchAccount = (client: Client, form: Record<string, string>, headers?: Record<string, string>) =>
  client.request("/account", { method: "PATCH", form, headers });

describe("the account page", () => {
  test("an administrator sees the join link, the regenerate button and the settings", async () => {
    const response = await admin.get("/account");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Acme Chat");
    expect(html).toContain(`value="${server.url}/join/${joinCode()}"`);
    expect(html).toMatch(/<input[^>]*readonly/);
    expect(html).toContain('action="/account/join_code"');
    expect(html).toContain("Regenerate link");
    expect(html).toContain('name="restrict_room_creation_to_administrators"');
    expect(html).toContain("Only administrators can create rooms");
  });

  test("a member sees the account and its people, but no join link, settings or email addresses", async () => {
    const response = await member.get("/account");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Acme Chat");
    expect(html).toContain(ADMIN.name);
    expect(html).toContain(MEMBER.name);
    expect(html).not.toContain(joinCode());
    expect(html).not.toContain("/join/");
    expect(html).not.toContain("Regenerate link");
    expect(html).not.toContain("restrict_room_creation_to_administrators");
    expect(html).not.toContain(ADMIN.email);
    expect(html).not.toContain(MEMBER.email);
  });

  test("an administrator sees everyone's email address", async () => {
    const html = await (await admin.get("/account")).text();
    expect(html).toContain(ADMIN.email);
    expect(html).toContain(MEMBER.email);
  });

  test("lists administrators first, then members by name, leaving out deactivated people and bots", async () => {
    await addMember(server, { name: "Aaron Early", email: "aaron@example.com", password: "aaron's password" });
    const gone = await addMember(server, { name: "Gone Person", email: "gone@example.com", password: "gone's password" });
    server.db.query("UPDATE users SET status = 'deactivated' WHERE id = ?").run(gone.id);
    server.db.query("INSERT INTO users (name, role, bot_token, created_at, updated_at) VALUES ('Robo Bot', 'bot', 'secret', 0, 0)").run();

    const html = await (await admin.get("/account")).text();
    const order = [ADMIN.name, "Aaron Early", MEMBER.name].map((name) => html.indexOf(name));
    expect(order.every((at) => at > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(html).not.toContain("Gone Person");
    expect(html).not.toContain("Robo Bot");
  });

  test("uses CAMPFIRE_URL for the join link when it is set", async () => {
    const configured = startConfiguredTestServer({ publicUrl: "https://chat.example.com" });
    try {
      const html = await (await (await completeFirstRun(configured)).get("/account")).text();
      expect(html).toContain(`value="https://chat.example.com/join/${findAccount(configured.ctx)!.joinCode}"`);
    } finally {
      await configured.close();
    }
  });

  test("without CAMPFIRE_URL the join link takes the request's host only when it is this server's, never a forged Host", async () => {
    const port = new URL(server.url).port;
    const joinLinkFor = async (host: string) =>
      /value="([^"]*\/join\/[^"]*)"/.exec(await (await admin.get("/account", { host })).text())?.[1];
    expect(await joinLinkFor(`127.0.0.1:${port}`)).toBe(`http://127.0.0.1:${port}/join/${joinCode()}`);
    expect(await joinLinkFor(`localhost:${port}`)).toBe(`http://localhost:${port}/join/${joinCode()}`);
    for (const forged of ["evil.example.com", `evil.example.com:${port}`, "127.0.0.1:1", `127.0.0.2:${port}`]) {
      expect({ forged, link: await joinLinkFor(forged) }).toEqual({ forged, link: `http://127.0.0.1:${port}/join/${joinCode()}` });
    }
  });

  test("the original's /account/edit address leads here", async () => {
    const response = await member.get("/account/edit");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/account");
  });

  test("a stranger is sent to sign in", async () => {
    const response = await new Client(server.url).get("/account");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/session/new");
  });

  test("has no inline scripts, event handlers or style attributes", async () => {
    const html = await (await admin.get("/account")).text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
  });
});

describe("regenerating the join link", () => {
  test("gives a new code and the old link stops working at once", async () => {
    const oldCode = joinCode();
    const response = await admin.post("/account/join_code", {});
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/account");

    const newCode = joinCode();
    expect(newCode).not.toBe(oldCode);
    expect(newCode).toMatch(/^\w{4}-\w{4}-\w{4}$/);
    const visitor = new Client(server.url);
    expect((await visitor.get(`/join/${oldCode}`)).status).toBe(404);
    expect((await visitor.get(`/join/${newCode}`)).status).toBe(200);
    expect(await (await admin.get("/account")).text()).toContain(`/join/${newCode}`);
  });

  test("an htmx request is told to reload the account page", async () => {
    const response = await admin.post("/account/join_code", {}, { "HX-Request": "true" });
    expect(response.status).toBe(204);
    expect(response.headers.get("hx-redirect")).toBe("/account");
  });

  test("a member is refused with 403 and the code stays the same", async () => {
    const code = joinCode();
    const response = await member.post("/account/join_code", {});
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Only administrators");
    expect(joinCode()).toBe(code);
  });

  test("a stranger is sent to sign in and the code stays the same", async () => {
    const code = joinCode();
    const response = await new Client(server.url).post("/account/join_code", {});
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/session/new");
    expect(joinCode()).toBe(code);
  });

  test("a request from another website is refused", async () => {
    const code = joinCode();
    const response = await admin.request("/account/join_code", { method: "POST", form: {}, origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(joinCode()).toBe(code);
  });
});

describe("account settings", () => {
  test("restricting room creation to administrators turns on and off, and canCreateRooms follows", async () => {
    const adminUser = findUserByEmail(server.db, ADMIN.email)!;
    expect(canCreateRooms(server.ctx, memberUser)).toBe(true);

    const on = await patchAccount(admin, { restrict_room_creation_to_administrators: "on" });
    expect(on.status).toBe(303);
    expect(on.headers.get("location")).toBe("/account");
    expect(restricted()).toBe(true);
    expect(canCreateRooms(server.ctx, memberUser)).toBe(false);
    expect(canCreateRooms(server.ctx, adminUser)).toBe(true);
    expect(await (await admin.get("/account")).text()).toMatch(/<input[^>]*name="restrict_room_creation_to_administrators"[^>]*checked/);

    // An unticked checkbox sends nothing at all.
    const off = await patchAccount(admin, {});
    expect(off.status).toBe(303);
    expect(restricted()).toBe(false);
    expect(canCreateRooms(server.ctx, memberUser)).toBe(true);
    expect(await (await admin.get("/account")).text()).not.toMatch(/name="restrict_room_creation_to_administrators"[^>]*checked/);
  });

  test("renames the account, keeping the setting alongside", async () => {
    const response = await patchAccount(admin, { name: "  Acme Corp  ", restrict_room_creation_to_administrators: "on" });
    expect(response.status).toBe(303);
    expect(findAccount(server.ctx)!.name).toBe("Acme Corp");
    expect(restricted()).toBe(true);
    expect(await (await member.get("/account")).text()).toContain("Acme Corp");
  });

  test("a form without JavaScript can POST the same settings", async () => {
    const response = await admin.post("/account", { name: "Posted Name", restrict_room_creation_to_administrators: "on" });
    expect(response.status).toBe(303);
    expect(findAccount(server.ctx)!.name).toBe("Posted Name");
    expect(restricted()).toBe(true);
  });

  test("an htmx request is told to reload the account page", async () => {
    const response = await patchAccount(admin, { name: "Via htmx" }, { "HX-Request": "true" });
    expect(response.status).toBe(204);
    expect(response.headers.get("hx-redirect")).toBe("/account");
  });

  const invalid: [string, Record<string, string>, string][] = [
    ["an empty name", { name: "   " }, "Please give the account a name."],
    ["a name over 100 characters", { name: "x".repeat(101) }, "at most 100 characters"],
    ["a checkbox value that is not a checkbox's", { restrict_room_creation_to_administrators: "maybe" }, "tick the box"],
  ];
  for (const [what, form, message] of invalid) {
    test(`${what} answers 422 with the form and the message, and changes nothing`, async () => {
      const response = await patchAccount(admin, form);
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain(message);
      expect(html).toContain('name="restrict_room_creation_to_administrators"');
      expect(findAccount(server.ctx)!.name).toBe("Acme Chat");
      expect(restricted()).toBe(false);
    });
  }

  test("an invalid htmx request gets just the settings form back", async () => {
    const response = await patchAccount(admin, { name: "" }, { "HX-Request": "true" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html.startsWith("<form")).toBe(true);
    expect(html).not.toContain("<html");
  });

  test("a member is refused with 403, even with invalid input, and nothing changes", async () => {
    const forms: Record<string, string>[] = [{ name: "Hijacked", restrict_room_creation_to_administrators: "on" }, { name: "" }];
    for (const form of forms) {
      const response = await patchAccount(member, form);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("Only administrators");
    }
    expect((await member.post("/account", { name: "Hijacked" })).status).toBe(403);
    expect(findAccount(server.ctx)!.name).toBe("Acme Chat");
    expect(restricted()).toBe(false);
  });

  test("a stranger gets 401 from htmx and nothing changes", async () => {
    const response = await patchAccount(new Client(server.url), { name: "Hijacked" }, { "HX-Request": "true" });
    expect(response.status).toBe(401);
    expect(findAccount(server.ctx)!.name).toBe("Acme Chat");
  });
});

describe("saying what happened", () => {
  const noticeIn = (html: string) => html.match(/flash__message--notice" role="status"><span>([^<]*)</)?.[1] ?? null;

  test("saving the settings is confirmed on the page that follows, once", async () => {
    expect((await patchAccount(admin, { name: "Acme Chat" }, { "HX-Request": "true" })).status).toBe(204);
    expect(noticeIn(await (await admin.get("/account")).text())).toBe("Settings saved.");
    expect(noticeIn(await (await admin.get("/account")).text())).toBeNull();
  });

  test("a new join link is confirmed, saying the old one stopped working", async () => {
    await admin.post("/account/join_code", {});
    expect(noticeIn(await (await admin.get("/account")).text())).toBe("There&#39;s a new join link. The old one no longer works.");
  });

  test("a refused change confirms nothing", async () => {
    await patchAccount(admin, { name: "   " });
    await member.post("/account/join_code", {});
    expect(noticeIn(await (await admin.get("/account")).text())).toBeNull();
    expect(noticeIn(await (await member.get("/account")).text())).toBeNull();
  });

  test("a notice cookie can only pick one of the app's own sentences", async () => {
    admin.cookies.set("notice", "<script>alert(1)</script>");
    const html = await (await admin.get("/account")).text();
    expect(noticeIn(html)).toBeNull();
    expect(html).not.toContain("alert(1)");
  });

  test("Regenerate link asks first, and the join link has a copy button", async () => {
    const html = await (await admin.get("/account")).text();
    expect(html).toMatch(
      /<form[^>]*hx-post="\/account\/join_code"[^>]*hx-confirm="Make a new join link\? The current link stops working at once/,
    );
    expect(html).toContain('data-copy="account_join_link"');
  });
});
