import { Database } from "bun:sqlite";
import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { databasePath } from "../../src/db/connection.ts";
import type { Client } from "../helpers/client.ts";
import { startThreePersonServer } from "../helpers/fixtures.ts";
import { pngOf } from "../helpers/images.ts";
import { run } from "../helpers/processes.ts";
import { makeDataDir, startConfiguredTestServer, type TestServer } from "../helpers/server.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const campfire = (args: string[], dataDir: string) =>
  run([process.execPath, MAIN, ...args], { env: { PATH: process.env.PATH!, CAMPFIRE_DATA_DIR: dataDir } });

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
function scratch(): string {
  const dir = makeDataDir();
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function upload(client: Client, roomId: number, file: File): Promise<Response> {
  const form = new FormData();
  form.set("attachment", file);
  return client.request(`/rooms/${roomId}/messages`, { method: "POST", body: form });
}

type Row = Record<string, unknown>;
const rows = (db: Database, table: string): Map<unknown, Row> =>
  new Map((db.query(`SELECT * FROM ${table} ORDER BY id`).all() as Row[]).map((row) => [row.id, row]));

async function postUntil(client: Client, roomId: number, stop: { now: boolean }, acknowledged: string[], who: number) {
  for (let i = 0; !stop.now; i++) {
    const body = `poster ${who} says ${i}`;
    const response = await client.post(`/rooms/${roomId}/messages`, { body, client_message_id: `p${who}-${i}` });
    if (response.status === 201) acknowledged.push(body);
  }
}

test("a backup taken while 16 clients post restores to a consistent copy: every row as it was, every file byte for byte", async () => {
  const { server, admin, member } = await startThreePersonServer();
  cleanup.push(() => server.close());
  for (let i = 0; i < 3; i++)
    expect((await upload(member, 1, new File([pngOf(300 + i, 200)], `pic-${i}.png`, { type: "image/png" }))).status).toBe(201);
  expect((await upload(admin, 1, new File(["plain words"], "notes.txt", { type: "text/plain" }))).status).toBe(201);

  const stop = { now: false };
  const acknowledged: string[] = [];
  const posters = Array.from({ length: 16 }, (_, i) => postUntil(i % 2 ? admin : member, 1, stop, acknowledged, i));
  await Bun.sleep(300);
  const postedBefore = acknowledged.length;
  const dir = scratch();
  const backup = await campfire(["backup", join(dir, "one.tar")], server.dataDir);
  const postedDuring = acknowledged.length - postedBefore;
  stop.now = true;
  await Promise.all(posters);
  expect(backup.stderr).toBe("");
  expect(backup.exitCode).toBe(0);
  expect(backup.stdout).toMatch(/^Wrote .*one\.tar \([\d.]+ MB: the database with \d+ messages, and \d+ files\)/);
  expect(postedBefore).toBeGreaterThan(16);
  expect(postedDuring).toBeGreaterThan(0); // the server kept posting while the backup ran

  const restoredDir = join(dir, "restored");
  const restore = await campfire(["restore", join(dir, "one.tar")], restoredDir);
  expect(restore.stderr).toBe("");
  expect(restore.exitCode).toBe(0);
  expect(restore.stdout).toContain("every checksum verified");

  const live = new Database(databasePath(server.dataDir), { readonly: true });
  const copy = new Database(databasePath(restoredDir), { readonly: true });
  cleanup.push(
    () => live.close(),
    () => copy.close(),
  );
  expect(copy.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
  // Every message acknowledged before the backup began is in it.
  const restoredBodies = new Set(
    (copy.query("SELECT body_plain FROM messages").all() as { body_plain: string }[]).map((r) => r.body_plain),
  );
  for (const body of acknowledged.slice(0, postedBefore)) expect(restoredBodies.has(body)).toBe(true);
  // Rows that were never changed after being written are identical; none is half-written.
  // A room's counters were taken in the same instant as its messages.
  expect(
    copy
      .query(
        `SELECT count(*) AS n FROM rooms WHERE change_seq < (SELECT coalesce(max(change_seq), 0) FROM messages WHERE room_id = rooms.id)
           OR coalesce(last_message_at, 0) < (SELECT coalesce(max(created_at), 0) FROM messages WHERE room_id = rooms.id)`,
      )
      .get(),
  ).toEqual({ n: 0 });
  for (const table of ["users", "messages", "attachments"]) {
    const [now, then] = [rows(live, table), rows(copy, table)];
    expect(then.size).toBeGreaterThan(0);
    for (const [id, row] of then) expect({ table, row: now.get(id) }).toEqual({ table, row });
  }
  const count = (db: Database) => (db.query("SELECT count(*) AS n FROM messages").get() as { n: number }).n;
  expect(count(copy)).toBeLessThanOrEqual(count(live));
  // Every file, byte for byte.
  const keys = copy.query("SELECT file_key, preview_key FROM attachments").all() as { file_key: string; preview_key: string | null }[];
  expect(keys).toHaveLength(4);
  for (const key of keys.flatMap((row) => [row.file_key, row.preview_key]).filter((key): key is string => !!key)) {
    expect(readFileSync(join(restoredDir, "files", key)).equals(readFileSync(join(server.dataDir, "files", key)))).toBe(true);
  }

  // The restored folder runs: the same people sign in and see the same room.
  const restored = startConfiguredTestServer({}, restoredDir);
  cleanup.push(() => restored.close());
  const page = await fetch(`${restored.url}/session/new`);
  expect(page.status).toBe(200);
}, 60_000);

test("restore refuses a folder that already holds data, and a damaged, cut or foreign file, leaving nothing behind", async () => {
  const { server } = await startThreePersonServer();
  cleanup.push(() => server.close());
  const dir = scratch();
  const file = join(dir, "good.tar");
  expect((await campfire(["backup", file], server.dataDir)).exitCode).toBe(0);

  const used = join(dir, "used");
  mkdirSync(used);
  writeFileSync(join(used, "something.txt"), "mine");
  const intoUsed = await campfire(["restore", file], used);
  expect(intoUsed.exitCode).toBe(1);
  expect(intoUsed.stderr.trim()).toBe(
    `campfire: ${used} already holds data; restore into an empty folder (--data-dir or CAMPFIRE_DATA_DIR) so nothing is overwritten`,
  );
  expect(readdirSync(used)).toEqual(["something.txt"]);

  const bytes = readFileSync(file);
  const damaged = Buffer.from(bytes);
  damaged[4096] = damaged[4096]! ^ 0xff; // inside the database's pages
  writeFileSync(join(dir, "damaged.tar"), damaged);
  writeFileSync(join(dir, "cut.tar"), bytes.subarray(0, Math.floor(bytes.length / 2)));
  writeFileSync(join(dir, "foreign.tar"), "this is not a tar file at all, just words ".repeat(40));
  for (const [name, reason] of [
    ["damaged.tar", "the backup is damaged: campfire.sqlite3 does not match its checksum"],
    ["cut.tar", "cut short"],
    ["foreign.tar", "is not a readable Campfire backup"],
    ["absent.tar", "no such backup file"],
  ] as const) {
    const target = join(dir, `into-${name}`);
    const result = await campfire(["restore", join(dir, name)], target);
    expect({ name, exitCode: result.exitCode }).toEqual({ name, exitCode: 1 });
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(reason);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.restoring`)).toBe(false);
  }
});

test("backup of a folder with no database says so, and leaves no partial file", async () => {
  const dir = scratch();
  const result = await campfire(["backup", join(dir, "x.tar")], join(dir, "nothing-here"));
  expect(result.exitCode).toBe(1);
  expect(result.stderr.trim()).toBe(`campfire: no Campfire database in ${join(dir, "nothing-here")} (set --data-dir or CAMPFIRE_DATA_DIR)`);
  expect(readdirSync(dir)).toEqual([]);
});

test("scheduled backups run on their own, keep only the newest few, and each one restores", async () => {
  const dir = scratch();
  let server: TestServer | undefined = startConfiguredTestServer({ backup: { dir, everyMs: 1_100, keep: 2 } });
  cleanup.push(() => server?.close());
  const deadline = Date.now() + 20_000;
  const logged = () => server!.logs.filter((line) => line.startsWith("info backup written")).length;
  while (logged() < 3 && Date.now() < deadline) await Bun.sleep(100);
  expect(logged()).toBeGreaterThanOrEqual(3);
  await server.close();
  server = undefined;
  const kept = readdirSync(dir).sort();
  expect(kept).toHaveLength(2);
  for (const name of kept) expect(name).toMatch(/^campfire-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.tar$/);
  const restore = await campfire(["restore", join(dir, kept.at(-1)!)], join(dir, "restored"));
  expect(restore.exitCode).toBe(0);
}, 30_000);
