// Two versions of the server compared request by request: each checkout's `startServer` runs in
// this one process on its own copy of a seeded data directory, and requests go A, B, A, B…, so the
// shared machine's speed, which moves by a third within minutes, falls on both alike. The same code
// against itself gives 0.998–1.003; `wrk` runs of two executables, even alternated, differ by ±10 %.
// It times one request at a time: it says what a change costs, not how the server behaves under
// load. Posts are less exact (the same code against itself: 0.91–1.00): each server's background
// work (search indexing every 50 ms, checkpoints) runs on this same thread, during whichever
// request is in flight. Each checkout needs its own `npm install`; a version whose schema differs
// (the start of a round, say) needs its own data too, seeded by its own bench/seed.ts.
// Usage: bun bench/interleave.ts SEEDED_DIR CHECKOUT_A CHECKOUT_B PATH [--requests 3000] [--post TEXT]
//        [--seeded-b DIR]   (seed once with: bun bench/seed.ts SEEDED_DIR 200000 5100; --post posts
//        TEXT to PATH; --seeded-b: B's own seeded data directory, instead of a copy of SEEDED_DIR)
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { RunningServer } from "../src/server.ts";

const { values, positionals } = parseArgs({
  args: Bun.argv.slice(2),
  allowPositionals: true,
  options: { requests: { type: "string", default: "3000" }, post: { type: "string" }, "seeded-b": { type: "string" } },
});
const [seeded, checkoutA, checkoutB, path] = positionals;
if (!seeded || !checkoutA || !checkoutB || !path) {
  console.error("usage: bun bench/interleave.ts SEEDED_DIR CHECKOUT_A CHECKOUT_B PATH [--requests N] [--post TEXT] [--seeded-b DIR]");
  process.exit(1);
}
const requests = Number(values.requests);
const dirs: string[] = [];

/** One checkout's server, and a function that makes one request to it and reads the whole answer. */
async function serve(checkout: string, seeded: string) {
  const { cookies } = (await Bun.file(join(seeded, "seed.json")).json()) as { cookies: string[] };
  const root = resolve(checkout);
  const { startServer } = (await import(join(root, "src/server.ts"))) as typeof import("../src/server.ts");
  const { parseConfig } = (await import(join(root, "src/config.ts"))) as typeof import("../src/config.ts");
  const dataDir = mkdtempSync(join(tmpdir(), "campfire-interleave-"));
  dirs.push(dataDir);
  cpSync(seeded, dataDir, { recursive: true });
  const config = { ...parseConfig({}), port: 0, host: "127.0.0.1", dataDir };
  const running: RunningServer = startServer(config, () => {});
  let posted = 0;
  const request = async () => {
    const init: RequestInit = values.post
      ? {
          method: "POST",
          body: new URLSearchParams({ body: values.post, client_message_id: `interleave-${++posted}` }),
          headers: { Cookie: cookies[0]!, Origin: running.url },
        }
      : { headers: { Cookie: cookies[0]! } };
    const response = (await running.server.fetch(new Request(`${running.url}${path}`, init))) as Response;
    if (response.status >= 300) throw new Error(`${checkout} answered ${response.status}`);
    await response.arrayBuffer();
  };
  return { running, request };
}

const a = await serve(checkoutA, seeded);
const b = await serve(checkoutB, values["seeded-b"] ?? seeded);
for (let i = 0; i < 500; i++) {
  await a.request();
  await b.request();
}
for (let round = 1; round <= 3; round++) {
  let timeA = 0;
  let timeB = 0;
  for (let i = 0; i < requests; i++) {
    let started = performance.now();
    await a.request();
    timeA += performance.now() - started;
    started = performance.now();
    await b.request();
    timeB += performance.now() - started;
  }
  const us = (ms: number) => ((ms / requests) * 1000).toFixed(0);
  console.log(`round ${round}: A ${us(timeA)} µs, B ${us(timeB)} µs a request; B takes ${(timeB / timeA).toFixed(3)}× A's time`);
}
await a.running.stop(0);
await b.running.stop(0);
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
process.exit(0);
