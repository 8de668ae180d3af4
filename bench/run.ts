// `npm run bench`: builds the executable, seeds 200,000 messages and measures Campfire from separate
// processes on 127.0.0.1, side by side with the limit (bench/limit-server.ts) under the same load.
// HTTP load comes from wrk; fan-out from bench/fanout.ts. Every figure is the median of 3 runs with
// the min–max; the report goes to bench/RESULTS.md.
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { freePort, waitUntilUp } from "../test/helpers/processes.ts";
import type { FanoutConfig, FanoutResult } from "./fanout.ts";
import { type FanoutFigures, figure, type HttpFigures, type PostingFigures, ratio, renderResults, show, spliceResults } from "./report.ts";
import type { Seed } from "./seed.ts";
import { measureUploads, UPLOAD_MB, UPLOADS, type UploadResult } from "./upload.ts";

const ROOT = join(import.meta.dir, "..");
const EXECUTABLE = join(ROOT, "dist", "campfire");
const REPETITIONS = 3;
const WARMUP_S = 1;
const MEASURE_S = 3;
const STARTUP_RUNS = 7;
const MESSAGES = 200_000;
// Fan-out: clients → messages posted in a run, by 8 people with one post each in flight.
// Largest first: the first run meets a fresh server, so its memory per client is not flattered by
// memory freed from earlier runs.
const FANOUT: [clients: number, messages: number][] = [
  [5000, 300],
  [1000, 1000],
  [100, 3000],
];
const POSTERS = 8;
const POST_BODY = "Message of the posting run: the deploy went out and the dashboard looks good.";

function rssMb(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)![1]) / 1024;
}

function ensureWrk(): void {
  if (Bun.which("wrk")) return;
  if (process.getuid?.() === 0) {
    console.log("installing wrk (Debian package) for the HTTP load…");
    const install = Bun.spawnSync(["sh", "-c", "apt-get install -y wrk || (apt-get update && apt-get install -y wrk)"], {
      stdout: "ignore",
      stderr: "inherit",
    });
    if (install.exitCode === 0) return;
  }
  throw new Error("the HTTP benchmark needs wrk: sudo apt-get install wrk");
}

/** SIGTERM, then wait for the exit, so the next server gets the port and the database to itself. */
async function stopGracefully(proc: Bun.Subprocess): Promise<void> {
  proc.kill("SIGTERM");
  await proc.exited;
}

async function startExecutable(dataDir: string) {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const proc = Bun.spawn([EXECUTABLE], {
    env: { PATH: "/usr/bin:/bin", PORT: String(port), HOST: "127.0.0.1", CAMPFIRE_DATA_DIR: dataDir },
    stdout: "ignore",
    stderr: "inherit",
  });
  const startupMs = await waitUntilUp(base, { started, intervalMs: 1 });
  return { proc, base, startupMs, stop: () => stopGracefully(proc) };
}

async function startLimit(dataDir: string, frameBytes: number) {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "limit-server.ts"), String(port), dataDir, String(frameBytes)], {
    stdout: "ignore",
    stderr: "inherit",
  });
  await waitUntilUp(base, { intervalMs: 5 });
  return { proc, base, stop: () => stopGracefully(proc) };
}

type WrkResult = { rps: number; p50: number; p99: number };
type Target = { path: string; cookie?: string; postBody?: string; botPaths?: string[] };

/** One wrk run; posting sends a fresh client_message_id with every request (bench/wrk.lua). */
async function wrk(base: string, target: Target, connections: number, seconds: number): Promise<WrkResult> {
  const headers = [`Origin: ${base}`, ...(target.cookie ? [`Cookie: ${target.cookie}`] : [])];
  if (target.postBody !== undefined && !target.botPaths) headers.push("Content-Type: application/x-www-form-urlencoded");
  const proc = Bun.spawn(
    [
      "wrk",
      `-t${Math.min(connections, 2)}`,
      `-c${connections}`,
      `-d${seconds}s`,
      "-s",
      join(import.meta.dir, "wrk.lua"),
      ...headers.flatMap((h) => ["-H", h]),
      base + target.path,
    ],
    {
      env: {
        ...process.env,
        WRK_RUN: Math.random().toString(36).slice(2, 8),
        ...(target.postBody !== undefined ? { WRK_POST_BODY: target.postBody } : {}),
        ...(target.botPaths ? { WRK_PATHS: target.botPaths.join(",") } : {}),
      },
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const result = JSON.parse(out.trim().split("\n").at(-1)!) as {
    requests: number;
    duration_us: number;
    errors: number;
    p50_us: number;
    p99_us: number;
  };
  if (result.errors > 0) throw new Error(`${target.path} answered ${result.errors} errors under load`);
  return { rps: result.requests / (result.duration_us / 1e6), p50: result.p50_us / 1000, p99: result.p99_us / 1000 };
}

/** Warm-up, then REPETITIONS measured runs. */
async function measureHttp(base: string, target: Target, connections: number): Promise<HttpFigures> {
  const runs: WrkResult[] = [];
  for (let r = 0; r < REPETITIONS; r++) {
    await wrk(base, target, connections, WARMUP_S);
    runs.push(await wrk(base, target, connections, MEASURE_S));
  }
  return { rps: figure(runs.map((r) => r.rps)), p50: figure(runs.map((r) => r.p50)), p99: figure(runs.map((r) => r.p99)) };
}

/** One fan-out run; the server's RSS is read once every client is in the room. */
async function fanout(config: FanoutConfig, serverPid: number, scratch: string) {
  const path = join(scratch, "fanout.json");
  await Bun.write(path, JSON.stringify(config));
  const rssBefore = rssMb(serverPid);
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "fanout.ts"), path], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = proc.stdout.getReader();
  let output = "";
  let rssReady = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    output += new TextDecoder().decode(value);
    if (rssReady === 0 && output.includes("READY\n")) {
      rssReady = rssMb(serverPid);
      proc.stdin.write("go\n");
      await proc.stdin.flush();
    }
  }
  if ((await proc.exited) !== 0) throw new Error(`the fan-out run with ${config.receivers.length} clients failed`);
  const result = JSON.parse(output.trim().split("\n").at(-1)!) as FanoutResult;
  if (result.lost > 0 || result.duplicated > 0 || result.postErrors > 0)
    throw new Error(
      `fan-out to ${result.clients}: ${result.lost} frames lost, ${result.duplicated} duplicated, ${result.postErrors} posts failed`,
    );
  return { ...result, perClientKb: ((rssReady - rssBefore) * 1024) / config.receivers.length };
}

ensureWrk();
console.log("building the executable…");
const build = Bun.spawnSync([process.execPath, "build.ts"], { cwd: ROOT, stdout: "inherit", stderr: "inherit" });
if (build.exitCode !== 0) process.exit(1);

const scratch = mkdtempSync(join(tmpdir(), "campfire-bench-"));
const benchStarted = performance.now();
try {
  const dataDir = join(scratch, "seeded");
  console.log(`seeding ${MESSAGES.toLocaleString("en")} messages through the domain functions…`);
  const seeding = Bun.spawnSync([process.execPath, join(import.meta.dir, "seed.ts"), dataDir, String(MESSAGES), "5100"], {
    stdout: "inherit",
    stderr: "inherit",
  });
  if (seeding.exitCode !== 0) throw new Error("seeding failed");
  const seed = (await Bun.file(join(dataDir, "seed.json")).json()) as Seed;
  const databaseMb = statSync(join(dataDir, "campfire.sqlite3")).size / 1024 ** 2;

  console.log(`start-up: ${STARTUP_RUNS} cold starts on an empty data directory, ${STARTUP_RUNS} on a copy of the seeded one…`);
  const startups: number[] = [];
  const seededStartups: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const empty = await startExecutable(join(scratch, `startup-${i}`));
    startups.push(empty.startupMs);
    await empty.stop();
  }
  cpSync(dataDir, join(scratch, "startup-seeded"), { recursive: true });
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const seeded = await startExecutable(join(scratch, "startup-seeded"));
    seededStartups.push(seeded.startupMs);
    await seeded.stop();
  }

  // HTTP, against the seeded database; the cookie is a member's session.
  const app = await startExecutable(dataDir);
  await Bun.sleep(1000);
  const idleRss = rssMb(app.proc.pid);
  const cookie = seed.cookies[0]!;
  const postBody = new URLSearchParams({ body: POST_BODY }).toString();
  const endpoints: { name: string; target: Target }[] = [
    { name: "room page `GET /rooms/1`", target: { path: `/rooms/${seed.allTalkId}`, cookie } },
    {
      name: `messages page \`GET /rooms/1/messages?before=${seed.deepMessageId}\``,
      target: { path: `/rooms/${seed.allTalkId}/messages?before=${seed.deepMessageId}`, cookie },
    },
    { name: `search \`GET /searches?q=${seed.searchWord}\``, target: { path: `/searches?q=${seed.searchWord}`, cookie } },
    { name: "sidebar `GET /users/me/sidebar`", target: { path: "/users/me/sidebar", cookie } },
    // Bots post the raw text, spread over the bots so the per-bot limit stays out of the way.
    {
      name: "bot post `POST /rooms/R/:bot_key/messages`",
      target: {
        path: `/rooms/${seed.botRoomId}/${seed.botKeys[0]}/messages`,
        postBody: POST_BODY,
        botPaths: seed.botKeys.map((key) => `/rooms/${seed.botRoomId}/${key}/messages`),
      },
    },
    // Last: the posting comparison below reads it as endpoints.at(-1).
    { name: "post message `POST /rooms/1/messages`", target: { path: `/rooms/${seed.allTalkId}/messages`, cookie, postBody } },
  ];
  const httpRows: string[] = [];
  const http: Record<string, HttpFigures> = {};
  for (const { name, target } of endpoints) {
    for (const connections of [1, 16]) {
      const m = await measureHttp(app.base, target, connections);
      http[`${name}@${connections}`] = m;
      const row = `| ${name} | ${connections} | ${show(m.rps)} | ${show(m.p50, 2)} | ${show(m.p99, 2)} |`;
      console.log(row);
      httpRows.push(row);
    }
  }
  const loadedRss = rssMb(app.proc.pid);

  // Uploads: 10 files of 20 MB at once, RSS sampled while they run.
  const uploadRuns: UploadResult[] = [];
  for (let r = 0; r < REPETITIONS; r++) {
    const run = await measureUploads(app.base, cookie, seed.allTalkId, app.proc.pid);
    if (run.failures > 0) throw new Error(`${run.failures} of ${UPLOADS} uploads failed`);
    uploadRuns.push(run);
    console.log(`uploads: ${run.mbPerSec.toFixed(0)} MB/s, RSS ${run.rssBeforeMb.toFixed(0)} → peak ${run.peakRssMb.toFixed(0)} MB`);
  }
  const uploads = {
    count: UPLOADS,
    mb: UPLOAD_MB,
    mbPerSec: figure(uploadRuns.map((r) => r.mbPerSec)),
    rssBefore: figure(uploadRuns.map((r) => r.rssBeforeMb)),
    peakRss: figure(uploadRuns.map((r) => r.peakRssMb)),
  };
  await app.stop();

  // Fan-out: a fresh server on the same data, so memory per client is measured from a clean start.
  const fanoutServer = await startExecutable(dataDir);
  await Bun.sleep(500);
  const fanoutIdleRss = rssMb(fanoutServer.proc.pid);
  const posters = seed.cookies.slice(5000, 5000 + POSTERS);
  const fanoutRows: string[] = [];
  const fanoutFigures: FanoutFigures[] = [];
  const perClient: number[] = [];
  let frameBytes = 0;
  for (const [clients, messages] of FANOUT) {
    const ours: FanoutResult[] = [];
    const limits: FanoutResult[] = [];
    for (let r = 0; r < REPETITIONS; r++) {
      const config = { roomId: seed.allTalkId, posters, messages, concurrency: POSTERS };
      const result = await fanout(
        { ...config, base: fanoutServer.base, receivers: seed.cookies.slice(0, clients) },
        fanoutServer.proc.pid,
        scratch,
      );
      ours.push(result);
      if (clients === FANOUT[0]![0]) perClient.push(result.perClientKb);
      frameBytes = result.frameBytes;
      const limit = await startLimit(mkdtempSync(join(scratch, "limit-")), result.frameBytes);
      limits.push(await fanout({ ...config, base: limit.base, receivers: Array(clients).fill("") }, limit.proc.pid, scratch));
      await limit.stop();
      console.log(
        `fan-out to ${clients}: ours ${result.msgsPerSec.toFixed(0)} msgs/s, limit ${limits.at(-1)!.msgsPerSec.toFixed(0)} msgs/s`,
      );
    }
    const f = (runs: FanoutResult[], key: "msgsPerSec" | "framesPerSec" | "p50" | "p99") => figure(runs.map((run) => run[key]));
    const total = (runs: FanoutResult[], key: "lost" | "duplicated") => runs.reduce((sum, run) => sum + run[key], 0);
    fanoutFigures.push({
      clients,
      ours: f(ours, "msgsPerSec"),
      limit: f(limits, "msgsPerSec"),
      lost: total(ours, "lost"),
      duplicated: total(ours, "duplicated"),
    });
    fanoutRows.push(
      `| ${clients.toLocaleString("en")} | ${messages} | ${show(f(ours, "msgsPerSec"))} | ${show(f(limits, "msgsPerSec"))} | **${ratio(f(ours, "msgsPerSec"), f(limits, "msgsPerSec"))}** | ${show(f(ours, "framesPerSec"))} | ${show(f(ours, "p50"), 1)} / ${show(f(ours, "p99"), 1)} | ${show(f(limits, "p50"), 1)} / ${show(f(limits, "p99"), 1)} | ${total(ours, "lost")} / ${total(ours, "duplicated")} |`,
    );
  }
  await fanoutServer.stop();

  // Posting against the limit: same wrk, same form body, a fragment the size of ours.
  const posting: PostingFigures = {};
  for (const connections of [1, 16]) {
    const limitRuns = [];
    for (let r = 0; r < REPETITIONS; r++) {
      const limit = await startLimit(mkdtempSync(join(scratch, "limit-")), frameBytes);
      await wrk(limit.base, { path: "/rooms/1/messages", postBody }, connections, WARMUP_S);
      limitRuns.push(await wrk(limit.base, { path: "/rooms/1/messages", postBody }, connections, MEASURE_S));
      await limit.stop();
    }
    const ours = http[`${endpoints.at(-1)!.name}@${connections}`]!;
    posting[connections] = {
      ours,
      limit: {
        rps: figure(limitRuns.map((r) => r.rps)),
        p50: figure(limitRuns.map((r) => r.p50)),
        p99: figure(limitRuns.map((r) => r.p99)),
      },
    };
  }

  const cpu = cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${process.platform} ${process.arch}, Bun ${Bun.version}`;
  const minutes = (performance.now() - benchStarted) / 60_000;
  const results = renderResults({
    machine,
    minutes,
    seed,
    databaseMb,
    startups: figure(startups),
    seededStartups: figure(seededStartups),
    idleRss,
    fanoutIdleRss,
    loadedRss,
    perClientKb: perClient[0]!,
    laterPerClientKb: figure(perClient.slice(1)),
    frameBytes,
    httpRows,
    roomPage: http[`${endpoints[0]!.name}@16`]!,
    messagesPage: http[`${endpoints[1]!.name}@16`]!,
    search: http[`${endpoints[2]!.name}@16`]!,
    posting,
    fanoutRows,
    fanoutFigures,
    uploads,
    executableMb: statSync(EXECUTABLE).size / 1024 ** 2,
  });
  const resultsPath = join(import.meta.dir, "RESULTS.md");
  await Bun.write(
    resultsPath,
    spliceResults(
      await Bun.file(resultsPath)
        .text()
        .catch(() => ""),
      results,
    ),
  );
  console.log(`\n${results}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
