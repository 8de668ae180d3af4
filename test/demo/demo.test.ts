import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { Client } from "../helpers/client.ts";
import { completeFirstRun } from "../helpers/fixtures.ts";
import { freePort, waitUntilUp } from "../helpers/processes.ts";
import { startTestServer } from "../helpers/server.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const port = freePort();
const base = `http://127.0.0.1:${port}`;
let demo: Subprocess<"ignore", "pipe", "pipe">;
let output = "";

beforeAll(async () => {
  demo = Bun.spawn([process.execPath, MAIN, "demo", "--port", String(port), "--host", "127.0.0.1"], {
    env: { PATH: process.env.PATH! },
    stdout: "pipe",
    stderr: "pipe",
  });
  await waitUntilUp(base, { timeoutMs: 20_000 });
  // The team is seeded right after the server starts listening.
  const reader = demo.stdout.getReader();
  while (!output.includes("This is a demo")) output += new TextDecoder().decode((await reader.read()).value ?? new Uint8Array());
  reader.releaseLock();
}, 30_000);
afterAll(() => demo.kill());

test("campfire demo signs in with one click as anyone of its team, into a day of conversation", async () => {
  const signIn = await (await fetch(`${base}/session/new`)).text();
  expect(signIn).toContain("This is a demo");
  const buttons = [...signIn.matchAll(/name="user_id" value="(\d+)"[\s\S]*?Sign in as ([^<]+)</g)].map((m) => [m[1], m[2]]);
  expect(buttons).toEqual([
    ["1", "Ada Park (administrator)"],
    ["2", "Milo Chen"],
    ["3", "Priya Raman"],
    ["4", "Jonas Weber"],
    ["5", "Sofia Alvarez"],
  ]);

  const milo = new Client(base);
  const signedIn = await milo.post("/demo/session", { user_id: "2" });
  expect(signedIn.status).toBe(303);
  expect(signedIn.headers.get("location")).toBe("/");
  const room = await (await milo.get("/rooms/1")).text();
  expect(room).toContain("Release day for 2.4");
  expect(room).toContain('class="mention"'); // @mentions
  expect(room).toContain("ta-da"); // /play tada
  expect(room).toMatch(/class="boost[^"]*"/); // boosts
  expect(room).toContain("hljs"); // highlighted code
  const releases = await (await milo.get("/rooms/2")).text();
  expect(releases).toContain("v2.4.0 is live in production"); // from the bot
  expect(releases).toContain("Deploy Bot");
  // Milo isn't in the closed Design room: its picture stays private to its members.
  expect((await milo.get("/rooms/3")).status).toBe(404);
  const priya = new Client(base);
  await priya.post("/demo/session", { user_id: "3" });
  const design = await (await priya.get("/rooms/3")).text();
  const picture = /<img src="(\/attachments\/[0-9a-f]+\/preview)" width="640" height="400"/.exec(design);
  expect(picture).not.toBeNull();
  expect((await priya.get(picture![1]!)).headers.get("content-type")).toStartWith("image/");
});

test("demo sign-in refuses a bad or unknown person with a page that says so", async () => {
  const visitor = new Client(base);
  const bad = await visitor.post("/demo/session", { user_id: "someone" });
  expect(bad.status).toBe(422);
  expect(await bad.text()).toContain("Pick someone to sign in as.");
  expect((await visitor.post("/demo/session", { user_id: "99" })).status).toBe(404);
  // Cross-site, like any other form.
  expect((await visitor.post("/demo/session", { user_id: "1" }, { origin: "https://evil.example" })).status).toBe(403);
});

test("a normal server has no one-click sign-in at all", async () => {
  const server = startTestServer();
  try {
    const page = await (await fetch(`${server.url}/session/new`)).text();
    expect(page).not.toContain("This is a demo");
    await completeFirstRun(server);
    const visitor = new Client(server.url);
    const attempt = await visitor.post("/demo/session", { user_id: "1" });
    expect(attempt.status).toBe(404);
    expect(attempt.headers.get("set-cookie")).toBeNull();
  } finally {
    await server.close();
  }
});

test("stopping the demo deletes its data", async () => {
  const folder = /dataDir="([^"]+)"/.exec(output)![1]!;
  expect(existsSync(folder)).toBe(true);
  const second = Bun.spawn([process.execPath, MAIN, "demo", "--port", String(freePort()), "--host", "127.0.0.1"], {
    env: { PATH: process.env.PATH! },
    stdout: "pipe",
  });
  let text = "";
  const reader = second.stdout.getReader();
  while (!text.includes("This is a demo")) text += new TextDecoder().decode((await reader.read()).value ?? new Uint8Array());
  const secondFolder = /dataDir="([^"]+)"/.exec(text)![1]!;
  expect(secondFolder).not.toBe(folder);
  second.kill("SIGTERM");
  expect(await second.exited).toBe(0);
  expect(existsSync(secondFolder)).toBe(false);
}, 30_000);
