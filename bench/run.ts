// `npm run bench`: builds the executable and measures it from separate processes on 127.0.0.1.
// Every figure is a median of repeated runs with its min–max; results go to bench/RESULTS.md.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { freePort, waitUntilUp } from "../test/helpers/processes.ts";

const ROOT = join(import.meta.dir, "..");
const EXECUTABLE = join(ROOT, "dist", "campfire");
const REPETITIONS = 3;
const WARMUP_S = 1;
const MEASURE_S = 3;
const STARTUP_RUNS = 7;

type Figure = { median: number; min: number; max: number };
const figure = (values: number[]): Figure => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
};
const show = (f: Figure, digits = 0, unit = "") =>
  `${f.median.toFixed(digits)}${unit} (${f.min.toFixed(digits)}–${f.max.toFixed(digits)})`;

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024;
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
  return { proc, base, startupMs };
}

async function load(url: string, connections: number, seconds: number, cookie = "") {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "load.ts"), url, String(connections), String(seconds), cookie], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  return JSON.parse(out) as { requests: number; errors: number; rps: number; p50: number; p99: number };
}

console.log("building the executable…");
const build = Bun.spawnSync([process.execPath, "build.ts"], { cwd: ROOT, stdout: "inherit", stderr: "inherit" });
if (build.exitCode !== 0) process.exit(1);

const scratch = mkdtempSync(join(tmpdir(), "campfire-bench-"));
try {
  console.log(`start-up: ${STARTUP_RUNS} cold starts, each on a new data directory…`);
  const startups: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const { proc, startupMs } = await startExecutable(join(scratch, `startup-${i}`));
    startups.push(startupMs);
    proc.kill("SIGTERM");
    await proc.exited;
  }

  const { proc, base } = await startExecutable(join(scratch, "http"));
  await Bun.sleep(500);
  const idleRss = rssMb(proc.pid);

  // Set up through the real first-run form, then keep the admin's session cookie.
  const firstRun = await fetch(`${base}/first_run`, {
    method: "POST",
    headers: { origin: base },
    body: new URLSearchParams({ name: "Bench Admin", email_address: "bench@example.com", password: "benchmark password" }),
    redirect: "manual",
  });
  const cookie = firstRun.headers.getSetCookie()[0]!.split(";")[0]!;

  const endpoints = [
    { name: "GET /up", path: "/up", cookie: "" },
    { name: "GET /session/new (sign-in page)", path: "/session/new", cookie: "" },
    { name: "GET /rooms/1 (room page, signed in)", path: "/rooms/1", cookie },
  ];
  const rows: string[] = [];
  for (const endpoint of endpoints) {
    for (const connections of [1, 16]) {
      const runs = [];
      for (let r = 0; r < REPETITIONS; r++) {
        await load(base + endpoint.path, connections, WARMUP_S, endpoint.cookie);
        runs.push(await load(base + endpoint.path, connections, MEASURE_S, endpoint.cookie));
      }
      if (runs.some((run) => run.errors > 0)) throw new Error(`${endpoint.name} answered errors under load`);
      const row = `| ${endpoint.name} | ${connections} | ${show(figure(runs.map((r) => r.rps)))} | ${show(figure(runs.map((r) => r.p50)), 2)} | ${show(figure(runs.map((r) => r.p99)), 2)} |`;
      console.log(row);
      rows.push(row);
    }
  }
  const loadedRss = rssMb(proc.pid);
  proc.kill("SIGTERM");
  await proc.exited;

  const cpu = cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${process.platform} ${process.arch}, Bun ${Bun.version}`;
  const report = `# Benchmark results

Produced by \`npm run bench\` (\`bun bench/run.ts\`) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine}.
Method: the compiled executable (\`dist/campfire\`) and the load generator (\`bench/load.ts\`, Bun's
fetch with keep-alive) run as separate processes on 127.0.0.1. Each HTTP figure is the median of
${REPETITIONS} runs of ${MEASURE_S} s, each after a ${WARMUP_S} s warm-up, with the min–max in brackets.
Start-up is spawn → first \`/up\` 200 on an empty data directory (migrations included), ${STARTUP_RUNS} runs.

## Resources

| what | figure |
|---|---|
| start-up to first \`/up\` 200 | ${show(figure(startups), 0, " ms")} |
| RSS idle, after start | ${idleRss.toFixed(1)} MB |
| RSS after the HTTP runs | ${loadedRss.toFixed(1)} MB |
| executable size | ${(statSync(EXECUTABLE).size / 1024 ** 2).toFixed(1)} MB |

## HTTP

| endpoint | connections | requests/s | p50 ms | p99 ms |
|---|---|---|---|---|
${rows.join("\n")}
`;
  await Bun.write(join(import.meta.dir, "RESULTS.md"), report);
  console.log(`\n${report}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
