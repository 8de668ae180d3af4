import { afterEach, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { createAccount } from "../../src/accounts/accounts.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrations.ts";
import { createOpenRoom } from "../../src/rooms/rooms.ts";
import { indexPendingMessages } from "../../src/search/indexer.ts";
import { databasePath } from "../../src/server.ts";
import { createUser } from "../../src/users/users.ts";
import { Client } from "../helpers/client.ts";
import { ADMIN, MEMBER, postMessage } from "../helpers/fixtures.ts";
import { freePort, waitUntilUp } from "../helpers/processes.ts";
import { makeDataDir } from "../helpers/server.ts";
import { carrying, changeSeqsIn, frameOf, idsIn, messageIdFrom, openSocket, type TestSocket } from "../helpers/socket.ts";

/**
 * The promise of principle 4, checked the hard way: a real server process killed with SIGKILL at
 * random moments while people post (retrying, as the composer does, with the same
 * client_message_id), restarted on the same data directory each time. Afterwards every
 * acknowledged message is stored exactly once, search agrees with the table, and a tab that kept
 * reconnecting with its cursor holds exactly what is stored.
 */

const MAIN = join(import.meta.dir, "../../src/main.ts");
const ROOM = 1;
const KILLS = 3;
const POSTERS_PER_PERSON = 3;
/** The share of answers a poster treats as lost, as if the connection dropped before the answer arrived. */
const LOST_ANSWERS = 0.05;
/** How long the server runs between kills, at random within this range. */
const RUN_MS = [700, 2_000] as const;

const children: Subprocess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill(9);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const between = ([low, high]: readonly [number, number]) => low + Math.random() * (high - low);

/** A data directory already set up (account, two people, one open room), as the first-run form leaves it; returns the people's ids. */
async function preparedDataDir(): Promise<{ dir: string; authorIds: number[] }> {
  const dir = makeDataDir();
  dirs.push(dir);
  const db = openDatabase(databasePath(dir));
  migrate(db);
  // The lowest bcrypt cost: signing in takes a millisecond instead of ~60.
  const digests = await Promise.all([ADMIN, MEMBER].map((person) => Bun.password.hash(person.password, { algorithm: "bcrypt", cost: 4 })));
  const authorIds = db.transaction(() => {
    createAccount(db, "Crash Test");
    const admin = createUser(db, { name: ADMIN.name, emailAddress: ADMIN.email, passwordDigest: digests[0]!, role: "admin" });
    const member = createUser(db, { name: MEMBER.name, emailAddress: MEMBER.email, passwordDigest: digests[1]!, role: "member" });
    createOpenRoom(db, admin, "All Talk");
    return [admin.id, member.id];
  })();
  db.close();
  return { dir, authorIds };
}

test(`every acknowledged message survives ${KILLS} kill -9s exactly once, in the table, the search index and a reconnecting tab`, async () => {
  const { dir, authorIds } = await preparedDataDir();
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  let server: Subprocess | null = null;
  const start = async () => {
    server = Bun.spawn([process.execPath, MAIN, "serve"], {
      env: { PATH: process.env.PATH!, CAMPFIRE_DATA_DIR: dir, PORT: String(port), HOST: "127.0.0.1" },
      stdout: "ignore",
      stderr: "inherit",
    });
    children.push(server);
    await waitUntilUp(base);
  };
  await start();

  const people: Client[] = [];
  for (const person of [ADMIN, MEMBER]) {
    const client = new Client(base);
    expect((await client.post("/session", { email_address: person.email, password: person.password })).status).toBe(303);
    people.push(client);
  }

  // The tab: enters once before the crashes, then reconnects after each with the highest change it saw.
  const roomPage = await (await people[1]!.get(`/rooms/${ROOM}`)).text();
  const tabs: TestSocket[] = [];
  const cursor = () => Math.max(...changeSeqsIn(roomPage), ...tabs.map((tab) => tab.changeSeq()));
  const follow = async () => {
    const tab = await openSocket({ url: base }, people[1]!);
    await tab.enter(ROOM, cursor());
    tabs.push(tab);
  };
  await follow();

  // Posters: each posts unique messages at a person's pace, and retries a failed attempt with the
  // same client_message_id until it is acknowledged.
  const acknowledged = new Map<string, { id: number; word: string }>(); // `${author id}:${client_message_id}` → id, search word
  let posting = true;
  let attempts = 0;
  let repeats = 0;
  const poster = async (author: number, lane: number) => {
    for (let n = 0; posting; n++) {
      const clientMessageId = `a${author}-l${lane}-n${n}`;
      const word = `word${author}x${lane}x${n}`;
      for (;;) {
        attempts++;
        try {
          const response = await postMessage(people[author]!, ROOM, `${word} crash test`, clientMessageId);
          // Now and then the answer is lost on the way back (a dropped connection), so the poster
          // cannot know the post was stored, and retries it like any failure.
          const lost = Math.random() < LOST_ANSWERS;
          if (!lost && (response.status === 201 || response.status === 200)) {
            if (response.status === 200) repeats++; // stored by an earlier attempt, acknowledged only now
            acknowledged.set(`${authorIds[author]}:${clientMessageId}`, { id: messageIdFrom(response), word });
            break;
          }
          await response.arrayBuffer();
        } catch {
          // the server is down: try again shortly, with the same id
        }
        await Bun.sleep(20 + Math.random() * 30);
      }
      await Bun.sleep(10);
    }
  };
  const posters = people.flatMap((_, author) => Array.from({ length: POSTERS_PER_PERSON }, (_, lane) => poster(author, lane)));

  const killedAfter: number[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const ms = between(RUN_MS);
    killedAfter.push(Math.round(ms));
    await Bun.sleep(ms);
    server!.kill(9);
    await server!.exited;
    await Bun.sleep(Math.random() * 200);
    await start();
    await follow();
  }
  await Bun.sleep(between(RUN_MS));
  posting = false;
  await Promise.all(posters);
  console.log(
    `crash-safety: killed after ${killedAfter.join(", ")} ms; ${acknowledged.size} acknowledged of ${attempts} attempts, ${repeats} on a retry of a stored post`,
  );
  expect(acknowledged.size).toBeGreaterThan(50);
  expect(attempts).toBeGreaterThan(acknowledged.size); // some posts really did fail and get retried
  expect(repeats).toBeGreaterThan(0); // and some retries were of posts already stored

  // Let the tab and the search indexer catch up with the last posts, then stop the server for good.
  const db = openDatabase(databasePath(dir));
  const ids = [...acknowledged.values()].map((message) => message.id);
  const lastTab = tabs.at(-1)!;
  const newest = Math.max(...ids);
  await lastTab.waitUntil(() => tabs.some((tab) => tab.frames.some(carrying(newest))), 5_000, "the tab has the newest message");
  const indexedThrough = () => db.query<{ n: number }, []>("SELECT indexed_through AS n FROM search_cursor").get()!.n;
  for (const deadline = Date.now() + 5_000; indexedThrough() < Math.max(...ids) && Date.now() < deadline; ) await Bun.sleep(20);
  server!.kill(9);
  await server!.exited;

  // 1. Exactly the acknowledged messages are stored, once each, under the ids they were acknowledged with.
  const rows = db
    .query<{ id: number; creatorId: number; clientMessageId: string }, [number]>(
      "SELECT id, creator_id AS creatorId, client_message_id AS clientMessageId FROM messages WHERE room_id = ? ORDER BY id",
    )
    .all(ROOM);
  expect(rows).toHaveLength(acknowledged.size);
  expect(new Map(rows.map((row) => [`${row.creatorId}:${row.clientMessageId}`, row.id]))).toEqual(
    new Map([...acknowledged].map(([key, message]) => [key, message.id])),
  );

  // 2. Search agrees with the table: the index is intact and finds each message by its own word, and nothing else.
  expect(indexPendingMessages(db)).toBe(0); // the server had indexed everything by itself
  db.run("INSERT INTO message_search_index (message_search_index) VALUES ('integrity-check')");
  const find = db.query<{ rowid: number }, [string]>("SELECT rowid FROM message_search_index WHERE message_search_index MATCH ?");
  for (const { id, word } of acknowledged.values()) expect(find.all(word).map((row) => row.rowid)).toEqual([id]);
  expect(find.all("crash")).toHaveLength(rows.length);
  db.close();

  // 3. The tab that reconnected through every crash was brought each stored message exactly once, and nothing else.
  const frames = tabs.flatMap((tab) => tab.frames);
  expect(frames.filter(frameOf("refresh"))).toEqual([]);
  const delivered = frames.filter(frameOf("messages", ROOM)).flatMap(idsIn);
  expect(delivered.toSorted((a, b) => a - b)).toEqual(rows.map((row) => row.id));
}, 90_000);
