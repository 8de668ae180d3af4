// Fills a fresh data directory with a realistic Campfire through the app's own domain functions:
// 50 people, 20 rooms (open, closed, direct), 200,000 messages over two years with varied lengths,
// @mentions and formatting, plus signed-in sessions for the benchmark's clients.
// Usage: bun bench/seed.ts DATA_DIR [MESSAGES] [SESSIONS] → writes DATA_DIR/seed.json and prints it.

import { join } from "node:path";
import { createBot } from "../src/bots/bots.ts";
import { ReadCache } from "../src/cache/read-cache.ts";
import { openDatabase } from "../src/db/connection.ts";
import { GroupCommit } from "../src/db/group-commit.ts";
import { migrate } from "../src/db/migrations.ts";
import { completeFirstRun } from "../src/first-run/first-run.ts";
import { postMessage } from "../src/messages/receive.ts";
import { Publisher } from "../src/realtime/publish.ts";
import { memberIds } from "../src/rooms/memberships.ts";
import { createClosedRoom, createOpenRoom, findOrCreateDirectRoom, type Room } from "../src/rooms/rooms.ts";
import { mergeWholeIndex } from "../src/search/index-merger.ts";
import { indexPendingMessages } from "../src/search/indexer.ts";
import { databasePath } from "../src/server.ts";
import { startSession } from "../src/sessions/sessions.ts";
import { createUser, findUser, hashPassword, type User } from "../src/users/users.ts";

export type Seed = {
  /** Room ids by purpose. */
  allTalkId: number;
  /** A message about 95% of the way back in All Talk's history, for "older messages" pages. */
  deepMessageId: number;
  /** A word that appears in many messages, for the search benchmark. */
  searchWord: string;
  /** Session cookies ("session_token=…"), spread round-robin over the people; the first is a member's. */
  cookies: string[];
  /** A closed room of the people and the bots, for bot posting. */
  botRoomId: number;
  /** The bots' keys (`<id>-<token>`), for the bot API. */
  botKeys: string[];
  messages: number;
  seconds: number;
};

const PEOPLE = 50;
// Posting is limited to 100 posts per bot in 10 s: wrk spreads its posts over this many bots so the
// limit is never what is measured (at 10,000 posts/s that is 100 per bot per 10 s). With 400 bots
// (4,000 posts/s), a run on a fast host was refused with 429s halfway through the bot posts.
const BOTS = 1000;
const YEARS = 2;
const FIRST_NAMES = [
  "Ada",
  "Milo",
  "Priya",
  "Jonas",
  "Keiko",
  "Tomás",
  "Amara",
  "Lena",
  "Omar",
  "Sofia",
  "Ravi",
  "Greta",
  "Hugo",
  "Nia",
  "Felix",
  "Yara",
  "Elif",
  "Bruno",
  "Chloé",
  "Dmitri",
  "Ines",
  "Kwame",
  "Lucia",
  "Mateo",
  "Noor",
];
const LAST_NAMES = ["Okafor", "Lindqvist", "Tanaka", "Moreau", "Silva", "Kowalski", "Haddad", "Novak", "Fischer", "Reyes"];
const OPEN_ROOMS = [
  "Design",
  "Engineering",
  "Support",
  "Marketing",
  "Random",
  "Announcements",
  "Ops",
  "Sales",
  "Hiring",
  "Books",
  "Watercooler",
];
const CLOSED_ROOMS: [string, number][] = [
  ["Leadership", 5],
  ["Incident review", 12],
  ["Offsite planning", 8],
  ["Payroll", 3],
];
const WORDS = (
  "the a to and of we it is that for on in this with deploy release build test ship fix bug issue review merge branch " +
  "customer support ticket reply invoice design mockup sketch colour font layout page button login signup server database " +
  "query index search cache memory latency slow fast today tomorrow yesterday morning afternoon meeting call agenda notes " +
  "coffee lunch weekend holiday plan roadmap quarter goal metric chart dashboard alert incident outage rollback monitor " +
  "thanks please great nice idea question answer maybe sure agree think looks good done working blocked waiting ready " +
  "draft copy blog post launch campaign email newsletter pricing plan trial contract renewal hiring interview candidate " +
  "offer onboarding laptop access password account team room channel message thread link file upload image photo video"
).split(" ");
const SEARCH_WORD = "deploy";

/** A small deterministic generator, so every run seeds the same data. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, int, pick };
}

type Rng = ReturnType<typeof random>;

/** Mostly short chat lines, some paragraphs, a few essays. */
function sentence(rng: Rng): string {
  const roll = rng.next();
  const count = roll < 0.6 ? rng.int(3, 12) : roll < 0.9 ? rng.int(13, 40) : roll < 0.99 ? rng.int(41, 150) : rng.int(300, 800);
  const words = Array.from({ length: count }, () => rng.pick(WORDS));
  words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
  return `${words.join(" ")}${rng.pick([".", ".", "!", "?", ""])}`;
}

/** A body as people and bots write them: plain text, @mentions, code, links, and some HTML from the toolbar composer. */
function body(rng: Rng, people: User[]): { body: string; rich?: boolean } {
  let text = sentence(rng);
  const roll = rng.next();
  if (roll < 0.06) text = `@${rng.pick(people).name} ${text}`;
  else if (roll < 0.1) text = `${text} \`${rng.pick(WORDS)}.${rng.pick(WORDS)}()\``;
  else if (roll < 0.12) text = `${text}\n\`\`\`\nconst ${rng.pick(WORDS)} = ${rng.int(1, 999)};\n\`\`\``;
  else if (roll < 0.15) text = `${text} https://example.com/${rng.pick(WORDS)}/${rng.int(1, 9999)}`;
  else if (roll < 0.2)
    return {
      body: `<div><strong>${rng.pick(WORDS)}</strong> ${text}</div><ul><li>${rng.pick(WORDS)}</li><li><em>${rng.pick(WORDS)}</em></li></ul>`,
      rich: true,
    };
  return { body: text };
}

export async function seed(dataDir: string, messageCount: number, sessionCount: number): Promise<Seed> {
  const started = performance.now();
  const db = openDatabase(databasePath(dataDir));
  migrate(db);
  const rng = random(42);
  const admin = (await completeFirstRun(db, { name: "Ada Okafor", emailAddress: "ada@example.com", password: "benchmark password" }))!;
  const digest = await hashPassword("benchmark password");
  const people = [admin];
  for (let i = 1; i < PEOPLE; i++) {
    const name = `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[(i * 7 + Math.floor(i / FIRST_NAMES.length)) % LAST_NAMES.length]}`;
    people.push(createUser(db, { name, emailAddress: `person${i}@example.com`, passwordDigest: digest, role: "member" }));
  }

  const rooms: { room: Room; weight: number; members: User[] }[] = [];
  const membersOf = (room: Room) => memberIds(db, room.id).map((id) => findUser(db, id)!);
  const allTalk = db.query<Room, []>("SELECT id, kind, name, creator_id AS creatorId, last_message_at AS lastMessageAt FROM rooms").get()!;
  rooms.push({ room: allTalk, weight: 30, members: people });
  for (const name of OPEN_ROOMS)
    rooms.push({ room: createOpenRoom(db, rng.pick(people), name), weight: 50 / OPEN_ROOMS.length, members: people });
  for (const [name, size] of CLOSED_ROOMS) {
    const room = createClosedRoom(
      db,
      admin,
      name,
      Array.from({ length: size }, () => rng.pick(people).id),
    );
    rooms.push({ room, weight: 3, members: membersOf(room) });
  }
  for (const [a, b] of [
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 4],
  ] as const) {
    const { room } = findOrCreateDirectRoom(db, people[a]!, [people[b]!.id]);
    rooms.push({ room, weight: 2, members: membersOf(room) });
  }
  const totalWeight = rooms.reduce((sum, r) => sum + r.weight, 0);
  const pickRoom = () => {
    let roll = rng.next() * totalWeight;
    for (const r of rooms) if ((roll -= r.weight) <= 0) return r;
    return rooms[0]!;
  };

  // Through postMessage, as a person posting would, backdated over two years. Posts started
  // together share a commit (as on the server), which keeps seeding to seconds.
  const deps = { db, cache: new ReadCache(db), publisher: new Publisher(), writer: new GroupCommit(db), config: { dataDir } };
  const end = Date.now();
  const step = (YEARS * 365 * 24 * 3600_000) / messageCount;
  const allTalkIds: number[] = [];
  const BATCH = 2000;
  for (let start = 0; start < messageCount; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, messageCount - start) }, (_, j) => {
      const i = start + j;
      const { room, members } = pickRoom();
      return postMessage(deps, rng.pick(members), room, {
        ...body(rng, members),
        clientMessageId: `seed-${i}`,
        at: Math.round(end - (messageCount - i) * step),
      }).then((posted) => {
        if (typeof posted === "string") throw new Error(`seed message ${i} refused: ${posted}`);
        if (room.id === allTalk.id) allTalkIds.push(posted.message.id);
      });
    });
    await Promise.all(batch);
  }

  indexPendingMessages(db);
  // A server merges its index into one piece in its first quiet minute; the benchmark measures a
  // server at rest, so the seed starts from there (its pages were measured during the merge before).
  mergeWholeIndex(db);

  // The bots get a room of their own (with the people in it, as a team's deploy room): in every open
  // room they would make the other benchmarks' rooms 1,000 members larger.
  const { botRoomId, botKeys } = db.transaction(() => {
    const bots = Array.from({ length: BOTS }, (_, i) => createBot(db, { name: `Bench Bot ${i + 1}`, webhookUrl: null }));
    db.query("DELETE FROM memberships WHERE user_id IN (SELECT id FROM users WHERE role = 'bot')").run();
    const room = createClosedRoom(db, people[0]!, "Bot posts", [...people.map((p) => p.id), ...bots.map((b) => b.id)]);
    return { botRoomId: room.id, botKeys: bots.map((b) => b.key) };
  })();

  const cookies: string[] = [];
  for (let i = 0; i < sessionCount; i++) {
    // The first session is a member's (not the admin's), as most requests are.
    const person = people[(i + 1) % people.length]!;
    cookies.push(`session_token=${startSession(db, person, { ipAddress: "127.0.0.1", userAgent: "campfire-bench" })}`);
  }
  db.run("PRAGMA wal_checkpoint(TRUNCATE)");
  db.run("PRAGMA optimize");
  db.close();
  return {
    allTalkId: allTalk.id,
    deepMessageId: allTalkIds[Math.floor(allTalkIds.length * 0.05)] ?? 1,
    searchWord: SEARCH_WORD,
    cookies,
    botRoomId,
    botKeys,
    messages: messageCount,
    seconds: (performance.now() - started) / 1000,
  };
}

if (import.meta.main) {
  const [dataDir, messages = "200000", sessions = "5100"] = Bun.argv.slice(2);
  if (!dataDir) throw new Error("usage: bun bench/seed.ts DATA_DIR [MESSAGES] [SESSIONS]");
  const result = await seed(dataDir, Number(messages), Number(sessions));
  await Bun.write(join(dataDir, "seed.json"), JSON.stringify(result));
  console.log(JSON.stringify({ ...result, cookies: result.cookies.length, botKeys: result.botKeys.length }));
}
