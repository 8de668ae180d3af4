import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { type Bot, createBot } from "../../src/bots/bots.ts";
import { addSignedInMember, postMessage, startQuickSetUpServer } from "../helpers/fixtures.ts";
import { freePort } from "../helpers/processes.ts";
import type { TestServer } from "../helpers/server.ts";

/** The README's Bots section, so its lines are tested exactly as a reader copies them. */
const README = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");
const section = README.slice(README.indexOf("## Bots"), README.indexOf("\n## ", README.indexOf("## Bots") + 1));
const block = (language: string) => {
  const match = section.match(new RegExp("```" + language + "\\n([\\s\\S]*?)```"));
  if (!match) throw new Error(`no ${language} block in the README's Bots section`);
  return match[1]!;
};

let server: TestServer;
let bot: Bot;
let cwd: string;
const children: Subprocess[] = [];
beforeEach(async () => {
  ({ server } = await startQuickSetUpServer());
  bot = createBot(server.db, { name: "Deploy Bot", webhookUrl: null });
  cwd = mkdtempSync(join(tmpdir(), "campfire-readme-"));
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill(9);
  await server.close();
  rmSync(cwd, { recursive: true, force: true });
});

const messages = () =>
  server.db
    .query<{ id: number; body_plain: string; attachment_id: number | null }, []>(
      "SELECT id, body_plain, attachment_id FROM messages ORDER BY id",
    )
    .all();

test("the README's curl lines work as written, with the real curl and jq", async () => {
  const lines = block("sh").split("\n");
  expect(lines[0]).toStartWith("URL=");
  // The only change: the example address becomes this server's, as the reader's bot page would give.
  const script = [`URL=${server.url}/rooms/1/${bot.key}/messages`, ...lines.slice(1)].join("\n");
  writeFileSync(join(cwd, "report.pdf"), "%PDF-1.4 a tiny report");
  // Older messages, so that the list has a next page and ?before=41 finds some.
  for (let i = 1; i <= 45; i++)
    expect((await fetch(`${server.url}/rooms/1/${bot.key}/messages`, { method: "POST", body: `seed ${i}` })).status).toBe(201);
  const proc = Bun.spawn(["sh", "-e", "-c", script], { cwd, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`the README's lines failed (exit ${code}):\n${err}`);
  const rows = messages();
  // Posted: "Hello!", the file, "Deploying…" (edited, boosted, then deleted).
  expect(rows.slice(45).map((r) => r.body_plain)).toEqual(["Hello!", ""]);
  expect(rows[46]!.attachment_id).not.toBeNull();
  expect(out).toContain("Deploy Bot: Hello!");
  expect(out).toMatch(/x-total-count: 47/i);
  expect(out).toMatch(/link: <[^>]+\?before=\d+>; rel="next"/i);
  expect(out).toContain("\n40\n");
  // The edit and the boost answered with their JSON before the message was deleted (with its boost).
  expect(out).toContain('"plain_text":"Deployed ✓"');
  expect(out).toContain('"content":"🚀"');
  expect(server.db.query("SELECT count(*) AS n FROM boosts").get()).toEqual({ n: 0 });
  expect(out).not.toContain('"error"');
});

test("the README's webhook receiver checks the signature and answers as the bot", async () => {
  const receiverFile = join(cwd, "bot.ts");
  writeFileSync(receiverFile, block("ts"));
  const port = freePort();
  const run = (secret: string) => {
    const child = Bun.spawn([process.execPath, receiverFile], {
      env: { PATH: process.env.PATH!, SECRET: secret, PORT: String(port) },
      stdout: "ignore",
      stderr: "inherit",
    });
    children.push(child);
    return child;
  };
  const hooked = createBot(server.db, { name: "Echo", webhookUrl: `http://127.0.0.1:${port}/` });
  const { client: member } = await addSignedInMember(server);
  const waitForReceiver = async () => {
    for (let i = 0; i < 200; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "{}" });
        return;
      } catch {
        await Bun.sleep(25);
      }
    }
    throw new Error("the README's receiver did not start");
  };
  const wrong = run("whsec_not_the_right_one");
  await waitForReceiver();
  expect((await postMessage(member, 1, "@Echo are you real?")).status).toBe(201);
  const failed = () => server.db.query<{ last_error: string }, []>("SELECT last_error FROM jobs WHERE failed_at IS NOT NULL").all();
  for (let i = 0; i < 200 && failed().length === 0; i++) await Bun.sleep(25);
  expect(failed()[0]?.last_error).toContain("answered 401");
  wrong.kill(9);
  await wrong.exited;

  run(hooked.webhookSecret!);
  await waitForReceiver();
  expect((await postMessage(member, 1, "@Echo ping")).status).toBe(201);
  const replies = () =>
    server.db.query<{ body_plain: string }, [number]>("SELECT body_plain FROM messages WHERE creator_id = ?").all(hooked.id);
  for (let i = 0; i < 200 && replies().length === 0; i++) await Bun.sleep(25);
  expect(replies()).toEqual([{ body_plain: "Hi Milo Member, you said: ping" }]);
}, 20_000);
