import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { User } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { postMessage, startThreePersonServer } from "../helpers/fixtures.ts";
import { pngOf } from "../helpers/images.ts";
import type { TestServer } from "../helpers/server.ts";
import { frameOf, openSocket } from "../helpers/socket.ts";

let server: TestServer;
let admin: Client;
let member: Client;
let memberUser: User;
let third: Client;
let thirdUser: User;
beforeEach(async () => {
  ({ server, admin, member, memberUser, third, thirdUser } = await startThreePersonServer());
});
afterEach(() => server.close());

const ALL_TALK = 1;
const avatarKeyOf = (id: number) =>
  server.db.query<{ key: string | null }, [number]>("SELECT avatar_key AS key FROM users WHERE id = ?").get(id)!.key;

function uploadAvatar(client: Client, file: File): Promise<Response> {
  const form = new FormData();
  form.set("avatar", file);
  return client.request("/profile/avatar", { method: "POST", body: form });
}

describe("a person's picture", () => {
  test("an upload is resized inside 256×256 (not cropped), stored under a new key and served as WebP, kept long at its versioned URL", async () => {
    const response = await uploadAvatar(member, new File([pngOf(1000, 500)], "me.png", { type: "image/png" }));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/profile");
    const key = avatarKeyOf(memberUser.id)!;
    expect(key).toMatch(/^avatar-[0-9a-f]{32}$/);

    const picture = await admin.get(`/users/${memberUser.id}/avatar?v=${key}`);
    expect(picture.status).toBe(200);
    expect(picture.headers.get("content-type")).toBe("image/webp");
    expect(picture.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(await new Bun.Image(await picture.arrayBuffer()).metadata()).toMatchObject({ width: 256, height: 128, format: "webp" });
    // An old or unversioned address is checked again each time rather than kept.
    expect((await admin.get(`/users/${memberUser.id}/avatar?v=initials`)).headers.get("cache-control")).toBe("private, no-cache");
  });

  test("messages, presence and the profile page show the picture at its versioned URL", async () => {
    await uploadAvatar(member, new File([pngOf(64, 64)], "me.png", { type: "image/png" }));
    const url = `/users/${memberUser.id}/avatar?v=${avatarKeyOf(memberUser.id)}`;
    const posted = await (await postMessage(member, ALL_TALK, "a new look")).text();
    expect(posted).toContain(`<img class="avatar avatar--${memberUser.id % 12} avatar--picture" src="${url}"`);
    expect(await (await admin.get(`/rooms/${ALL_TALK}`)).text()).toContain(url);
    expect(await (await member.get("/profile")).text()).toContain(url);
  });

  test("a new picture replaces the old file; removing it goes back to initials and deletes the file", async () => {
    await uploadAvatar(member, new File([pngOf(64, 64)], "one.png", { type: "image/png" }));
    const first = avatarKeyOf(memberUser.id)!;
    await uploadAvatar(member, new File([pngOf(80, 80)], "two.png", { type: "image/png" }));
    const second = avatarKeyOf(memberUser.id)!;
    expect(second).not.toBe(first);
    expect(existsSync(join(server.dataDir, "files", first))).toBe(false);

    expect((await member.request("/profile/avatar/removal", { method: "POST" })).status).toBe(303);
    expect(avatarKeyOf(memberUser.id)).toBeNull();
    expect(existsSync(join(server.dataDir, "files", second))).toBe(false);
    const initials = await admin.get(`/users/${memberUser.id}/avatar`);
    expect(initials.headers.get("content-type")).toBe("image/svg+xml");
  });

  test("something that is not a picture is refused with 422 and the reason; nothing changes", async () => {
    const response = await uploadAvatar(member, new File(["<svg onload=alert(1)>"], "evil.svg", { type: "image/svg+xml" }));
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("That picture couldn&#39;t be read");
    expect(avatarKeyOf(memberUser.id)).toBeNull();
    const missing = await member.request("/profile/avatar", { method: "POST", body: new FormData() });
    expect(missing.status).toBe(422);
  });
});

describe("default pictures", () => {
  test("a person without a picture gets their initials on their colour, as an SVG we draw", async () => {
    const response = await admin.get(`/users/${memberUser.id}/avatar`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/svg+xml");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const svg = await response.text();
    expect(svg).toContain(">MM</text>");
    expect(svg).toContain('fill="#');
  });

  test("a bot gets the bot picture", async () => {
    const { lastInsertRowid } = server.db
      .query("INSERT INTO users (name, role, bot_token, created_at, updated_at) VALUES ('Deploy Bot', 'bot', 'token-1', 0, 0)")
      .run();
    const svg = await (await admin.get(`/users/${lastInsertRowid}/avatar`)).text();
    expect(svg).toContain("<svg");
    expect(svg).not.toContain("DB</text>");
    expect(svg).toContain('<circle cx="25"');
  });

  test("signed out, no picture is served; an unknown person is a 404", async () => {
    expect((await new Client(server.url).get(`/users/${memberUser.id}/avatar`)).status).toBe(303);
    expect((await admin.get("/users/999/avatar")).status).toBe(404);
    expect((await admin.get("/users/abc/avatar")).status).toBe(404);
  });
});

describe("a change seen live", () => {
  test("everyone who shares a room with the person gets one avatar frame with the new face; others get none", async () => {
    server.db.query("DELETE FROM memberships WHERE user_id = ?").run(thirdUser.id); // shares no room with anyone now
    const adminTab = await openSocket(server, admin);
    const thirdTab = await openSocket(server, third);
    await uploadAvatar(member, new File([pngOf(64, 64)], "me.png", { type: "image/png" }));
    const frame = await adminTab.waitFor(frameOf("avatar"));
    expect(frame).toContain(`data-user-id="${memberUser.id}"`);
    expect(frame).toContain(`src="/users/${memberUser.id}/avatar?v=${avatarKeyOf(memberUser.id)}"`);
    await thirdTab.sync();
    expect(thirdTab.frames.filter(frameOf("avatar"))).toEqual([]);
  });
});
