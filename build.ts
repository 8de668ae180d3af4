// Builds the single executable: every template and migration is imported by the code, so
// `bun build --compile` embeds them all; the browser's assets are prepared first and embedded as
// files (src/build/asset-files.ts), the service worker's code is passed in as text.
// Usage: bun build.ts [--outfile PATH] [--target bun-linux-x64-baseline]
//        bun build.ts --release   (npm run release: every platform into dist/release, with SHA256SUMS)
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import packageJson from "./package.json" with { type: "json" };
import { ASSET_TABLE_MODULE, assetTableModule } from "./src/build/asset-files.ts";
import { EXECUTABLE_BUNDLE } from "./src/build-bundle.ts";
import { bundleClient } from "./src/http/client-bundle.ts";

// What a release is built for: Linux servers (baseline = x64 CPUs without AVX2, older or cheap
// VPSes) and Macs.
const RELEASE_TARGETS = ["bun-linux-x64", "bun-linux-x64-baseline", "bun-linux-arm64", "bun-darwin-arm64", "bun-darwin-x64"] as const;

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    outfile: { type: "string", default: "dist/campfire" },
    target: { type: "string" },
    release: { type: "boolean", default: false },
  },
});

const commit = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { stderr: "ignore" }).stdout.toString().trim() || "unknown";
// The prepared assets are written here, embedded by each compile, and removed after.
const assetDir = mkdtempSync(join(tmpdir(), "campfire-assets-"));
const assetTable = await assetTableModule(assetDir);
const worker = await bundleClient({ minify: true, entry: "worker" });

if (values.release) {
  const dir = "dist/release";
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sums: string[] = [];
  for (const target of RELEASE_TARGETS) {
    const outfile = join(dir, `campfire-${packageJson.version}-${target.replace(/^bun-/, "")}`);
    await compile(outfile, target);
    const hash = new Bun.CryptoHasher("sha256").update(await Bun.file(outfile).arrayBuffer()).digest("hex");
    sums.push(`${hash}  ${basename(outfile)}`);
  }
  await Bun.write(join(dir, "SHA256SUMS"), `${sums.join("\n")}\n`);
  console.log(`wrote ${join(dir, "SHA256SUMS")}`);
} else {
  await compile(values.outfile!, values.target);
}
rmSync(assetDir, { recursive: true, force: true });

async function compile(outfile: string, target: string | undefined): Promise<void> {
  const started = performance.now();
  const stamp = { commit, target: target ?? `bun-${process.platform}-${process.arch}`, builtAt: new Date().toISOString().slice(0, 10) };
  const result = await Bun.build({
    ...EXECUTABLE_BUNDLE,
    compile: { outfile, ...(target ? { target: target as Bun.Build.CompileTarget } : {}) },
    // Bytecode roughly halves start-up; it needs ESM for the CLI's top-level await. Only each
    // module's top level is precompiled (depth 0): a function is compiled from source the first time
    // it runs. Measured on the 20,000-message seed (bench/idle-rss.ts, 5 interleaved runs): idle RSS
    // 59.9 → 58.8 MB (less bytecode read from the executable), start-up to /up ~60 → ~85 ms, and the
    // first room page after a start ~13 → ~21 ms; every later request is the same.
    bytecode: true,
    bytecodeDepth: 0,
    files: { [ASSET_TABLE_MODULE]: assetTable },
    define: {
      "process.env.NODE_ENV": JSON.stringify("production"),
      SERVICE_WORKER_BUNDLE: JSON.stringify(worker),
      CAMPFIRE_BUILD: JSON.stringify(stamp),
    },
  });

  if (!result.success) {
    for (const log of result.logs) console.error(log);
    process.exit(1);
  }
  const size = Bun.file(outfile).size;
  console.log(`built ${outfile} (${(size / 1024 / 1024).toFixed(1)} MB) in ${Math.round(performance.now() - started)} ms`);
}
