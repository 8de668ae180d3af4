// Idle RSS of executables side by side, the way `npm run bench` reads it (VmRSS 1 s after /up
// answers, on a seeded data directory), runs interleaved A, B, A, B… so the shared machine's
// load falls on both alike. Each run gets a fresh copy of the data directory. The executable is
// read through first: the kernel maps in neighbouring pages of a file that are already cached on
// a page fault, so its file-backed RSS varies by ±1.5 MB with what the page cache holds otherwise.
// RssAnon (the process's own memory) is printed apart for the same reason.
// Usage: bun bench/idle-rss.ts SEEDED_DIR EXECUTABLE… [--runs 5]
//        (seed once with: bun bench/seed.ts SEEDED_DIR 20000 20)
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort, waitUntilUp } from "../test/helpers/processes.ts";

const { values, positionals } = parseArgs({
  args: Bun.argv.slice(2),
  allowPositionals: true,
  options: { runs: { type: "string", default: "5" } },
});
const [seeded, ...executables] = positionals;
if (!seeded || executables.length === 0) {
  console.error("usage: bun bench/idle-rss.ts SEEDED_DIR EXECUTABLE… [--runs 5]");
  process.exit(2);
}

type Rss = { total: number; anon: number; file: number; startupMs: number };

function rss(pid: number): Omit<Rss, "startupMs"> {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const mb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))![1]) / 1024;
  return { total: mb("VmRSS"), anon: mb("RssAnon"), file: mb("RssFile") };
}

async function idleRss(executable: string, dataDir: string): Promise<Rss> {
  await Bun.file(executable).arrayBuffer();
  const port = freePort();
  const started = performance.now();
  const proc = Bun.spawn([executable], {
    env: { PATH: "/usr/bin:/bin", PORT: String(port), HOST: "127.0.0.1", CAMPFIRE_DATA_DIR: dataDir },
    stdout: "ignore",
    stderr: "inherit",
  });
  try {
    const startupMs = await waitUntilUp(`http://127.0.0.1:${port}`, { started, intervalMs: 1 });
    await Bun.sleep(1000);
    return { ...rss(proc.pid), startupMs };
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
}

const scratch = mkdtempSync(join(tmpdir(), "campfire-idle-rss-"));
const results = new Map<string, Rss[]>(executables.map((e) => [e, []]));
try {
  for (let run = 0; run < Number(values.runs); run++) {
    for (const executable of executables) {
      const dataDir = join(scratch, `run-${run}-${results.get(executable)!.length}-${executables.indexOf(executable)}`);
      cpSync(seeded, dataDir, { recursive: true });
      results.get(executable)!.push(await idleRss(executable, dataDir));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
for (const [executable, runs] of results) {
  const totals = runs.map((r) => r.total);
  console.log(
    `${executable} (${(Bun.file(executable).size / 1024 ** 2).toFixed(1)} MB): VmRSS median ${median(totals).toFixed(1)} MB, ` +
      `${Math.min(...totals).toFixed(1)}–${Math.max(...totals).toFixed(1)} [${totals.map((t) => t.toFixed(1)).join(", ")}]; ` +
      `RssAnon ${median(runs.map((r) => r.anon)).toFixed(1)}, RssFile ${median(runs.map((r) => r.file)).toFixed(1)}; ` +
      `start-up to /up ${median(runs.map((r) => r.startupMs)).toFixed(0)} ms`,
  );
}
