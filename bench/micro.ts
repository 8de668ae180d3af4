// In-process micro-benchmark for changes to the hot paths, when `npm run bench` (minutes, a quiet
// machine) is too much: rendering a page of 40 messages, posting 2,000 messages through the
// group commit, and serving the room page (its kept newest page) without the network.
// Usage: bun bench/micro.ts → prints one line per measure.
// OLD_RENDERER=/path/to/old/checkout/templates/messages/message.tsx bun bench/micro.ts also renders the
// same page with that version's messagesHtml, interleaved in this process, best of 30 rounds each.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccount } from "../src/accounts/accounts.ts";
import type { Config } from "../src/config.ts";
import { latestMessages } from "../src/messages/pages.ts";
import { postMessage } from "../src/messages/receive.ts";
import { createOpenRoom } from "../src/rooms/rooms.ts";
import { startServer } from "../src/server.ts";
import { startSession } from "../src/sessions/sessions.ts";
import { createUser } from "../src/users/users.ts";
import { messagesHtml } from "../templates/messages/message.tsx";

const RENDERS = 10_000;
const POSTS = 2_000;
const POSTS_TOGETHER = 16;
const PAGE_VIEWS = 2_000;

const dataDir = mkdtempSync(join(tmpdir(), "campfire-micro-"));
const running = startServer({ port: 0, host: "127.0.0.1", dataDir, readCache: true } as Config, () => {});
const { db, ctx } = running;
const people = db.transaction(() => {
  createAccount(db, "Micro");
  return ["Ada Admin", "Milo Member", "Tess Third", "Ravi O'Brien"].map((name, i) =>
    createUser(db, { name, emailAddress: `p${i}@example.com`, passwordDigest: "unused", role: i === 0 ? "admin" : "member" }),
  );
})();
const room = createOpenRoom(db, people[0]!, "All Talk");
const body = (i: number) => `Message ${i}: a **bold** claim, a link https://example.com/${i} and some more words to make it typical.`;

// Posting: 2,000 messages, sixteen started together as concurrent requests would be.
let started = performance.now();
for (let i = 0; i < POSTS; i += POSTS_TOGETHER) {
  const batch = Array.from({ length: POSTS_TOGETHER }, (_, j) =>
    postMessage(ctx, people[(i + j) % people.length]!, room, { body: body(i + j), clientMessageId: `micro-${i + j}` }),
  );
  await Promise.all(batch);
}
const postMs = performance.now() - started;
console.log(`posting: ${POSTS} messages in ${postMs.toFixed(0)} ms = ${Math.round((POSTS / postMs) * 1000)} posts/s`);

// Rendering: the same page of 40 messages, 10,000 times.
const page = latestMessages(db, room.id);
for (let i = 0; i < 500; i++) String(messagesHtml(page));
started = performance.now();
let bytes = 0;
for (let i = 0; i < RENDERS; i++) bytes += String(messagesHtml(page)).length;
const renderMs = performance.now() - started;
console.log(
  `rendering: ${RENDERS} pages of ${page.length} messages in ${renderMs.toFixed(0)} ms = ${((renderMs / RENDERS) * 1000).toFixed(1)} µs per page (${bytes / RENDERS} bytes)`,
);

if (process.env.OLD_RENDERER) {
  const old = (await import(process.env.OLD_RENDERER)) as { messagesHtml: (messages: typeof page) => unknown };
  const best = { old: Number.POSITIVE_INFINITY, new: Number.POSITIVE_INFINITY };
  for (let round = 0; round < 30; round++) {
    for (const [which, render] of [
      ["old", old.messagesHtml],
      ["new", messagesHtml],
    ] as const) {
      const at = performance.now();
      for (let i = 0; i < 2000; i++) String(render(page)).length;
      best[which] = Math.min(best[which], ((performance.now() - at) / 2000) * 1000);
    }
  }
  console.log(
    `rendering against ${process.env.OLD_RENDERER}: old ${best.old.toFixed(1)} µs, new ${best.new.toFixed(1)} µs per page = ${(best.new / best.old).toFixed(2)}×`,
  );
}

// The room page, as a signed-in person opens it (session, account, sidebar, kept newest page).
const token = startSession(db, people[1]!, { ipAddress: null, userAgent: null });
const view = () =>
  Promise.resolve(
    running.server.fetch(new Request(`${running.url}/rooms/${room.id}`, { headers: { cookie: `session_token=${token}` } })),
  ).then((r) => r.text());
for (let i = 0; i < 200; i++) await view();
const times: number[] = [];
for (let i = 0; i < PAGE_VIEWS; i++) {
  const at = performance.now();
  await view();
  times.push(performance.now() - at);
}
times.sort((a, b) => a - b);
const percentile = (p: number) => times[Math.floor((times.length - 1) * p)]!.toFixed(3);
console.log(`room page: ${PAGE_VIEWS} views, p50 ${percentile(0.5)} ms, p99 ${percentile(0.99)} ms`);

await running.stop();
rmSync(dataDir, { recursive: true, force: true });
