// Idle RSS of executables side by side, the way `npm run bench` reads it (VmRSS 1 s after /up
// answers, on a seeded data directory), runs interleaved A, B, A, B… so the shared machine's
// load falls on both alike. Each run gets a fresh copy of the data directory.
// Usage: bun bench/idle-rss.ts SEEDED_DIR EXECUTABLE… [--runs 5]
//        (seed once with: bun bench/seed.ts SEEDED_DIR 20000 20)
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort, waitUntilUp } from "../test/helpers/processes.ts";

const { values, positionals } = parseArgs({ args: Bun.argv.slice(2), allowPositionals: true, options: { runs: { type: "string", default: "5" } } });
const [seeded, ...executables] = positionals;
if (!seeded || executables.length === 0) {
  console.error("usage: bun bench/idle-rss.ts SEEDED_DIR EXECUTABLE… [--runs 5]");
  process.exit(2);
}

async function idleRssMb(executable: string, dataDir: string): Promise<number> {
  const port = freePort();
  const proc = Bun.spawn([executable], {
    env: { PATH: "/usr/bin:/bin", PORT: String(port), HOST: "127.0.0.1", CAMPFIRE_DATA_DIR: dataDir },
    stdout: "ignore",
    stderr: "inherit",
  });
  try {
    await waitUntilUp(`http://127.0.0.1:${port}`, { intervalMs: 5 });
    await Bun.sleep(1000);
    return Number(readFileSync(`/proc/${proc.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)![1]) / 1024;
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
}

const scratch = mkdtempSync(join(tmpdir(), "campfire-idle-rss-"));
const results = new Map<string, number[]>(executables.map((e) => [e, []]));
try {
  for (let run = 0; run < Number(values.runs); run++) {
    for (const executable of executables) {
      const dataDir = join(scratch, `run-${run}-${results.get(executable)!.length}-${executables.indexOf(executable)}`);
      cpSync(seeded, dataDir, { recursive: true });
      results.get(executable)!.push(await idleRssMb(executable, dataDir));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

for (const [executable, runs] of results) {
  const sorted = [...runs].sort((a, b) => a - b);
  const size = Bun.file(executable).size / 1024 ** 2;
  console.log(
    `${executable} (${size.toFixed(1)} MB): median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} MB, ` +
      `${sorted[0]!.toFixed(1)}–${sorted.at(-1)!.toFixed(1)} [${runs.map((r) => r.toFixed(1)).join(", ")}]`,
  );
}
