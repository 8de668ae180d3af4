import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { setClock, useRealClock } from "../../src/db/time.ts";
import { ReceivedFile } from "../../src/http/multipart.ts";
import { postMessage } from "../../src/messages/receive.ts";
import { findRoom } from "../../src/rooms/rooms.ts";
import { RESULT_LIMIT } from "../../src/search/searches.ts";
import type { User } from "../../src/users/users.ts";
import type { Client } from "../helpers/client.ts";
import { createRoom, startThreePersonServer } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";

let server: TestServer;
let admin: Client;
let adminUser: User;
let member: Client;
let memberUser: User;
let third: Client;
let thirdUser: User;
/** A closed room of the administrator and the member ("Launch Plans"); the third person is outside it. */
let launchId: number;
beforeEach(async () => {
  ({ server, admin, adminUser, member, memberUser, third, thirdUser } = await startThreePersonServer());
  launchId = await createRoom(admin, "closeds", { name: "Launch Plans", user_ids: [memberUser.id] });
});
afterEach(() => server.close());

const ALL_TALK = 1;
const DAY_MS = 86_400_000;
const at = (date: string) => Date.parse(`${date}T12:00:00Z`);

/** A file as an upload arrives: whole on disk under incoming/, for postMessage to move into place. */
async function upload(name: string, text: string, type: string): Promise<ReceivedFile> {
  const path = join(server.dataDir, "incoming", `test-${crypto.randomUUID()}`);
  await Bun.write(path, text);
  return new ReceivedFile(path, name, type, Buffer.byteLength(text));
}

/** A message posted through the domain function the route uses (with a time or a file when given); its id. */
async function post(author: User, roomId: number, body: string, options: { at?: number; file?: ReceivedFile } = {}): Promise<number> {
  const result = await postMessage(server.ctx, author, findRoom(server.db, roomId)!, {
    body,
    clientMessageId: crypto.randomUUID(),
    ...options,
  });
  if (typeof result === "string") throw new Error(result);
  return result.message.id;
}

const search = (client: Client, q: string, before?: number, htmx = false) =>
  client.get(`/searches?q=${encodeURIComponent(q)}${before ? `&before=${before}` : ""}`, htmx ? { "hx-request": "true" } : undefined);
const resultIdsIn = (html: string): number[] => [...html.matchAll(/id="search_result_(\d+)"/g)].map((m) => Number(m[1]));

/** The messages a search lists, top to bottom (the search must succeed). */
async function found(client: Client, q: string): Promise<number[]> {
  const response = await search(client, q);
  const html = await response.text();
  expect({ q, status: response.status }).toEqual({ q, status: 200 });
  return resultIdsIn(html);
}

/** The sentence a refused search shows (it must be refused with 422 and no results). */
async function refusal(client: Client, q: string): Promise<string> {
  const response = await search(client, q);
  const html = await response.text();
  expect({ q, status: response.status }).toEqual({ q, status: 422 });
  expect(resultIdsIn(html)).toEqual([]);
  return html.match(/<p class="form__error" role="alert">([^<]*)<\/p>/)?.[1] ?? "";
}

describe("filters typed in the box", () => {
  test("in: keeps to one room, by the name the reader sees, in quotes when it has spaces, any case", async () => {
    const inLaunch = await post(adminUser, launchId, "deploy on friday");
    await post(adminUser, ALL_TALK, "deploy on monday");
    expect(await found(member, 'in:"launch plans" deploy')).toEqual([inLaunch]);
    expect(await found(member, 'deploy in:"Launch Plans"')).toEqual([inLaunch]);
  });

  test("in: a direct room works by the other person's name", async () => {
    const direct = await createRoom(member, "directs", { user_ids: [thirdUser.id] });
    const id = await post(memberUser, direct, "just between us");
    await post(memberUser, ALL_TALK, "not between us");
    expect(await found(member, 'in:"Tess Third" between')).toEqual([id]);
  });

  test("from: keeps to one person, by whole name or first name", async () => {
    const mine = await post(memberUser, ALL_TALK, "lunch order");
    await post(adminUser, ALL_TALK, "lunch order too");
    expect(await found(admin, "from:milo lunch")).toEqual([mine]);
    expect(await found(admin, 'from:"Milo Member" lunch')).toEqual([mine]);
  });

  test("before: and after: keep to whole days, before the first and after the second", async () => {
    const [first, second, third] = [
      await post(adminUser, ALL_TALK, "standup notes", { at: at("2026-03-01") }),
      await post(adminUser, ALL_TALK, "standup notes", { at: at("2026-03-02") }),
      await post(adminUser, ALL_TALK, "standup notes", { at: at("2026-03-03") }),
    ];
    expect(await found(member, "standup before:2026-03-02")).toEqual([first]);
    expect(await found(member, "standup after:2026-03-02")).toEqual([third]);
    expect(await found(member, "standup after:2026-03-01 before:2026-03-03")).toEqual([second]);
  });

  test("has:file finds messages with a file, has:link messages with a link", async () => {
    const withFile = await post(adminUser, ALL_TALK, "the report", { file: await upload("report.csv", "a,b\n1,2\n", "text/csv") });
    const withLink = await post(adminUser, ALL_TALK, "the report is at https://example.com/report");
    const plain = await post(adminUser, ALL_TALK, "the report is late");
    expect(await found(member, "report has:file")).toEqual([withFile]);
    expect(await found(member, "report has:link")).toEqual([withLink]);
    expect(await found(member, "report")).toEqual([plain, withLink, withFile]);
    expect(await found(member, "has:file has:link")).toEqual([]);
  });

  test("filters alone, without words, list the newest matching messages first", async () => {
    const older = await post(memberUser, launchId, "first");
    await post(adminUser, launchId, "second");
    const newer = await post(memberUser, launchId, "third ✓");
    await post(memberUser, ALL_TALK, "elsewhere");
    const response = await search(admin, 'in:"Launch Plans" from:milo');
    const html = await response.text();
    expect(resultIdsIn(html)).toEqual([newer, older]);
    expect(html).toContain(">third ✓</a>");
  });

  test("filters combine with each other and with words", async () => {
    const hit = await post(memberUser, launchId, "ship it https://example.com/ship", { at: at("2026-05-10") });
    await post(memberUser, launchId, "ship it, no link", { at: at("2026-05-10") });
    await post(adminUser, launchId, "ship it https://example.com/admin", { at: at("2026-05-10") });
    await post(memberUser, ALL_TALK, "ship it https://example.com/all", { at: at("2026-05-10") });
    await post(memberUser, launchId, "ship it https://example.com/late", { at: at("2026-06-10") });
    expect(await found(admin, 'ship in:"Launch Plans" from:milo has:link after:2026-05-01 before:2026-06-01')).toEqual([hit]);
  });

  test("an unknown filter, a bad date or an unknown room or person is refused with 422 and says why; nothing is recorded", async () => {
    expect(await refusal(member, "deploy colour:red")).toBe("There is no colour: filter. Filters are in:, from:, before:, after:, has:.");
    expect(await refusal(member, "before:2026-02-30")).toBe("before: needs a date written as YYYY-MM-DD, like before:2026-01-31.");
    expect(await refusal(member, "after:yesterday")).toBe("after: needs a date written as YYYY-MM-DD, like after:2026-01-31.");
    expect(await refusal(member, "has:picture")).toBe("has: can be has:file or has:link.");
    expect(await refusal(member, "in:a in:b")).toBe("Use in: once per search.");
    expect(await refusal(member, "after:2026-03-02 before:2026-03-03")).toBe(
      "No day is both after the after: date and before the before: date.",
    );
    expect(await refusal(member, "in:Nowhere deploy")).toBe("You are not in a room called “Nowhere”.");
    expect(await refusal(member, "from:nobody deploy")).toBe("Nobody here is called “nobody”.");
    const posted = await member.post("/searches", { q: "deploy colour:red" });
    expect(posted.status).toBe(422);
    expect(await posted.text()).toContain("There is no colour: filter.");
    expect(server.db.query("SELECT count(*) AS n FROM searches").get()).toEqual({ n: 0 });
    expect(server.logs.filter((line) => line.startsWith("error"))).toEqual([]);
  });

  test("colons in ordinary text are words, not filters: times, links, a word before a colon", async () => {
    const id = await post(adminUser, ALL_TALK, "Note: call at 12:30 via https://example.com/call");
    expect(await found(member, "Note: 12:30")).toEqual([id]);
    expect(await found(member, "https://example.com/call")).toEqual([id]);
  });

  test("the box offers filter chips: has:, dates, the reader's rooms and the people they write to directly", async () => {
    await createRoom(member, "directs", { user_ids: [thirdUser.id] });
    const html = await (await member.get("/searches")).text();
    const chips = [...html.matchAll(/data-search-filter="([^"]*)"/g)].map((m) => m[1]);
    expect(chips).toContain("has:file");
    expect(chips).toContain("has:link");
    expect(chips).toContain("in:&quot;Launch Plans&quot;");
    expect(chips).toContain("in:&quot;All Talk&quot;");
    expect(chips).toContain("from:&quot;Tess Third&quot;");
    expect(chips.some((chip) => chip?.startsWith("before:20"))).toBe(true);
    // Tess is not in Launch Plans: no chip of hers names it.
    expect((await (await third.get("/searches")).text()).includes("Launch Plans")).toBe(false);
  });

  test("the date chips follow the day: chips made yesterday are made again today", async () => {
    const dateChips = async () =>
      [...(await (await member.get("/searches")).text()).matchAll(/data-search-filter="((?:after|before):[^"]*)"/g)].map((m) => m[1]);
    const start = Date.now();
    const day = (at: number) => new Date(at).toISOString().slice(0, 10);
    try {
      setClock(() => start + DAY_MS);
      expect(await dateChips()).toEqual([`after:${day(start - 6 * DAY_MS)}`, `before:${day(start + DAY_MS)}`]);
      expect(await dateChips()).toEqual([`after:${day(start - 6 * DAY_MS)}`, `before:${day(start + DAY_MS)}`]); // kept
      setClock(() => start + 2 * DAY_MS);
      expect(await dateChips()).toEqual([`after:${day(start - 5 * DAY_MS)}`, `before:${day(start + 2 * DAY_MS)}`]);
    } finally {
      useRealClock();
    }
  });
});

describe("more than a page of results", () => {
  test("250 matches: the first 50, then More results (htmx) brings the next pages, in order, none twice", async () => {
    const room = findRoom(server.db, launchId)!;
    const ids: number[] = [];
    for (let i = 0; i < 250; i++) {
      const result = await postMessage(server.ctx, adminUser, room, { body: `weekly report ${i}`, clientMessageId: `r${i}` });
      if (typeof result === "string") throw new Error(result);
      ids.push(result.message.id);
    }
    const newestFirst = ids.toReversed();
    const first = await (await search(member, "report")).text();
    expect(resultIdsIn(first)).toEqual(newestFirst.slice(0, RESULT_LIMIT));
    expect(first).toContain(`More than ${RESULT_LIMIT} messages match “report”`);
    const moreLink = (html: string) => html.match(/hx-get="\/searches\?q=report&amp;before=(\d+)"/)?.[1];
    const seen = resultIdsIn(first);
    let html = first;
    for (let page = 2; moreLink(html); page++) {
      expect(moreLink(html)).toBe(String(seen.at(-1)));
      const response = await search(member, "report", Number(moreLink(html)), true);
      expect(response.status).toBe(200);
      html = await response.text();
      expect(html).not.toContain("<html");
      expect(resultIdsIn(html)).toEqual(newestFirst.slice(seen.length, seen.length + RESULT_LIMIT));
      seen.push(...resultIdsIn(html));
      expect(page).toBeLessThanOrEqual(Math.ceil(250 / RESULT_LIMIT));
    }
    expect(seen).toEqual(newestFirst);
    expect(html).not.toContain("More results");
  });

  test("filters alone page on too, and the More results link works without htmx as a page", async () => {
    const room = findRoom(server.db, launchId)!;
    const ids: number[] = [];
    for (let i = 0; i < RESULT_LIMIT + 5; i++) {
      const result = await postMessage(server.ctx, memberUser, room, { body: `note ${i}`, clientMessageId: `n${i}` });
      if (typeof result === "string") throw new Error(result);
      ids.push(result.message.id);
    }
    const first = await (await search(admin, "from:milo")).text();
    expect(resultIdsIn(first)).toEqual(ids.toReversed().slice(0, RESULT_LIMIT));
    const page = await search(admin, "from:milo", ids[5]);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<html");
    expect(resultIdsIn(html)).toEqual(ids.slice(0, 5).toReversed());
    expect(html).toContain("Older messages that match “from:milo”:");
  });
});

describe("an outsider never sees a closed room's messages, whatever the filter", () => {
  const cases: [string, string][] = [
    ["words", "secret"],
    ["in: the room's name", 'in:"Launch Plans" secret'],
    ["in: the room's name alone", 'in:"Launch Plans"'],
    ["from: its author", "from:ada"],
    ["has:file", "has:file"],
    ["has:link", "has:link"],
    ["dates", "after:2000-01-01 before:2100-01-01"],
    ["every filter at once", "secret from:ada has:link has:file after:2000-01-01"],
  ];
  for (const [what, q] of cases)
    test(`${what}: ${q}`, async () => {
      const hidden = await post(adminUser, launchId, "secret https://example.com/secret", {
        file: await upload("secret.txt", "x", "text/plain"),
      });
      const response = await search(third, q);
      const html = await response.text();
      expect(resultIdsIn(html)).not.toContain(hidden);
      expect(html).not.toContain("secret.txt");
      expect(html).not.toContain("example.com/secret");
      // A member asking the same sees it (so the outsider's empty answer is the membership, not the query).
      if (!q.startsWith("in:")) expect(resultIdsIn(await (await search(member, q)).text())).toContain(hidden);
      expect(resultIdsIn(await (await search(third, q, hidden + 1, true)).text())).not.toContain(hidden);
    });
});

test("an outsider naming the closed room with in: is told they are not in such a room, not that it exists", async () => {
  await post(adminUser, launchId, "secret");
  expect(await refusal(third, 'in:"Launch Plans" secret')).toBe("You are not in a room called “Launch Plans”.");
  expect(await refusal(third, 'in:"No Such Room" secret')).toBe("You are not in a room called “No Such Room”.");
});
