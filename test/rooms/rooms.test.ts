import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { findAccount } from "../../src/accounts/accounts.ts";
import { setClock, useRealClock } from "../../src/db/time.ts";
import { indexPendingMessages } from "../../src/search/indexer.ts";
import { createUser, type User } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import {
  createRoom,
  type FormFields,
  postMessage,
  roomIdFrom,
  sendBody,
  sendForm,
  sidebarItemClass,
  sidebarRoomIds,
  startQuickSetUpServer,
  startThreePersonServer,
} from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

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
afterEach(async () => {
  useRealClock();
  await server.close();
});

/** The first-run room everyone starts in. */
const ALL_TALK = 1;
const LATE_COMER = { name: "Lena Late", email: "lena@example.com", password: "lena's long password" };

const membersOf = (roomId: number): number[] =>
  server.db
    .query<{ user_id: number }, [number]>("SELECT user_id FROM memberships WHERE room_id = ? ORDER BY user_id")
    .all(roomId)
    .map((row) => row.user_id);
const roomRow = (roomId: number) =>
  server.db
    .query<{ kind: string; name: string | null; creator_id: number }, [number]>("SELECT kind, name, creator_id FROM rooms WHERE id = ?")
    .get(roomId);
const count = (sql: string, ...binds: (string | number)[]): number => (server.db.query(sql).get(...binds) as { n: number }).n;
const roomCount = () => count("SELECT count(*) AS n FROM rooms");
const ids = (...users: User[]) => users.map((user) => user.id).sort((a, b) => a - b);
/** Someone who signs up after a room exists (the join route calls createUser the same way). */
const joinLater = () =>
  createUser(server.db, { name: LATE_COMER.name, emailAddress: LATE_COMER.email, passwordDigest: "unused", role: "member" });
const patchRoom = (client: Client, kind: "opens" | "closeds", roomId: number, fields: FormFields) =>
  sendForm(client, `/rooms/${kind}/${roomId}`, fields, { method: "PATCH" });
const deleteRoom = (client: Client, roomId: number) => client.request(`/rooms/${roomId}`, { method: "DELETE" });
const restrictRoomCreation = async () => {
  const response = await admin.request("/account", { method: "PATCH", form: { restrict_room_creation_to_administrators: "on" } });
  expect(response.status).toBe(303);
};

describe("open rooms", () => {
  test("creating an open room answers 303 to the room, and everyone active is a member", async () => {
    const response = await sendForm(member, "/rooms/opens", { name: "Lobby" });
    expect(response.status).toBe(303);
    const roomId = roomIdFrom(response);
    expect(roomRow(roomId)).toEqual({ kind: "open", name: "Lobby", creator_id: memberUser.id });
    expect(membersOf(roomId)).toEqual(ids(adminUser, memberUser, thirdUser));
    expect((await third.get(`/rooms/${roomId}`)).status).toBe(200);
  });

  test("people who join after an open room was made are members of it too", async () => {
    const roomId = await createRoom(admin, "opens", { name: "Lobby" });
    const late = joinLater();
    expect(membersOf(roomId)).toContain(late.id);
    expect(membersOf(ALL_TALK)).toContain(late.id);
  });

  test("a deactivated person is not put in a new open room", async () => {
    server.db.query("UPDATE users SET status = 'deactivated' WHERE id = ?").run(thirdUser.id);
    const roomId = await createRoom(admin, "opens", { name: "Lobby" });
    expect(membersOf(roomId)).toEqual(ids(adminUser, memberUser));
  });

  test("an htmx request to create any kind of room gets 204 with HX-Redirect to it", async () => {
    const htmx = { headers: { "hx-request": "true" } };
    for (const [kind, fields] of [
      ["opens", { name: "Lobby" }],
      ["closeds", { name: "Hideout", user_ids: memberUser.id }],
      ["directs", { user_ids: memberUser.id }],
    ] as const) {
      const response = await sendForm(admin, `/rooms/${kind}`, fields, htmx);
      expect(response.status).toBe(204);
      expect(response.headers.get("hx-redirect")).toMatch(/^\/rooms\/\d+$/);
      expect(roomRow(roomIdFrom(response))).not.toBeNull();
    }
  });

  test("a room's name is shown as text, never as markup", async () => {
    const roomId = await createRoom(admin, "opens", { name: `<script>alert("x")</script><b>Bold</b>` });
    const html = await (await member.get(`/rooms/${roomId}`)).text();
    expect(html).not.toContain(`<script>alert`);
    expect(html).not.toContain("<b>Bold</b>");
    expect(html).toContain("&lt;script&gt;");
  });

  test("a room without a name, or with a name over 100 characters, is refused with 422 and not created", async () => {
    const before = roomCount();
    for (const [name, message] of [
      ["   ", "Please give the room a name."],
      ["x".repeat(101), "at most 100 characters"],
    ]) {
      for (const kind of ["opens", "closeds"]) {
        const response = await sendForm(admin, `/rooms/${kind}`, { name: name! });
        expect(response.status).toBe(422);
        expect(await response.text()).toContain(message!);
      }
    }
    expect(roomCount()).toBe(before);
  });
});

describe("closed rooms", () => {
  test("a closed room holds its creator and the chosen people, and nobody else", async () => {
    const roomId = await createRoom(member, "closeds", { name: "Hideout", user_ids: [thirdUser.id] });
    expect(roomRow(roomId)).toEqual({ kind: "closed", name: "Hideout", creator_id: memberUser.id });
    expect(membersOf(roomId)).toEqual(ids(memberUser, thirdUser));
    expect((await third.get(`/rooms/${roomId}`)).status).toBe(200);
    expect((await admin.get(`/rooms/${roomId}`)).status).toBe(404);
  });

  test("several chosen people arrive as a repeated user_ids field", async () => {
    const roomId = await createRoom(admin, "closeds", { name: "Trio", user_ids: [memberUser.id, thirdUser.id] });
    expect(membersOf(roomId)).toEqual(ids(adminUser, memberUser, thirdUser));
  });

  test("people who join later are not added to a closed room", async () => {
    const roomId = await createRoom(admin, "closeds", { name: "Hideout", user_ids: [memberUser.id] });
    const late = joinLater();
    expect(membersOf(roomId)).not.toContain(late.id);
  });

  test("unknown and deactivated people in user_ids are left out", async () => {
    server.db.query("UPDATE users SET status = 'deactivated' WHERE id = ?").run(thirdUser.id);
    const roomId = await createRoom(admin, "closeds", { name: "Hideout", user_ids: [memberUser.id, thirdUser.id, 9999] });
    expect(membersOf(roomId)).toEqual(ids(adminUser, memberUser));
  });

  test("user_ids that are not ids are refused with 422 and no room is made", async () => {
    const before = roomCount();
    const response = await sendForm(admin, "/rooms/closeds", { name: "Hideout", user_ids: ["abc"] });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("Please pick people from the list.");
    expect(roomCount()).toBe(before);
  });
});

describe("direct rooms", () => {
  test("the same two people always get the same room, whoever starts it", async () => {
    const before = roomCount();
    const started = await createRoom(admin, "directs", { user_ids: memberUser.id });
    const answered = await createRoom(member, "directs", { user_ids: adminUser.id });
    expect(answered).toBe(started);
    expect(roomCount()).toBe(before + 1);
    expect(roomRow(started)).toMatchObject({ kind: "direct", name: null });
    expect(membersOf(started)).toEqual(ids(adminUser, memberUser));
  });

  test("a group direct room is the same room in any order, with repeats, started by anyone in it", async () => {
    const roomId = await createRoom(admin, "directs", { user_ids: [memberUser.id, thirdUser.id] });
    expect(await createRoom(third, "directs", { user_ids: [memberUser.id, adminUser.id] })).toBe(roomId);
    expect(await createRoom(member, "directs", { user_ids: [thirdUser.id, thirdUser.id, adminUser.id, memberUser.id] })).toBe(roomId);
    expect(membersOf(roomId)).toEqual(ids(adminUser, memberUser, thirdUser));
  });

  test("several simultaneous starts of the same direct room make one room", async () => {
    const before = roomCount();
    const responses = await Promise.all([
      sendForm(admin, "/rooms/directs", { user_ids: memberUser.id }),
      sendForm(member, "/rooms/directs", { user_ids: adminUser.id }),
      sendForm(admin, "/rooms/directs", { user_ids: [memberUser.id, adminUser.id] }),
      sendForm(member, "/rooms/directs", { user_ids: adminUser.id }),
    ]);
    expect(new Set(responses.map(roomIdFrom)).size).toBe(1);
    expect(roomCount()).toBe(before + 1);
  });

  test("a different set of people gets a different room", async () => {
    const pair = await createRoom(admin, "directs", { user_ids: memberUser.id });
    const group = await createRoom(admin, "directs", { user_ids: [memberUser.id, thirdUser.id] });
    const otherPair = await createRoom(admin, "directs", { user_ids: thirdUser.id });
    expect(new Set([pair, group, otherPair]).size).toBe(3);
  });

  test("a direct message with yourself works, is yours alone, and is the same room next time", async () => {
    const notes = await createRoom(admin, "directs", {});
    expect(membersOf(notes)).toEqual([adminUser.id]);
    expect(await createRoom(admin, "directs", { user_ids: adminUser.id })).toBe(notes);
    expect((await admin.get(`/rooms/${notes}`)).status).toBe(200);
    expect((await postMessage(admin, notes, "a note to self")).status).toBe(201);
    expect((await member.get(`/rooms/${notes}`)).status).toBe(404);
  });

  test("a direct message to someone who doesn't exist is refused with 422, and no room is made", async () => {
    const before = server.db.query("SELECT count(*) AS n FROM rooms").get();
    const response = await sendForm(admin, "/rooms/directs", { user_ids: [memberUser.id, 9999] });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("aren&#39;t on this Campfire");
    expect(server.db.query("SELECT count(*) AS n FROM rooms").get()).toEqual(before);
  });

  test("a direct room can't be turned into an open or closed room", async () => {
    const roomId = await createRoom(admin, "directs", { user_ids: memberUser.id });
    for (const kind of ["opens", "closeds"] as const) {
      const response = await patchRoom(admin, kind, roomId, { name: "Renamed", user_ids: [adminUser.id, memberUser.id, thirdUser.id] });
      expect(response.status).toBe(422);
      expect(await response.text()).toContain("A direct message can&#39;t become a room.");
    }
    expect(roomRow(roomId)).toMatchObject({ kind: "direct", name: null });
    expect(membersOf(roomId)).toEqual(ids(adminUser, memberUser));
  });
});

describe("changing a room", () => {
  test("turning an open room closed keeps only the chosen people; the others lose it at once", async () => {
    const roomId = await createRoom(admin, "opens", { name: "Lobby" });
    const response = await patchRoom(admin, "closeds", roomId, { name: "Lobby", user_ids: [adminUser.id, memberUser.id] });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/rooms/${roomId}`);
    expect(roomRow(roomId)).toMatchObject({ kind: "closed", name: "Lobby" });
    expect(membersOf(roomId)).toEqual(ids(adminUser, memberUser));
    expect((await third.get(`/rooms/${roomId}`)).status).toBe(404);
    expect((await postMessage(third, roomId, "still here?")).status).toBe(404);
    const late = joinLater();
    expect(membersOf(roomId)).not.toContain(late.id);
  });

  test("turning a closed room open lets everyone in, including people who join later", async () => {
    const roomId = await createRoom(admin, "closeds", { name: "Hideout" });
    expect(membersOf(roomId)).toEqual([adminUser.id]);
    const response = await patchRoom(admin, "opens", roomId, { name: "Hideout" });
    expect(response.status).toBe(303);
    expect(roomRow(roomId)).toMatchObject({ kind: "open" });
    expect(membersOf(roomId)).toEqual(ids(adminUser, memberUser, thirdUser));
    expect((await third.get(`/rooms/${roomId}`)).status).toBe(200);
    const late = joinLater();
    expect(membersOf(roomId)).toContain(late.id);
  });

  test("renaming a room keeps its people and their notification settings", async () => {
    const roomId = await createRoom(admin, "closeds", { name: "Hideout", user_ids: [memberUser.id] });
    server.db.query("UPDATE memberships SET involvement = 'everything' WHERE room_id = ? AND user_id = ?").run(roomId, memberUser.id);
    const response = await patchRoom(admin, "closeds", roomId, { name: "Den", user_ids: [adminUser.id, memberUser.id] });
    expect(response.status).toBe(303);
    expect(roomRow(roomId)).toMatchObject({ kind: "closed", name: "Den" });
    expect(membersOf(roomId)).toEqual(ids(adminUser, memberUser));
    expect(server.db.query("SELECT involvement FROM memberships WHERE room_id = ? AND user_id = ?").get(roomId, memberUser.id)).toEqual({
      involvement: "everything",
    });
  });

  test("the creator may change their room even when they are not an administrator", async () => {
    const roomId = await createRoom(member, "opens", { name: "Milo's" });
    const response = await patchRoom(member, "closeds", roomId, { name: "Milo's", user_ids: [memberUser.id] });
    expect(response.status).toBe(303);
    expect(membersOf(roomId)).toEqual([memberUser.id]);
  });

  test("an administrator may change a room someone else created", async () => {
    const roomId = await createRoom(member, "opens", { name: "Milo's" });
    const response = await patchRoom(admin, "opens", roomId, { name: "Everyone's" });
    expect(response.status).toBe(303);
    expect(roomRow(roomId)).toMatchObject({ name: "Everyone's" });
  });

  test("a member who did not create the room cannot rename it, change its kind or its people", async () => {
    const roomId = await createRoom(admin, "opens", { name: "Lobby" });
    for (const [kind, fields] of [
      ["opens", { name: "Taken over" }],
      ["closeds", { name: "Lobby", user_ids: [memberUser.id] }],
    ] as const) {
      const response = await patchRoom(member, kind, roomId, fields);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("Only the room&#39;s creator or an administrator can change this room.");
    }
    // Even an invalid form is refused for who they are, not for what they typed.
    expect((await patchRoom(member, "opens", roomId, { name: "" })).status).toBe(403);
    expect(roomRow(roomId)).toEqual({ kind: "open", name: "Lobby", creator_id: adminUser.id });
    expect(membersOf(roomId)).toEqual(ids(adminUser, memberUser, thirdUser));
  });

  test("someone outside a closed room cannot change it and is not told that it exists", async () => {
    const roomId = await createRoom(admin, "closeds", { name: "Hideout", user_ids: [memberUser.id] });
    expect((await patchRoom(third, "closeds", roomId, { name: "Mine", user_ids: [thirdUser.id] })).status).toBe(404);
    expect((await patchRoom(third, "opens", roomId, { name: "" })).status).toBe(404);
    expect(roomRow(roomId)).toMatchObject({ kind: "closed", name: "Hideout" });
    expect(membersOf(roomId)).toEqual(ids(adminUser, memberUser));
  });

  test("renaming to nothing is refused with 422 and the form, and nothing changes", async () => {
    const roomId = await createRoom(admin, "opens", { name: "Lobby" });
    const response = await patchRoom(admin, "opens", roomId, { name: " " });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Please give the room a name.");
    expect(html).toContain(`action="/rooms/opens/${roomId}"`);
    expect(roomRow(roomId)).toMatchObject({ name: "Lobby" });
  });

  test("whoever edits a closed room stays in it, so a room is never left with nobody in it", async () => {
    const roomId = await createRoom(admin, "opens", { name: "Lobby" });
    const response = await patchRoom(admin, "closeds", roomId, { name: "Lobby", user_ids: [memberUser.id] });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/rooms/${roomId}`);
    expect(membersOf(roomId).sort()).toEqual([1, memberUser.id].sort());

    const emptied = await patchRoom(admin, "closeds", roomId, { name: "Lobby" });
    expect(emptied.status).toBe(303);
    expect(membersOf(roomId)).toEqual([1]);
    expect((await admin.get(`/rooms/${roomId}`)).status).toBe(200);
  });

  test("the settings page is a form for the creator, a read-only view for other members, and 404 for outsiders", async () => {
    const roomId = await createRoom(member, "closeds", { name: "Hideout", user_ids: [thirdUser.id] });
    const mine = await member.get(`/rooms/${roomId}/edit`);
    expect(mine.status).toBe(200);
    const form = await mine.text();
    expect(form).toContain(`hx-patch="/rooms/closeds/${roomId}"`);
    expect(form).toContain('name="name"');
    expect(form).toContain(`hx-delete="/rooms/${roomId}"`);

    const theirs = await third.get(`/rooms/${roomId}/edit`);
    expect(theirs.status).toBe(200);
    const view = await theirs.text();
    expect(view).toContain("Only the room&#39;s creator or an administrator can change it.");
    expect(view).not.toContain('name="name"');
    expect(view).not.toContain("hx-delete=");

    expect((await admin.get(`/rooms/${roomId}/edit`)).status).toBe(404);
  });

  test("someone who can't change a room sees its name once and who is in it, with no controls they can't use", async () => {
    const roomId = await createRoom(member, "closeds", { name: "Hideout", user_ids: [thirdUser.id] });
    const view = await (await third.get(`/rooms/${roomId}/edit`)).text();
    const main = view.slice(view.indexOf("<main"), view.indexOf("</main>"));
    expect(main.match(/Hideout/g)).toHaveLength(1);
    expect(main).toContain('<h1 class="panel__title">Hideout</h1>');
    expect(main).toContain("2 people are in this room:");
    expect(main).toContain(`<li>${memberUser.name}</li>`);
    expect(main).not.toContain("room-form__kinds");
    expect(main).not.toContain("<form");
    expect(main).not.toContain("<button");

    const everyone = await (await third.get(`/rooms/${ALL_TALK}/edit`)).text();
    expect(everyone).toContain("Everyone on this Campfire is in this room");
    expect(everyone).not.toContain("room-form__kinds");
  });

  test("switching between Everyone and Selected people keeps the name and the people chosen so far", async () => {
    const switched = await member.get(
      `/rooms/new?kind=closed&name=${encodeURIComponent("Launch <plans>")}&user_ids=${thirdUser.id}&user_ids=${memberUser.id}`,
      {
        "HX-Request": "true",
      },
    );
    expect(switched.status).toBe(200);
    const form = await switched.text();
    expect(form).toStartWith('<form class="form room-form"');
    expect(form).toContain('value="Launch &lt;plans&gt;"');
    expect(form).toContain(`<input type="hidden" name="user_ids" value="${thirdUser.id}"/>`);
    expect(form).toContain(`<input type="hidden" name="user_ids" value="${memberUser.id}"/>`);
    expect(form).toContain('hx-post="/rooms/closeds"');

    // The switch links carry what was typed along, into the form's own place.
    const page = await (await member.get("/rooms/new")).text();
    expect(page).toMatch(
      /<a class="room-form__kind" href="\/rooms\/new\?kind=closed" hx-get="\/rooms\/new\?kind=closed" hx-include="closest form" hx-target="closest form"/,
    );

    const roomId = await createRoom(member, "opens", { name: "Lobby" });
    const editing = await (await member.get(`/rooms/${roomId}/edit?kind=closed&name=Renamed`, { "HX-Request": "true" })).text();
    expect(editing).toContain('value="Renamed"');
    expect(editing).toContain(`hx-patch="/rooms/closeds/${roomId}"`);
  });

  test("a carried-over name or person list that is not one is ignored, not an error", async () => {
    for (const query of [`name=${"x".repeat(101)}`, "user_ids=abc", "user_ids=-1", "kind=secret"]) {
      const response = await member.get(`/rooms/new?${query}`);
      expect(response.status).toBe(200);
    }
    const unknown = await (await member.get("/rooms/new?kind=closed&user_ids=9999", { "HX-Request": "true" })).text();
    expect(unknown).not.toContain('value="9999"');
  });

  test("the new-room pages offer the right forms", async () => {
    const open = await member.get("/rooms/new");
    expect(open.status).toBe(200);
    expect(await open.text()).toContain('action="/rooms/opens"');
    expect(await (await member.get("/rooms/new?kind=closed")).text()).toContain('action="/rooms/closeds"');
    expect(await (await member.get("/rooms/new?kind=bogus")).text()).toContain('action="/rooms/opens"');
    const direct = await member.get("/rooms/directs/new");
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain('action="/rooms/directs"');
  });
});

describe("deleting a room", () => {
  const hits = (word: string) => {
    indexPendingMessages(server.db);
    return count("SELECT count(*) AS n FROM message_search_index WHERE message_search_index MATCH ?", word);
  };

  test("deletes the room with its messages, their search entries, mentions and memberships", async () => {
    const doomed = await createRoom(admin, "opens", { name: "Doomed" });
    const kept = await createRoom(admin, "opens", { name: "Kept" });
    expect((await postMessage(admin, doomed, "an unforgettable pineapple for @Milo Member")).status).toBe(201);
    expect((await postMessage(member, doomed, "another pineapple")).status).toBe(201);
    expect((await postMessage(admin, kept, "a kept pineapple")).status).toBe(201);
    expect(hits("pineapple")).toBe(3);
    expect(hits("unforgettable")).toBe(1);

    const response = await deleteRoom(admin, doomed);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    expect(roomRow(doomed)).toBeNull();
    expect(count("SELECT count(*) AS n FROM messages WHERE room_id = ?", doomed)).toBe(0);
    expect(count("SELECT count(*) AS n FROM memberships WHERE room_id = ?", doomed)).toBe(0);
    expect(count("SELECT count(*) AS n FROM mentions")).toBe(0);
    expect(hits("unforgettable")).toBe(0);
    expect(hits("pineapple")).toBe(1);
    expect((await admin.get(`/rooms/${doomed}`)).status).toBe(404);
    expect((await member.get(`/rooms/${doomed}/messages`)).status).toBe(404);
  });

  test("a member who did not create a room cannot delete it", async () => {
    const roomId = await createRoom(admin, "opens", { name: "Lobby" });
    const response = await deleteRoom(member, roomId);
    expect(response.status).toBe(403);
    expect(roomRow(roomId)).not.toBeNull();
  });

  test("the creator may delete their own room", async () => {
    const roomId = await createRoom(member, "closeds", { name: "Milo's", user_ids: [thirdUser.id] });
    expect((await deleteRoom(member, roomId)).status).toBe(303);
    expect(roomRow(roomId)).toBeNull();
  });

  test("an administrator may delete a room someone else created", async () => {
    const roomId = await createRoom(member, "opens", { name: "Milo's" });
    expect((await deleteRoom(admin, roomId)).status).toBe(303);
    expect(roomRow(roomId)).toBeNull();
  });

  test("anyone in a direct room may delete it", async () => {
    const roomId = await createRoom(admin, "directs", { user_ids: memberUser.id });
    expect((await postMessage(admin, roomId, "private words")).status).toBe(201);
    const response = await deleteRoom(member, roomId);
    expect(response.status).toBe(303);
    expect(roomRow(roomId)).toBeNull();
    expect(hits("private")).toBe(0);
  });

  test("someone outside a room cannot delete it and is not told that it exists", async () => {
    const closed = await createRoom(admin, "closeds", { name: "Hideout", user_ids: [memberUser.id] });
    const direct = await createRoom(admin, "directs", { user_ids: memberUser.id });
    expect((await deleteRoom(third, closed)).status).toBe(404);
    expect((await deleteRoom(third, direct)).status).toBe(404);
    expect(roomRow(closed)).not.toBeNull();
    expect(roomRow(direct)).not.toBeNull();
  });
});

describe("when only administrators may create rooms", () => {
  test("members are refused open and closed rooms and the new-room page, and nothing is made", async () => {
    await restrictRoomCreation();
    const before = roomCount();
    for (const [kind, fields] of [
      ["opens", { name: "Lobby" }],
      ["closeds", { name: "Hideout", user_ids: [thirdUser.id] }],
    ] as const) {
      const response = await sendForm(member, `/rooms/${kind}`, fields);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("Only administrators can create rooms on this Campfire.");
    }
    expect((await member.get("/rooms/new")).status).toBe(403);
    expect(roomCount()).toBe(before);
  });

  test("members can still start direct messages", async () => {
    await restrictRoomCreation();
    const roomId = await createRoom(member, "directs", { user_ids: thirdUser.id });
    expect(membersOf(roomId)).toEqual(ids(memberUser, thirdUser));
    expect((await member.get("/rooms/directs/new")).status).toBe(200);
  });

  test("administrators can still create rooms", async () => {
    await restrictRoomCreation();
    expect(roomRow(await createRoom(admin, "opens", { name: "Lobby" }))).not.toBeNull();
    expect(roomRow(await createRoom(admin, "closeds", { name: "Hideout" }))).not.toBeNull();
  });

  test("members' sidebars lose the new-room +, the administrator's keeps it, and direct messages keep theirs", async () => {
    expect(await (await member.get(`/rooms/${ALL_TALK}`)).text()).toContain('href="/rooms/new"');
    await restrictRoomCreation();
    const memberPage = await (await member.get(`/rooms/${ALL_TALK}`)).text();
    expect(memberPage).not.toContain('href="/rooms/new"');
    expect(memberPage).toContain('href="/rooms/directs/new"');
    expect(await (await admin.get(`/rooms/${ALL_TALK}`)).text()).toContain('href="/rooms/new"');
  });
});

describe("the sidebar", () => {
  const sidebarOf = async (client: Client, list: "shared_rooms" | "direct_rooms") =>
    sidebarRoomIds(await (await client.get(`/rooms/${ALL_TALK}`)).text(), list);

  test("lists shared rooms alphabetically, ignoring case", async () => {
    const zebra = await createRoom(admin, "opens", { name: "zebra" });
    const apple = await createRoom(admin, "opens", { name: "Apple" });
    const mango = await createRoom(admin, "closeds", { name: "mango" });
    expect(await sidebarOf(admin, "shared_rooms")).toEqual([ALL_TALK, apple, mango, zebra]);
    expect(await sidebarOf(member, "shared_rooms")).toEqual([ALL_TALK, apple, zebra]);
  });

  test("lists direct rooms most recently active first", async () => {
    const start = Date.now();
    const at = (minutes: number) => setClock(() => start + minutes * 60_000);
    at(1);
    const withMember = await createRoom(admin, "directs", { user_ids: memberUser.id });
    at(2);
    const withThird = await createRoom(admin, "directs", { user_ids: thirdUser.id });
    at(3);
    const notes = await createRoom(admin, "directs", {});
    expect(await sidebarOf(admin, "direct_rooms")).toEqual([notes, withThird, withMember]);

    at(4);
    expect((await postMessage(member, withMember, "hello again")).status).toBe(201);
    expect(await sidebarOf(admin, "direct_rooms")).toEqual([withMember, notes, withThird]);
    expect(await sidebarOf(admin, "shared_rooms")).toEqual([ALL_TALK]);
  });

  test("shows a direct room only to the people in it", async () => {
    const roomId = await createRoom(admin, "directs", { user_ids: memberUser.id });
    expect(await sidebarOf(member, "direct_rooms")).toEqual([roomId]);
    expect(await sidebarOf(third, "direct_rooms")).toEqual([]);
  });

  test("comes alone from /users/me/sidebar, as the room page shows it, with unread marks and the current room", async () => {
    const closed = await createRoom(admin, "closeds", { name: "Quiet corner", user_ids: memberUser.id });
    const direct = await createRoom(member, "directs", { user_ids: adminUser.id });
    expect((await postMessage(admin, closed, "anyone?")).status).toBe(201);
    const response = await member.get(`/users/me/sidebar?room_id=${direct}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html.startsWith('<nav id="sidebar" class="sidebar"')).toBe(true);
    expect(html).not.toContain("<html");
    expect(sidebarRoomIds(html, "shared_rooms")).toEqual(await sidebarOf(member, "shared_rooms"));
    expect(sidebarRoomIds(html, "direct_rooms")).toEqual([direct]);
    expect(sidebarItemClass(html, closed)).toContain("sidebar__item--unread");
    expect(sidebarItemClass(html, direct)).toContain("current");
    expect(sidebarRoomIds(await (await third.get("/users/me/sidebar")).text(), "shared_rooms")).toEqual([ALL_TALK]);
  });

  test("shows a room's rename, new messages and deletion at once, though rooms' entries are kept between pages", async () => {
    const sidebar = async () => (await (await member.get("/users/me/sidebar")).text()) as string;
    const roomId = await createRoom(admin, "opens", { name: "Before" });
    expect(await sidebar()).toContain(">Before</a>");
    expect((await patchRoom(admin, "opens", roomId, { name: "After" })).status).toBeLessThan(400);
    expect(await sidebar()).toContain(">After</a>");
    expect(await sidebar()).not.toContain(">Before</a>");

    // Minutes apart, so the order never hangs on two rooms sharing a millisecond.
    const start = Date.now();
    try {
      setClock(() => start + 60_000);
      const withAdmin = await createRoom(admin, "directs", { user_ids: memberUser.id });
      setClock(() => start + 120_000);
      const withThird = await createRoom(third, "directs", { user_ids: memberUser.id });
      expect(sidebarRoomIds(await sidebar(), "direct_rooms")).toEqual([withThird, withAdmin]);
      setClock(() => start + 180_000);
      expect((await postMessage(admin, withAdmin, "newer now")).status).toBe(201);
      expect(sidebarRoomIds(await sidebar(), "direct_rooms")).toEqual([withAdmin, withThird]);
    } finally {
      useRealClock();
    }

    expect((await deleteRoom(admin, roomId)).status).toBeLessThan(400);
    expect(sidebarRoomIds(await sidebar(), "shared_rooms")).not.toContain(roomId);
    const reborn = await createRoom(admin, "opens", { name: "Reborn" }); // SQLite may reuse the id
    expect(await sidebar()).toContain(`id="sidebar_room_${reborn}"`);
    expect(await sidebar()).toContain(">Reborn</a>");
  });

  test("a shared room's item follows its reader: plain, unread with the message's time, current, then unread again", async () => {
    const roomId = await createRoom(admin, "opens", { name: "Kept item" });
    const item = async (path: string) => {
      const html = (await (await member.get(path)).text()) as string;
      const time = /data-last-message-at="(\d+)"/.exec(html.slice(html.indexOf(`id="sidebar_room_${roomId}"`)))![1]!;
      return { className: sidebarItemClass(html, roomId), time: Number(time) };
    };
    const start = Date.now();
    try {
      expect(await item(`/rooms/${ALL_TALK}`)).toEqual({ className: "sidebar__item", time: 0 });
      setClock(() => start + 60_000);
      expect((await postMessage(admin, roomId, "first")).status).toBe(201);
      expect(await item(`/rooms/${ALL_TALK}`)).toEqual({ className: "sidebar__item sidebar__item--unread", time: start + 60_000 });
      expect((await item(`/rooms/${roomId}`)).className).toBe("sidebar__item sidebar__item--current");
      setClock(() => start + 120_000);
      expect((await postMessage(admin, roomId, "second")).status).toBe(201);
      expect(await item(`/rooms/${ALL_TALK}`)).toEqual({ className: "sidebar__item sidebar__item--unread", time: start + 120_000 });
    } finally {
      useRealClock();
    }
  });

  test("is only for people who are signed in, and ignores a room_id that is not a room", async () => {
    expect((await member.get("/users/me/sidebar?room_id=banana")).status).toBe(200);
    const stranger = await fetch(`${server.url}/users/me/sidebar`, { redirect: "manual" });
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get("location")).toBe("/session/new");
  });
});

describe("the room page", () => {
  test("is sent as UTF-8 with its messages exactly as typed, on a first visit, a kept one and a permalink", async () => {
    const roomId = await createRoom(admin, "opens", { name: "Café ☕" });
    const typed = "Naïve café 👍🏽 — <b>not bold</b> & “quoted”";
    const posted = await postMessage(admin, roomId, typed);
    expect(posted.status).toBe(201);
    const shown = "Naïve café 👍🏽 — &lt;b&gt;not bold&lt;/b&gt; &amp; “quoted”";
    const messageId = Number(/data-message-id="(\d+)"/.exec(await posted.text())![1]);
    for (const path of [`/rooms/${roomId}`, `/rooms/${roomId}`, `/rooms/${roomId}/@${messageId}`]) {
      const response = await member.get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=UTF-8");
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(Number(response.headers.get("content-length"))).toBe(bytes.length);
      const page = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      expect(page).toContain(shown);
      expect(page).toContain("<title>Café ☕ · ");
      expect(page.endsWith("</main></body></html>")).toBe(true);
    }
  });
});

describe("the home page", () => {
  test("opens the first room when none has been visited", async () => {
    const response = await member.get("/");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/rooms/${ALL_TALK}`);
  });

  test("returns to the last room visited", async () => {
    const roomId = await createRoom(admin, "opens", { name: "Lobby" });
    expect((await member.get(`/rooms/${roomId}`)).status).toBe(200);
    expect(member.cookies.get("last_room")).toBe(String(roomId));
    expect((await member.get("/")).headers.get("location")).toBe(`/rooms/${roomId}`);
  });

  test("ignores a last room the person has since lost, or a cookie that is not an id", async () => {
    const roomId = await createRoom(admin, "closeds", { name: "Hideout", user_ids: [memberUser.id] });
    expect((await member.get(`/rooms/${roomId}`)).status).toBe(200);
    await patchRoom(admin, "closeds", roomId, { name: "Hideout", user_ids: [adminUser.id] });
    expect((await member.get("/")).headers.get("location")).toBe(`/rooms/${ALL_TALK}`);
    member.cookies.set("last_room", "not-a-number");
    expect((await member.get("/")).headers.get("location")).toBe(`/rooms/${ALL_TALK}`);
  });

  test("with no rooms at all, shows the empty page instead of redirecting", async () => {
    expect((await deleteRoom(admin, ALL_TALK)).status).toBe(303);
    const response = await member.get("/");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("No rooms yet");
  });
});

describe("refusals", () => {
  test("unknown and malformed room ids are 404, never 500", async () => {
    const paths = ["0", "-1", "1.5", "abc", "999999", "99999999999999999999", "1e3"];
    for (const id of paths) {
      for (const [method, path] of [
        ["GET", `/rooms/${id}`],
        ["GET", `/rooms/${id}/edit`],
        ["DELETE", `/rooms/${id}`],
        ["PATCH", `/rooms/opens/${id}`],
        ["PATCH", `/rooms/closeds/${id}`],
        ["PATCH", `/rooms/${id}/involvement`],
      ]) {
        const response = await admin.request(path!, { method, form: method === "GET" ? undefined : { name: "X", involvement: "nothing" } });
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      }
    }
  });

  test("a malformed form body is a 4xx, never a 500", async () => {
    const roomId = await createRoom(admin, "opens", { name: "Lobby" });
    const before = roomCount();
    const bodies: [string, string, string, string][] = [
      ["POST", "/rooms/opens", "multipart/form-data; boundary=nope", "--garbage\r\n"],
      ["POST", "/rooms/closeds", "multipart/form-data", "name=x"],
      ["POST", "/rooms/directs", "application/x-www-form-urlencoded", "user_ids=%ZZ&user_ids=%"],
      ["PATCH", `/rooms/closeds/${roomId}`, "application/x-www-form-urlencoded", "name=%E0%A4%A&user_ids=%"],
      ["PATCH", `/rooms/${roomId}/involvement`, "multipart/form-data; boundary=x", "--x\r\nbroken"],
    ];
    for (const [method, path, type, body] of bodies) {
      const response = await sendBody(admin, path, body, { method, headers: { "content-type": type } });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    expect(roomCount()).toBe(before);
    expect(server.logs.filter((line) => line.startsWith("error"))).toEqual([]);
  });

  test("signed-out visitors are sent to sign in, and htmx gets 401", async () => {
    const visitor = new Client(server.url);
    const page = await visitor.get(`/rooms/${ALL_TALK}`);
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/session/new");
    const htmx = await visitor.post("/rooms/opens", { name: "Lobby" }, { "hx-request": "true" });
    expect(htmx.status).toBe(401);
    expect(htmx.headers.get("hx-redirect")).toBe("/session/new");
  });

  test("a room request from another website is refused", async () => {
    const before = roomCount();
    const response = await admin.request("/rooms/opens", { form: { name: "Lobby" }, origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(roomCount()).toBe(before);
  });
});

describe("inviting people", () => {
  test("an administrator alone in a fresh Campfire finds the join link, with a copy button, in the empty first room", async () => {
    const fresh = await startQuickSetUpServer();
    try {
      const html = await (await fresh.admin.get(`/rooms/${ALL_TALK}`)).text();
      const code = findAccount(fresh.server.ctx)!.joinCode;
      expect(html).toContain("Invite your team");
      expect(html).toContain(
        `<input id="room_join_link" class="field__input" type="url" value="${fresh.server.url}/join/${code}" readonly=""/>`,
      );
      expect(html).toContain('data-copy="room_join_link"');
    } finally {
      await fresh.server.close();
    }
  });

  test("once someone else is here, or the room has talk in it, the hint is gone; members never see it", async () => {
    expect(await (await admin.get(`/rooms/${ALL_TALK}`)).text()).not.toContain("Invite your team");
    expect(await (await member.get(`/rooms/${ALL_TALK}`)).text()).not.toContain("Invite your team");
  });

  test("administrators have an Invite people entry in the sidebar; members don't", async () => {
    expect(await (await admin.get(`/rooms/${ALL_TALK}`)).text()).toContain(
      '<a class="sidebar__extra sidebar__invite" href="/account#account_invite">Invite people</a>',
    );
    expect(await (await member.get(`/rooms/${ALL_TALK}`)).text()).not.toContain("sidebar__invite");
  });
});
