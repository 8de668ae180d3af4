import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { activityTopic, roomTopic } from "../../src/realtime/topics.ts";
import type { Client } from "../helpers/client.ts";
import { addSignedInMember, createRoom, postMessage, sendForm, startSetUpServer, THIRD } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { carrying, frameOf, kindOf, messageIdFrom, openSocket, roomOf, type TestSocket } from "../helpers/socket.ts";

const ALL_TALK = 1;

let server: TestServer;
let admin: Client;
let adminId: number;
beforeEach(async () => {
  ({ server, admin } = await startSetUpServer());
  adminId = (server.db.query("SELECT id FROM users WHERE role = 'admin'").get() as { id: number }).id;
});
afterEach(() => server.close());

async function post(client: Client, roomId: number, body: string): Promise<number> {
  const response = await postMessage(client, roomId, body);
  expect(response.status).toBe(201);
  return messageIdFrom(response);
}

const subscribers = (topic: string) => server.ctx.publisher.subscriberCount(topic);

/** The frames about one room a tab received from index `from` on. */
const framesAbout = (tab: TestSocket, roomId: number, from = 0) => tab.frames.slice(from).filter((frame) => roomOf(frame) === roomId);

describe("a person outside a closed room", () => {
  test("cannot enter it and receives none of its frames", async () => {
    const { client: milo } = await addSignedInMember(server);
    const secret = await createRoom(admin, "closeds", { name: "Secret", user_ids: [] });
    const adminTab = await openSocket(server, admin);
    await adminTab.enter(secret);
    const miloTab = await openSocket(server, milo);

    const refused = await miloTab.enter(secret, 0);
    expect(kindOf(refused)).toBe("room-removed");
    expect(miloTab.frames).toEqual([refused]); // no catch-up, presence or read mark
    expect(subscribers(roomTopic(secret))).toBe(1);
    expect(subscribers(activityTopic(secret))).toBe(0);

    const hidden = await post(admin, secret, "just between us");
    adminTab.send({ type: "typing", room_id: secret, state: "start" });
    await sendForm(admin, `/rooms/${secret}/messages/${hidden}`, { body: "edited secret" }, { method: "PATCH" });
    await admin.request(`/rooms/${secret}/messages/${hidden}`, { method: "DELETE" });

    // Milo sees All Talk; a message posted there now arrives after anything from the secret room would have.
    await miloTab.enter(ALL_TALK);
    const marker = await post(admin, ALL_TALK, "marker");
    await miloTab.waitFor(carrying(marker));
    expect(framesAbout(miloTab, secret)).toEqual([refused]);
    expect(miloTab.frames.some((frame) => frame.includes("just between us") || frame.includes("edited secret"))).toBe(false);
  });
});

describe("activity for members not looking at the room", () => {
  test("a member elsewhere gets an activity frame, not the message; the author's tab in the room gets no activity", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const miloTab = await openSocket(server, milo); // has All Talk in the sidebar, not open
    const authorInRoom = await openSocket(server, admin);
    await authorInRoom.enter(ALL_TALK);

    const first = await post(admin, ALL_TALK, "first");
    const activity = await miloTab.waitFor(frameOf("activity", ALL_TALK));
    expect(activity).toContain(`data-creator-id="${adminId}"`);
    await authorInRoom.waitFor(carrying(first));

    // A second post's frames come after any the first could still have produced.
    await post(milo, ALL_TALK, "second");
    await miloTab.waitFor((frame) => frameOf("activity", ALL_TALK)(frame) && frame.includes(`data-creator-id="${user.id}"`));
    await authorInRoom.waitFor(frameOf("messages", ALL_TALK), 3_000, authorInRoom.frames.findIndex(carrying(first)) + 1);
    expect(miloTab.frames.filter(frameOf("messages"))).toEqual([]);
    expect(authorInRoom.frames.filter(frameOf("activity"))).toEqual([]);
  });

  test("the activity frame names whom the message mentions", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const miloTab = await openSocket(server, milo);
    await post(admin, ALL_TALK, "no mention here");
    expect(await miloTab.waitFor(frameOf("activity", ALL_TALK))).not.toContain("data-mentions");
    await post(admin, ALL_TALK, "hey @Milo Member, look");
    const mentioned = await miloTab.waitFor((frame) => frameOf("activity", ALL_TALK)(frame) && frame.includes("data-mentions"));
    expect(mentioned).toContain(`data-mentions="${user.id}"`);
  });

  test("leaving the room switches the tab back from its messages to its activity", async () => {
    const tab = await openSocket(server, admin);
    await tab.enter(ALL_TALK);
    await tab.leave(ALL_TALK);
    expect(subscribers(roomTopic(ALL_TALK))).toBe(0);
    expect(subscribers(activityTopic(ALL_TALK))).toBe(1);
    const { client: milo } = await addSignedInMember(server);
    const id = await post(milo, ALL_TALK, "after you left");
    await tab.waitFor(frameOf("activity", ALL_TALK));
    expect(tab.frames.some(carrying(id))).toBe(false);
  });
});

describe("a hidden (invisible) room", () => {
  test("stops activity frames for that person, and showing it again brings them back", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const shared = await createRoom(admin, "closeds", { name: "Shared", user_ids: [user.id] });
    const miloTab = await openSocket(server, milo);

    const hide = await sendForm(milo, `/rooms/${ALL_TALK}/involvement`, { involvement: "invisible" }, { method: "PATCH" });
    expect(hide.status).toBe(303);
    await miloTab.waitFor(frameOf("sidebar-remove", ALL_TALK));
    const hiddenFrom = miloTab.frames.length;
    const laterTab = await openSocket(server, milo); // opened while hidden: never follows it

    await post(admin, ALL_TALK, "nobody hid this from you, Ada");
    await post(admin, shared, "marker");
    for (const tab of [miloTab, laterTab]) await tab.waitFor(frameOf("activity", shared));
    expect(framesAbout(miloTab, ALL_TALK, hiddenFrom)).toEqual([]);
    expect(framesAbout(laterTab, ALL_TALK)).toEqual([]);

    const show = await sendForm(milo, `/rooms/${ALL_TALK}/involvement`, { involvement: "mentions" }, { method: "PATCH" });
    expect(show.status).toBe(303);
    for (const tab of [miloTab, laterTab]) await tab.waitFor(frameOf("sidebar-room", ALL_TALK));
    await post(admin, ALL_TALK, "welcome back");
    for (const tab of [miloTab, laterTab]) await tab.waitFor(frameOf("activity", ALL_TALK));
  });

  test("opening a hidden room and leaving it does not start following its activity", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const shared = await createRoom(admin, "closeds", { name: "Shared", user_ids: [user.id] });
    await sendForm(milo, `/rooms/${ALL_TALK}/involvement`, { involvement: "invisible" }, { method: "PATCH" });
    const miloTab = await openSocket(server, milo);

    // A hidden room can still be opened (from a link, say), and its messages arrive while it is.
    await miloTab.enter(ALL_TALK);
    const seen = await post(admin, ALL_TALK, "while you look");
    await miloTab.waitFor(carrying(seen));
    await miloTab.leave(ALL_TALK);
    const left = miloTab.frames.length;

    await post(admin, ALL_TALK, "after you left");
    await post(admin, shared, "marker");
    await miloTab.waitFor(frameOf("activity", shared), 3_000, left);
    expect(framesAbout(miloTab, ALL_TALK, left)).toEqual([]);
  });
});

describe("losing a room", () => {
  test("someone removed from a closed room gets room-removed at once and nothing more of it", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const project = await createRoom(admin, "closeds", { name: "Project", user_ids: [user.id] });
    const looking = await openSocket(server, milo);
    await looking.enter(project);
    const elsewhere = await openSocket(server, milo);
    const seen = await post(admin, project, "before");
    await looking.waitFor(carrying(seen));
    await elsewhere.waitFor(frameOf("activity", project));

    const change = await sendForm(admin, `/rooms/closeds/${project}`, { name: "Project", user_ids: [adminId] }, { method: "PATCH" });
    expect(change.status).toBe(303);
    const removedAt = new Map<TestSocket, number>();
    for (const tab of [looking, elsewhere]) {
      const removed = await tab.waitFor(frameOf("room-removed", project));
      expect(removed).toContain("You were removed from this room.");
      removedAt.set(tab, tab.frames.indexOf(removed));
    }
    expect(subscribers(roomTopic(project))).toBe(0);
    expect(subscribers(activityTopic(project))).toBe(0);

    // Everything the room does afterwards, then a marker in a room Milo still has.
    const hidden = await post(admin, project, "after you left");
    await sendForm(admin, `/rooms/${project}/messages/${hidden}`, { body: "edited after" }, { method: "PATCH" });
    await admin.request(`/rooms/${project}/messages/${seen}`, { method: "DELETE" });
    await post(admin, ALL_TALK, "marker");
    for (const tab of [looking, elsewhere]) {
      await tab.waitFor(frameOf("activity", ALL_TALK), 3_000, removedAt.get(tab)!);
      expect(framesAbout(tab, project, removedAt.get(tab)! + 1)).toEqual([]);
    }

    // Nor can the tab simply enter it again, or type into it.
    const refused = await looking.enter(project, 0);
    expect(kindOf(refused)).toBe("room-removed");
    looking.send({ type: "typing", room_id: project, state: "start" });
    await looking.sync();
    expect(subscribers(roomTopic(project))).toBe(0);
  });

  test("deleting a room sends room-removed to every member's tabs and unsubscribes them", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const { client: tess, user: tessUser } = await addSignedInMember(server, THIRD);
    const doomed = await createRoom(admin, "closeds", { name: "Doomed", user_ids: [user.id, tessUser.id] });
    const miloTab = await openSocket(server, milo);
    await miloTab.enter(doomed);
    const tessTab = await openSocket(server, tess);
    const adminTab = await openSocket(server, admin);

    expect((await admin.request(`/rooms/${doomed}`, { method: "DELETE" })).status).toBe(303);
    for (const tab of [miloTab, tessTab, adminTab]) {
      const removed = await tab.waitFor(frameOf("room-removed", doomed));
      expect(removed).toContain("This room was deleted.");
    }
    expect(subscribers(roomTopic(doomed))).toBe(0);
    expect(subscribers(activityTopic(doomed))).toBe(0);
    expect((await postMessage(admin, doomed, "anyone?")).status).toBe(404);
  });
});

describe("gaining a room", () => {
  test("creating a closed room with someone puts it in their sidebar and their tabs follow its activity", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const { client: tess } = await addSignedInMember(server, THIRD);
    const miloTab = await openSocket(server, milo);
    const tessTab = await openSocket(server, tess);

    const plans = await createRoom(admin, "closeds", { name: "Plans", user_ids: [user.id] });
    const sidebar = await miloTab.waitFor(frameOf("sidebar-room", plans));
    expect(sidebar).toContain("Plans");
    expect(subscribers(activityTopic(plans))).toBe(1);

    await post(admin, plans, "welcome to the plans");
    await miloTab.waitFor(frameOf("activity", plans));

    // Tess was not invited: the room's sidebar entry and activity never reach her.
    await post(admin, ALL_TALK, "marker");
    await tessTab.waitFor(frameOf("activity", ALL_TALK));
    expect(framesAbout(tessTab, plans)).toEqual([]);
  });

  test("renaming a room updates the entry in every member's sidebar, and only theirs", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const { client: tess } = await addSignedInMember(server, THIRD);
    const room = await createRoom(admin, "closeds", { name: "Plans", user_ids: [user.id] });
    const miloTab = await openSocket(server, milo);
    const tessTab = await openSocket(server, tess);

    const rename = await sendForm(
      admin,
      `/rooms/closeds/${room}`,
      { name: "Grand plans", user_ids: [adminId, user.id] },
      { method: "PATCH" },
    );
    expect(rename.status).toBe(303);
    const entry = await miloTab.waitFor(frameOf("sidebar-room", room));
    expect(entry).toContain(">Grand plans</a>");

    await post(admin, ALL_TALK, "marker");
    await tessTab.waitFor(frameOf("activity", ALL_TALK));
    expect(framesAbout(tessTab, room)).toEqual([]);
  });

  test("adding someone to an existing closed room lets their open tab enter it and follow it", async () => {
    const { client: milo, user } = await addSignedInMember(server);
    const later = await createRoom(admin, "closeds", { name: "Later", user_ids: [] });
    const miloTab = await openSocket(server, milo);
    expect(kindOf(await miloTab.enter(later))).toBe("room-removed");

    const change = await sendForm(admin, `/rooms/closeds/${later}`, { name: "Later", user_ids: [adminId, user.id] }, { method: "PATCH" });
    expect(change.status).toBe(303);
    await miloTab.waitFor(frameOf("sidebar-room", later));
    await post(admin, later, "you're in");
    await miloTab.waitFor(frameOf("activity", later));
    expect(kindOf(await miloTab.enter(later))).toBe("read");
    const id = await post(admin, later, "now you see it");
    await miloTab.waitFor(carrying(id));
  });
});
