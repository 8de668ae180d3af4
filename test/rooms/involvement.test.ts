import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { enterRoom, leaveRoom } from "../../src/rooms/presence.ts";
import type { User } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { createRoom, postMessage, sidebarItemClass, sidebarRoomIds, startThreePersonServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { openSocket } from "../helpers/socket.ts";

let server: TestServer;
let admin: Client;
let adminUser: User;
let member: Client;
let memberUser: User;
let third: Client;
let thirdUser: User;
beforeEach(async () => {
  ({ server, admin, adminUser, member, memberUser, third, thirdUser } = await startThreePersonServer());
});
afterEach(() => server.close());

const ALL_TALK = 1;
const HTMX = { "hx-request": "true" };

const setInvolvement = (client: Client, roomId: number, involvement: string, headers?: Record<string, string>) =>
  client.request(`/rooms/${roomId}/involvement`, { method: "PATCH", form: { involvement }, headers });
const membership = (user: User, roomId: number) =>
  server.db
    .query<{ involvement: string; unread_at: number | null }, [number, number]>(
      "SELECT involvement, unread_at FROM memberships WHERE user_id = ? AND room_id = ?",
    )
    .get(user.id, roomId);
/** A page of a room other than `roomId`, so the sidebar shows `roomId` as it would from elsewhere. */
const pageAwayFrom = async (client: Client, roomId: number, awayRoomId = ALL_TALK) => {
  expect(awayRoomId).not.toBe(roomId);
  return (await client.get(`/rooms/${awayRoomId}`)).text();
};

describe("setting the notification level", () => {
  for (const level of ["everything", "mentions", "nothing", "invisible"]) {
    test(`a member can set "${level}" and htmx gets the control back showing it`, async () => {
      const response = await setInvolvement(member, ALL_TALK, level, HTMX);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain(`id="room_${ALL_TALK}_involvement"`);
      expect(html).toContain(`data-involvement="${level}"`);
      expect(membership(memberUser, ALL_TALK)?.involvement).toBe(level);
    });
  }

  test("without htmx, setting it redirects back to the room", async () => {
    const response = await setInvolvement(member, ALL_TALK, "everything");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/rooms/${ALL_TALK}`);
  });

  test("changes only the caller's own membership", async () => {
    await setInvolvement(member, ALL_TALK, "nothing");
    expect(membership(memberUser, ALL_TALK)?.involvement).toBe("nothing");
    expect(membership(adminUser, ALL_TALK)?.involvement).toBe("mentions");
    expect(membership(thirdUser, ALL_TALK)?.involvement).toBe("mentions");
  });

  test("shared rooms start at mentions and direct rooms at everything", async () => {
    const direct = await createRoom(admin, "directs", { user_ids: memberUser.id });
    expect(membership(memberUser, ALL_TALK)?.involvement).toBe("mentions");
    expect(membership(memberUser, direct)?.involvement).toBe("everything");
    expect(membership(adminUser, direct)?.involvement).toBe("everything");
  });

  test("an unknown or missing level is refused with 422 and nothing changes", async () => {
    for (const form of [{ involvement: "loud" }, { involvement: "" }, {}] as Record<string, string>[]) {
      const response = await member.request(`/rooms/${ALL_TALK}/involvement`, { method: "PATCH", form });
      expect(response.status).toBe(422);
      expect(await response.text()).toContain("Please pick a notification level.");
    }
    expect(membership(memberUser, ALL_TALK)?.involvement).toBe("mentions");
  });

  test("someone outside a room cannot set its level and is not told that it exists", async () => {
    const closed = await createRoom(admin, "closeds", { name: "Hideout", user_ids: [memberUser.id] });
    const direct = await createRoom(admin, "directs", { user_ids: memberUser.id });
    for (const roomId of [closed, direct]) {
      expect((await setInvolvement(third, roomId, "everything")).status).toBe(404);
      expect((await setInvolvement(third, roomId, "everything", HTMX)).status).toBe(404);
    }
    expect(membership(thirdUser, closed)).toBeNull();
    expect(membership(thirdUser, direct)).toBeNull();
  });
});

describe("hidden rooms", () => {
  test("a hidden room leaves the sidebar but can still be opened, and comes back when shown again", async () => {
    const lobby = await createRoom(admin, "opens", { name: "Lobby" });
    const direct = await createRoom(admin, "directs", { user_ids: memberUser.id });
    await setInvolvement(member, lobby, "invisible");
    await setInvolvement(member, direct, "invisible");

    const html = await pageAwayFrom(member, lobby);
    expect(sidebarRoomIds(html, "shared_rooms")).toEqual([ALL_TALK]);
    expect(sidebarRoomIds(html, "direct_rooms")).toEqual([]);
    expect(sidebarItemClass(html, lobby)).toBeNull();

    const opened = await member.get(`/rooms/${lobby}`);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('data-involvement="invisible"');
    expect((await member.get(`/rooms/${direct}`)).status).toBe(200);
    expect((await postMessage(member, lobby, "still here")).status).toBe(201);

    await setInvolvement(member, lobby, "everything");
    expect(sidebarRoomIds(await pageAwayFrom(member, lobby), "shared_rooms")).toEqual([ALL_TALK, lobby]);
    // Hiding is personal: the others still see the room.
    expect(sidebarRoomIds(await pageAwayFrom(admin, lobby), "shared_rooms")).toEqual([ALL_TALK, lobby]);
  });
});

describe("finding hidden rooms again", () => {
  const hiddenLink = (html: string) => html.match(/<a class="sidebar__extra" href="\/rooms\/hidden">([^<]*)<\/a>/)?.[1] ?? null;

  test("the sidebar counts hidden rooms and leads to a page that lists them, by the names the person sees", async () => {
    expect(hiddenLink(await pageAwayFrom(member, 999))).toBeNull();
    const lobby = await createRoom(admin, "opens", { name: "Lobby" });
    const direct = await createRoom(admin, "directs", { user_ids: memberUser.id });
    await setInvolvement(member, lobby, "invisible");
    await setInvolvement(member, direct, "invisible");
    expect(hiddenLink(await pageAwayFrom(member, lobby))).toBe("Hidden rooms (2)");
    expect(hiddenLink(await pageAwayFrom(admin, lobby))).toBeNull();

    const page = await member.get("/rooms/hidden");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<a class="hidden-rooms__name" href="/rooms/${lobby}"># Lobby</a>`);
    expect(html).toContain(`<a class="hidden-rooms__name" href="/rooms/${direct}">@ Ada Admin</a>`);
    expect(html).toContain(`action="/rooms/${lobby}/involvement"`);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    // Nobody else's hidden rooms, and none at all for someone who hid nothing.
    expect(await (await admin.get("/rooms/hidden")).text()).toContain("You haven&#39;t hidden any rooms.");
  });

  test("hiding or showing a room from the bell menu updates the sidebar's count in the same answer", async () => {
    const lobby = await createRoom(admin, "opens", { name: "Lobby" });
    const extrasIn = (html: string) =>
      html.match(/<ul id="sidebar_extras" class="sidebar__extras" hx-swap-oob="true">.*?<\/ul>/)?.[0] ?? null;
    const hidden = await (await setInvolvement(member, lobby, "invisible", HTMX)).text();
    expect(hiddenLink(extrasIn(hidden) ?? "")).toBe("Hidden rooms (1)");
    const quieter = await (await setInvolvement(member, lobby, "nothing", HTMX)).text();
    // The extras come back without the hidden rooms' link (the notifications link stays).
    expect(extrasIn(quieter)).toStartWith('<ul id="sidebar_extras" class="sidebar__extras" hx-swap-oob="true">');
    expect(extrasIn(quieter)).not.toContain("Hidden rooms");
    // A change that neither hides nor shows the room leaves the sidebar alone.
    expect(extrasIn(await (await setInvolvement(member, lobby, "everything", HTMX)).text())).toBeNull();
  });

  test("Show in sidebar (a plain form POST) brings the room back and opens it", async () => {
    const lobby = await createRoom(admin, "opens", { name: "Lobby" });
    await setInvolvement(member, lobby, "invisible");
    const shown = await member.post(`/rooms/${lobby}/involvement`, { involvement: "mentions" });
    expect(shown.status).toBe(303);
    expect(shown.headers.get("location")).toBe(`/rooms/${lobby}`);
    expect(membership(memberUser, lobby)?.involvement).toBe("mentions");
    const html = await pageAwayFrom(member, lobby);
    expect(sidebarRoomIds(html, "shared_rooms")).toEqual([ALL_TALK, lobby]);
    expect(hiddenLink(html)).toBeNull();
  });

  test("the POST is refused for a room the person is not in, for a made-up level, and from another site", async () => {
    const hideout = await createRoom(admin, "closeds", { name: "Hideout", user_ids: [memberUser.id] });
    await setInvolvement(member, hideout, "invisible");
    expect((await third.post(`/rooms/${hideout}/involvement`, { involvement: "everything" })).status).toBe(404);
    expect((await member.post(`/rooms/${hideout}/involvement`, { involvement: "loud" })).status).toBe(422);
    const forged = await member.request(`/rooms/${hideout}/involvement`, {
      method: "POST",
      form: { involvement: "everything" },
      origin: "https://evil.example",
    });
    expect(forged.status).toBe(403);
    expect(membership(memberUser, hideout)?.involvement).toBe("invisible");
    expect((await new Client(server.url).get("/rooms/hidden")).status).toBe(303);
  });
});

describe("unread marks", () => {
  test("a room is marked unread for the others when someone posts, and not for the author", async () => {
    const lobby = await createRoom(admin, "opens", { name: "Lobby" });
    expect(sidebarItemClass(await pageAwayFrom(member, lobby), lobby)).not.toContain("sidebar__item--unread");

    expect((await postMessage(admin, lobby, "news")).status).toBe(201);
    expect(membership(memberUser, lobby)?.unread_at).toBeNumber();
    expect(membership(adminUser, lobby)?.unread_at).toBeNull();
    expect(sidebarItemClass(await pageAwayFrom(member, lobby), lobby)).toContain("sidebar__item--unread");
    expect(sidebarItemClass(await pageAwayFrom(third, lobby), lobby)).toContain("sidebar__item--unread");
    expect(sidebarItemClass(await pageAwayFrom(admin, lobby), lobby)).not.toContain("sidebar__item--unread");
  });

  test("a direct room is marked unread for the other person", async () => {
    const direct = await createRoom(admin, "directs", { user_ids: memberUser.id });
    await postMessage(admin, direct, "psst");
    expect(sidebarItemClass(await pageAwayFrom(member, direct), direct)).toContain("sidebar__item--unread");
    expect(sidebarItemClass(await pageAwayFrom(admin, direct), direct)).not.toContain("sidebar__item--unread");
  });

  test("the room being looked at is shown as current, not unread", async () => {
    const lobby = await createRoom(admin, "opens", { name: "Lobby" });
    await postMessage(admin, lobby, "news");
    const cls = sidebarItemClass(await (await member.get(`/rooms/${lobby}`)).text(), lobby);
    expect(cls).toContain("sidebar__item--current");
    expect(cls).not.toContain("sidebar__item--unread");
  });

  test("a hidden room is never marked unread, and hiding a room clears its mark", async () => {
    const lobby = await createRoom(admin, "opens", { name: "Lobby" });
    await setInvolvement(member, lobby, "invisible");
    await postMessage(admin, lobby, "news");
    expect(membership(memberUser, lobby)?.unread_at).toBeNull();
    await setInvolvement(member, lobby, "mentions");
    expect(sidebarItemClass(await pageAwayFrom(member, lobby), lobby)).not.toContain("sidebar__item--unread");

    await postMessage(admin, lobby, "more news");
    expect(membership(memberUser, lobby)?.unread_at).toBeNumber();
    await setInvolvement(member, lobby, "invisible");
    expect(membership(memberUser, lobby)?.unread_at).toBeNull();
  });

  test("entering a room over the socket marks it read on the pages that follow", async () => {
    const lobby = await createRoom(admin, "opens", { name: "Lobby" });
    await postMessage(admin, lobby, "news");
    expect(sidebarItemClass(await pageAwayFrom(member, lobby), lobby)).toContain("sidebar__item--unread");
    const tab = await openSocket(server, member);
    await tab.enter(lobby);
    tab.close();
    expect(sidebarItemClass(await pageAwayFrom(member, lobby), lobby)).not.toContain("sidebar__item--unread");
    expect(sidebarItemClass(await pageAwayFrom(third, lobby), lobby)).toContain("sidebar__item--unread");
  });

  test("a room set to nothing is still marked unread", async () => {
    const lobby = await createRoom(admin, "opens", { name: "Lobby" });
    await setInvolvement(member, lobby, "nothing");
    await postMessage(admin, lobby, "news");
    expect(sidebarItemClass(await pageAwayFrom(member, lobby), lobby)).toContain("sidebar__item--unread");
  });

  test("someone looking at the room right now is not marked unread", async () => {
    const lobby = await createRoom(admin, "opens", { name: "Lobby" });
    enterRoom(server.db, memberUser.id, lobby);
    await postMessage(admin, lobby, "news");
    expect(membership(memberUser, lobby)?.unread_at).toBeNull();
    expect(membership(thirdUser, lobby)?.unread_at).toBeNumber();
  });

  test("people outside a closed room get no mark for it", async () => {
    const closed = await createRoom(admin, "closeds", { name: "Hideout", user_ids: [memberUser.id] });
    await postMessage(admin, closed, "secret");
    expect(membership(thirdUser, closed)).toBeNull();
    expect(sidebarItemClass(await pageAwayFrom(third, closed), closed)).toBeNull();
  });

  test("a repeated post (same client_message_id) does not mark the room again after it was read", async () => {
    const lobby = await createRoom(admin, "opens", { name: "Lobby" });
    await postMessage(admin, lobby, "news", "once-only");
    // Reading it happens over the socket: entering marks it read; then the tab goes away.
    enterRoom(server.db, memberUser.id, lobby);
    leaveRoom(server.db, memberUser.id, lobby);
    expect(membership(memberUser, lobby)?.unread_at).toBeNull();
    expect((await postMessage(admin, lobby, "news", "once-only")).status).toBe(200);
    expect(membership(memberUser, lobby)?.unread_at).toBeNull();
  });
});

test("with no room visited yet, / opens a room the person has not hidden", async () => {
  const lounge = await createRoom(admin, "opens", { name: "Lounge" });
  expect((await setInvolvement(member, ALL_TALK, "invisible")).status).toBe(303);
  member.cookies.delete("last_room");
  const response = await member.get("/");
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe(`/rooms/${lounge}`);
});
