import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { postMessage as receiveMessage } from "../../src/messages/receive.ts";
import { findRoom } from "../../src/rooms/rooms.ts";
import { RESULT_LIMIT } from "../../src/search/searches.ts";
import type { User } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { createRoom, messageIdsIn, postMessage, sendForm, startThreePersonServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
let adminUser: User;
let member: Client;
let memberUser: User;
let third: Client;
let thirdUser: User;
/** A closed room of the administrator and the member; the third person is outside it. */
let projectId: number;
beforeEach(async () => {
  ({ server, admin, adminUser, member, memberUser, third, thirdUser } = await startThreePersonServer());
  projectId = await createRoom(admin, "closeds", { name: "Project", user_ids: [memberUser.id] });
});
afterEach(() => server.close());

const ALL_TALK = 1;

/** Posts over HTTP, as the composer does, and returns the new message's id. */
async function posted(client: Client, roomId: number, body: string): Promise<number> {
  const response = await postMessage(client, roomId, body);
  expect(response.status).toBe(201);
  return messageIdsIn(await response.text())[0]!;
}

/** Many messages at once through the domain function the route uses; their ids, oldest first. */
async function seed(roomId: number, bodies: string[], author = adminUser): Promise<number[]> {
  const room = findRoom(server.db, roomId)!;
  const ids: number[] = [];
  for (const body of bodies) {
    const result = await receiveMessage(server.ctx, author, room, { body, clientMessageId: crypto.randomUUID() });
    if (typeof result === "string") throw new Error(result);
    ids.push(result.message.id);
  }
  return ids;
}

/** The messages a search page lists, top to bottom. */
const resultIdsIn = (html: string): number[] => [...html.matchAll(/id="search_result_(\d+)"/g)].map((m) => Number(m[1]));

const search = (client: Client, q: string) => client.get(`/searches?q=${encodeURIComponent(q)}`);

/** The ids of the messages a search page lists, top to bottom. */
async function found(client: Client, q: string): Promise<number[]> {
  const response = await search(client, q);
  expect(response.status).toBe(200);
  return resultIdsIn(await response.text());
}

const recordSearch = (client: Client, q: string) => client.post("/searches", { q });
const clear = (client: Client, headers?: Record<string, string>) => client.request("/searches/clear", { method: "DELETE", headers });
const storedQueries = (user: User): string[] =>
  server.db
    .query<{ query: string }, [number]>("SELECT query FROM searches WHERE user_id = ? ORDER BY updated_at DESC")
    .all(user.id)
    .map((row) => row.query);
/** The recent-search chips on a page, in order. */
const chipsIn = (html: string): string[] => [...html.matchAll(/class="search__chip"[^>]*>([^<]*)</g)].map((m) => m[1]!);

describe("finding messages", () => {
  test("a match in one of the person's rooms is shown as an excerpt with its room, author, time and a link to it in its room", async () => {
    const id = await posted(member, projectId, "The deploy finished at noon");
    const response = await search(member, "deploy");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(resultIdsIn(html)).toEqual([id]);
    expect(html).toContain(`<a class="search-result__room" href="/rooms/${projectId}/@${id}">Project</a>`);
    expect(html).toContain('<span class="search-result__author">Milo Member</span>');
    expect(html).toMatch(/<time class="search-result__date" datetime="\d{4}-\d\d-\d\dT[\d:.]+Z" data-local-time="datetime">/);
    expect(html).toContain(
      `<a class="search-result__snippet" href="/rooms/${projectId}/@${id}">The <mark>deploy</mark> finished at noon</a>`,
    );
    expect(html).toContain("1 message matches “deploy”.");
  });

  test("a long message is cut to an excerpt around the match, with its matched words marked by their stem", async () => {
    const words = (prefix: string) => Array.from({ length: 60 }, (_, i) => `${prefix}${i}`).join(" ");
    await posted(member, projectId, `${words("early")} the report on Reporting is done ${words("late")}`);
    const html = await (await search(member, "reports")).text();
    const snippet = html.slice(
      html.indexOf('class="search-result__snippet"'),
      html.indexOf("</a>", html.indexOf('class="search-result__snippet"')),
    );
    expect(snippet).toContain("<mark>report</mark> on <mark>Reporting</mark> is done");
    expect(snippet).toContain("…");
    expect(snippet).not.toContain("early0 ");
    expect(snippet).not.toContain("late59");
    expect(snippet.length).toBeLessThan(400);
  });

  test("an excerpt is text: <script> and <mark> typed in a message come back escaped, with only our marks", async () => {
    await posted(member, projectId, "<script>alert(2)</script> fake <mark>not ours</mark> & <b onclick=alert(1)>x</b>");
    const html = await (await search(member, "fake")).text();
    const start = html.indexOf('class="search-result__snippet"');
    const snippet = html.slice(start, html.indexOf("</a>", start));
    expect(snippet).toContain(
      "&lt;script&gt;alert(2)&lt;/script&gt; <mark>fake</mark> &lt;mark&gt;not ours&lt;/mark&gt; &amp; &lt;b onclick=alert(1)&gt;x&lt;/b&gt;",
    );
    expect(snippet.match(/<mark>/g)).toEqual(["<mark>"]);
    expect(snippet).not.toMatch(/<script|<b[ >]/);
  });

  test("messages in rooms the person is not in are never returned", async () => {
    await posted(admin, projectId, "secret deploy plans");
    const open = await posted(admin, ALL_TALK, "public deploy notes");
    expect(await found(third, "deploy")).toEqual([open]);
    expect(await found(third, "secret")).toEqual([]);
    expect(await (await search(third, "secret")).text()).toContain("No messages match “secret”.");
  });

  test("once someone is taken out of a closed room, its messages stop turning up for them", async () => {
    const id = await posted(member, projectId, "quarterly numbers attached");
    expect(await found(member, "quarterly")).toEqual([id]);
    const removed = await sendForm(admin, `/rooms/closeds/${projectId}`, { name: "Project", user_ids: [] }, { method: "PATCH" });
    expect(removed.status).toBe(303);
    expect(await found(member, "quarterly")).toEqual([]);
    expect(await found(admin, "quarterly")).toEqual([id]);
  });

  test("a room hidden from the sidebar is still searched: the person is still a member", async () => {
    const id = await posted(admin, projectId, "hidden treasure");
    const hidden = await member.request(`/rooms/${projectId}/involvement`, { method: "PATCH", form: { involvement: "invisible" } });
    expect(hidden.status).toBe(303);
    expect(await found(member, "treasure")).toEqual([id]);
  });

  test("words are matched by their stem: “run” finds “running” and “runs”", async () => {
    const [running, runs] = await seed(projectId, ["I am running late", "She runs the meeting", "a runway is something else"]);
    expect(await found(member, "run")).toEqual([runs!, running!]);
    expect(await found(member, "running")).toEqual([runs!, running!]);
  });

  test("every word must match, in any order, and case does not matter", async () => {
    const [both] = await seed(projectId, ["Lunch menu for Friday", "lunch is late", "friday plans"]);
    expect(await found(member, "FRIDAY lunch")).toEqual([both!]);
  });

  test("letters beyond ASCII are words too, and accents are not needed to find them", async () => {
    const [greeting, cafe] = await seed(projectId, ["Schöne Grüße aus München", "meet at the café"]);
    expect(await found(member, "grüße")).toEqual([greeting!]);
    expect(await found(member, "München")).toEqual([greeting!]);
    expect(await found(member, "cafe")).toEqual([cafe!]);
  });

  test("results are the newest matches, a page at a time, newest first, and the page says there are more", async () => {
    const ids = await seed(
      projectId,
      Array.from({ length: RESULT_LIMIT + 5 }, (_, i) => `status report ${i + 1}`),
    );
    const response = await search(member, "report");
    const html = await response.text();
    expect(resultIdsIn(html)).toEqual(ids.slice(5).reverse());
    expect(html).toContain(`More than ${RESULT_LIMIT} messages match “report”; here are the newest ${RESULT_LIMIT}.`);
  });

  test("an edited message is found by its new words, not its old ones", async () => {
    const id = await posted(member, projectId, "meet at the lighthouse");
    const edited = await member.request(`/rooms/${projectId}/messages/${id}`, { method: "PATCH", form: { body: "meet at the harbour" } });
    expect(edited.status).toBe(200);
    expect(await found(member, "harbour")).toEqual([id]);
    expect(await found(member, "lighthouse")).toEqual([]);
  });

  test("a deleted message is no longer found", async () => {
    const id = await posted(member, projectId, "oops wrong room");
    expect(await found(member, "oops")).toEqual([id]);
    expect((await member.request(`/rooms/${projectId}/messages/${id}`, { method: "DELETE" })).status).toBe(200);
    expect(await found(member, "oops")).toEqual([]);
  });

  test("only the plain text is searched, never the HTML around it", async () => {
    const id = await posted(member, projectId, "a `bold` word and a link: https://example.com/");
    expect(await found(member, "bold link")).toEqual([id]);
    for (const markup of ["href", "code", "noopener", "nofollow", "blank"]) expect(await found(member, markup)).toEqual([]);
  });

  test("a result in a direct room is labelled with the other person's name", async () => {
    const direct = await createRoom(member, "directs", { user_ids: [thirdUser.id] });
    const id = await posted(member, direct, "just between us");
    const html = await (await search(member, "between")).text();
    expect(html).toContain(`href="/rooms/${direct}/@${id}">Tess Third</a>`);
  });
});

describe("what people type", () => {
  test("FTS5 syntax and punctuation are just spaces: never an error", async () => {
    await seed(projectId, ["rock and roll", "not now", "near the end"]);
    const queries = [
      '"',
      "*",
      "AND",
      "OR",
      "NOT",
      "NEAR",
      "(",
      ")",
      "-foo",
      ":",
      "rock*",
      "^rock",
      "body_plain:rock",
      "NEAR(rock roll)",
      '"rock',
      "rock AND",
      "{rock}",
      "'",
      "\\",
      "%",
      "rock -roll",
      "+",
      "a.b",
      "😀",
      "\u0301",
      "\0",
    ];
    for (const q of queries) {
      const response = await search(member, q);
      expect({ q, status: response.status }).toEqual({ q, status: 200 });
      expect(await response.text()).not.toContain("Something went wrong");
    }
    expect(server.logs.filter((line) => line.startsWith("error"))).toEqual([]);
  });

  test("AND, OR, NOT and NEAR are words like any other", async () => {
    const [rock, not] = await seed(projectId, ["rock and roll", "not now", "rock or roll"]);
    expect(await found(member, "rock AND roll")).toEqual([rock!]);
    expect(await found(member, "NOT")).toEqual([not!]);
  });

  test("punctuation around words is ignored", async () => {
    const [id] = await seed(projectId, ["ship it today"]);
    expect(await found(member, '"ship" (it)! today?')).toEqual([id!]);
  });

  test("an empty search shows the box and recent searches, and no results", async () => {
    await seed(projectId, ["anything at all"]);
    for (const path of ["/searches", "/searches?q=", "/searches?q=%20%20"]) {
      const response = await member.get(path);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<form class="search__form" method="post" action="/searches"');
      expect(resultIdsIn(html)).toEqual([]);
      expect(html).not.toContain("search__summary");
    }
  });

  test("a search of nothing but punctuation finds nothing, calmly", async () => {
    await seed(projectId, ["?!"]);
    const html = await (await search(member, "?!")).text();
    expect(resultIdsIn(html)).toEqual([]);
    expect(html).toContain("No messages match “?!”.");
  });

  test("a search longer than 200 characters is refused with 422 and a reason, on the page and the form", async () => {
    const long = "word ".repeat(41);
    const response = await search(member, long);
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("A search can be at most 200 characters");
    expect(html).toContain('class="search__form"');
    const posted = await recordSearch(member, long);
    expect(posted.status).toBe(422);
    expect(await posted.text()).toContain("A search can be at most 200 characters");
    expect(storedQueries(memberUser)).toEqual([]);
    expect((await search(member, "word ".repeat(40))).status).toBe(200);
  });

  test("what was typed is shown escaped, in the box, the summary and the chips", async () => {
    expect((await recordSearch(member, "<b>bold</b>")).status).toBe(303);
    const html = await (await search(member, "<b>bold</b>")).text();
    expect(html).not.toContain("<b>bold</b>");
    expect(html).toContain("“&lt;b&gt;bold&lt;/b&gt;”");
    expect(chipsIn(html)).toEqual(["&lt;b&gt;bold&lt;/b&gt;"]);
  });
});

describe("recent searches", () => {
  test("searching from the box records the query and goes to its results", async () => {
    const response = await recordSearch(member, "  deploy plans ");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/searches?q=deploy%20plans");
    expect(storedQueries(memberUser)).toEqual(["deploy plans"]);
    const html = await (await member.get("/searches")).text();
    expect(chipsIn(html)).toEqual(["deploy plans"]);
    expect(html).toContain('href="/searches?q=deploy%20plans"');
  });

  test("a repeated search is not kept twice; it moves to the top", async () => {
    for (const q of ["alpha", "beta", "gamma", "alpha"]) expect((await recordSearch(member, q)).status).toBe(303);
    expect(storedQueries(memberUser)).toEqual(["alpha", "gamma", "beta"]);
    expect(chipsIn(await (await member.get("/searches")).text())).toEqual(["alpha", "gamma", "beta"]);
  });

  test("only the 10 most recent searches are kept", async () => {
    for (let i = 1; i <= 12; i++) await recordSearch(member, `query ${i}`);
    const expected = Array.from({ length: 10 }, (_, i) => `query ${12 - i}`);
    expect(storedQueries(memberUser)).toEqual(expected);
    expect(chipsIn(await (await member.get("/searches")).text())).toEqual(expected);
  });

  test("an empty or punctuation-only search is not recorded", async () => {
    expect((await recordSearch(member, "   ")).headers.get("location")).toBe("/searches");
    expect((await recordSearch(member, "?!")).status).toBe(303);
    expect(storedQueries(memberUser)).toEqual([]);
  });

  test("each person sees only their own recent searches", async () => {
    await recordSearch(member, "my own search");
    expect(chipsIn(await (await third.get("/searches")).text())).toEqual([]);
  });

  test("Clear forgets all of the person's searches, and only theirs", async () => {
    await recordSearch(member, "one");
    await recordSearch(member, "two");
    await recordSearch(third, "three");
    const response = await clear(member);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/searches");
    expect(storedQueries(memberUser)).toEqual([]);
    expect(storedQueries(thirdUser)).toEqual(["three"]);
    expect(await (await member.get("/searches")).text()).not.toContain("search__clear");
  });

  test("Clear from the page's button (htmx) navigates back to the search page", async () => {
    await recordSearch(member, "one");
    expect(await (await member.get("/searches")).text()).toContain('hx-delete="/searches/clear"');
    const response = await clear(member, { "hx-request": "true" });
    expect(response.status).toBe(204);
    expect(response.headers.get("hx-redirect")).toBe("/searches");
    expect(storedQueries(memberUser)).toEqual([]);
  });
});

describe("the page and who may use it", () => {
  test("signed-out visitors are sent to sign in, and nothing is recorded or cleared", async () => {
    await recordSearch(member, "kept");
    const stranger = new Client(server.url);
    for (const response of [
      await stranger.get("/searches?q=deploy"),
      await stranger.post("/searches", { q: "deploy" }),
      await stranger.request("/searches/clear", { method: "DELETE" }),
    ]) {
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/session/new");
    }
    expect(storedQueries(memberUser)).toEqual(["kept"]);
  });

  test("a search posted from another website is refused and not recorded", async () => {
    const response = await member.request("/searches", { method: "POST", form: { q: "evil" }, origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(storedQueries(memberUser)).toEqual([]);
    const cleared = await member.request("/searches/clear", { method: "DELETE", origin: "https://evil.example" });
    expect(cleared.status).toBe(403);
  });

  test("the page has the sidebar, a way back to the last room, and no inline script or style", async () => {
    expect((await member.get(`/rooms/${projectId}`)).status).toBe(200);
    const html = await (await search(member, "anything")).text();
    expect(html).toContain('class="sidebar"');
    expect(html).toContain(`<a class="search__back button button--quiet" href="/rooms/${projectId}">← Back to Project</a>`);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=|\sstyle=|hx-on/i);
    const fresh = await (await third.get("/searches")).text();
    expect(fresh).toContain('href="/">← Back to your rooms</a>');
  });

  test("a last-room cookie for a room the person is not in does not leak its name", async () => {
    third.cookies.set("last_room", String(projectId));
    const html = await (await third.get("/searches")).text();
    expect(html).not.toContain("Project");
    expect(html).toContain('href="/">← Back to your rooms</a>');
  });

  test("the room page links to search", async () => {
    const html = await (await member.get(`/rooms/${projectId}`)).text();
    expect(html).toContain('href="/searches"');
  });
});
