// Builds the single executable: every template, migration and asset is imported by the code, so
// `bun build --compile` embeds them all; the browser code is bundled first and passed in as text.
// Usage: bun build.ts [--outfile PATH] [--target bun-linux-x64-baseline]
import { parseArgs } from "node:util";
import { bundleClient } from "./src/http/client-bundle.ts";
import { emojiShortcodes } from "./src/messages/emoji.ts";

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { outfile: { type: "string", default: "dist/campfire" }, target: { type: "string" } },
});

const started = performance.now();
const client = await bundleClient({ minify: true });
const emoji = JSON.stringify(await emojiShortcodes());
const result = await Bun.build({
  entrypoints: ["src/main.ts"],
  compile: { outfile: values.outfile!, ...(values.target ? { target: values.target as Bun.Build.CompileTarget } : {}) },
  minify: true,
  // Bytecode roughly halves start-up; it needs ESM for the CLI's top-level await.
  bytecode: true,
  format: "esm",
  define: {
    "process.env.NODE_ENV": JSON.stringify("production"),
    CLIENT_BUNDLE: JSON.stringify(client),
    EMOJI_SHORTCODES: JSON.stringify(emoji),
  },
});

if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
const size = Bun.file(values.outfile!).size;
console.log(`built ${values.outfile} (${(size / 1024 / 1024).toFixed(1)} MB) in ${Math.round(performance.now() - started)} ms`);
